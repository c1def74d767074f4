"""compose.yaml and the Dockerfile describe the stack `make run` starts: checked against the code.

No Docker engine is needed: the files are parsed and every command, setting and
address in them is checked against the govstat CLI, the Settings struct and the
other services of the file.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import msgspec
import pytest
import yaml

from govstat.platform.root.cli import main
from govstat.platform.settings import PREFIX, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict] = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")

LONG_RUNNING = {"app": "serve", "worker": "worker", "relay": "relay", "monitor": "monitor"}
GOVSTAT_SERVICES = (*LONG_RUNNING, "migrate")
BACKING = ("postgres", "redis", "kafka", "otel-collector")
REQUIRED = ("database_url", "redis_url", "kafka_bootstrap", "secret_key")
FIELDS = {f.name for f in msgspec.structs.fields(Settings)}
# Settings that name another service, and the compose service and port they must point at.
ADDRESSES = {
    "database_url": ("postgres", 5432),
    "migration_database_url": ("postgres", 5432),
    "redis_url": ("redis", 6379),
    "kafka_bootstrap": ("kafka", 9092),
    "otlp_endpoint": ("otel-collector", 4318),
}

_VAR = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$(?P<bare>\w+)")


def interpolate(value: object) -> str:
    """Compose's ${VAR:-default} / ${VAR:?error} with an empty host environment."""
    text = str(value)
    if isinstance(value, bool):
        text = str(value).lower()

    def sub(m: re.Match) -> str:
        if m["bare"]:
            return ""
        if m["op"] and m["op"].endswith("?"):
            return "x" * 32  # a required value: stand in for what the operator provides
        return m["arg"] if m["op"] else ""

    return _VAR.sub(sub, text.replace("$$", "\0")).replace("\0", "$")


def environment(service: str) -> dict[str, str]:
    env = SERVICES[service].get("environment") or {}
    assert isinstance(env, dict), f"{service}: environment must be a mapping (anchors merge only mappings)"
    return {k: interpolate(v) for k, v in env.items()}


def raw_environment(service: str) -> dict[str, str]:
    return {k: str(v) for k, v in (SERVICES[service].get("environment") or {}).items()}


def settings_of(service: str) -> Settings:
    return load_settings({k: v for k, v in environment(service).items() if k.startswith(PREFIX)})


def cli_invocations(command: list[str] | str) -> list[list[str]]:
    """The govstat invocations in a service command: ["govstat", ...] or sh -c "govstat a && govstat b"."""
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if argv[:2] == ["sh", "-c"]:
        parts = [shlex.split(p) for p in argv[2].split("&&")]
        return [p[1:] if p[:1] == ["exec"] else p for p in parts]
    return [argv]


def check_cli(argv: list[str]) -> str:
    """argv must be a valid `govstat` command line; returns the subcommand's name."""
    assert argv[0] == "govstat", f"not the govstat CLI: {argv}"
    assert len(argv) > 1, f"no subcommand: {argv}"
    ctx = main.make_context("govstat", list(argv[1:]), resilient_parsing=True)
    sub = main.get_command(ctx, argv[1])
    assert sub is not None, f"`govstat {argv[1]}` does not exist (commands: {sorted(main.list_commands(ctx))})"
    sub.make_context(argv[1], list(argv[2:]), parent=ctx)  # raises click.UsageError on unknown options
    return argv[1]


def healthcheck_scripts(service: str) -> list[tuple[str, list[str]]]:
    """(python source, argv after it) of each `python -c` in a healthcheck test."""
    test = SERVICES[service]["healthcheck"]["test"]
    if isinstance(test, list) and "python" in test and "-c" in test:
        i = test.index("-c")
        return [(test[i + 1], test[i + 2 :])]
    return []


# (a) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*LONG_RUNNING, *BACKING])
def test_service_exists_with_a_healthcheck(name):
    assert name in SERVICES, f"compose.yaml has no service {name!r}"
    check = SERVICES[name].get("healthcheck")
    assert check and not check.get("disable"), f"{name}: no healthcheck"
    test = check["test"]
    assert isinstance(test, list) and test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, f"{name}: {test!r}"


def test_every_service_has_a_healthcheck():
    assert set(SERVICES) == {*GOVSTAT_SERVICES, *BACKING}
    assert all(SERVICES[s].get("healthcheck", {}).get("test") for s in SERVICES)


def test_python_healthchecks_compile_and_import_what_exists():
    for service in GOVSTAT_SERVICES:
        for source, args in healthcheck_scripts(service):
            tree = ast.parse(source, filename=f"{service} healthcheck")
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module:
                    module = importlib.import_module(node.module)
                    for alias in node.names:
                        assert hasattr(module, alias.name), f"{service}: {node.module}.{alias.name} does not exist"
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        importlib.import_module(alias.name)
            if service in ("worker", "relay", "monitor"):
                assert args == [LONG_RUNNING[service]], f"{service}: the check must look for `govstat {service}`"


def test_app_healthcheck_asks_healthz():
    [(source, _)] = healthcheck_scripts("app")
    assert "http://127.0.0.1:8000/healthz" in source
    from govstat.platform.web.health import healthz

    assert "/healthz" in healthz.paths


def test_backing_service_healthchecks():
    assert "pg_isready" in " ".join(SERVICES["postgres"]["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(SERVICES["redis"]["healthcheck"]["test"])
    assert any("kafka-broker-api-versions.sh" in part for part in SERVICES["kafka"]["healthcheck"]["test"])
    collector = " ".join(SERVICES["otel-collector"]["healthcheck"]["test"])
    otel = yaml.safe_load((ROOT / "ops/otel-collector.yaml").read_text(encoding="utf-8"))
    port = otel["extensions"]["health_check"]["endpoint"].rsplit(":", 1)[1]
    assert "health_check" in otel["service"]["extensions"]
    assert f"127.0.0.1:{port}/" in collector
    assert "COPY --from=busybox /bin/busybox /busybox" in SERVICES["otel-collector"]["build"]["dockerfile_inline"]


# (b) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,subcommand", LONG_RUNNING.items())
def test_long_running_command_is_a_govstat_command(name, subcommand):
    [argv] = cli_invocations(SERVICES[name]["command"])
    assert check_cli(argv) == subcommand
    if name == "app":
        assert argv[argv.index("--host") + 1] == "0.0.0.0"
        port = argv[argv.index("--port") + 1]
        assert any(p.endswith(f":{port}") for p in SERVICES["app"]["ports"])
        assert settings_of("app").port == int(port)


def test_migrate_runs_migrate_then_seed_demo():
    runs = cli_invocations(SERVICES["migrate"]["command"])
    assert [check_cli(argv) for argv in runs] == ["migrate", "seed"]
    assert "--demo" in runs[1]
    assert SERVICES["migrate"].get("restart") in (None, "no", "on-failure")


def test_govstat_services_use_the_image_built_from_the_dockerfile():
    images = {SERVICES[s]["image"] for s in GOVSTAT_SERVICES}
    assert len(images) == 1
    for s in GOVSTAT_SERVICES:
        assert SERVICES[s]["build"] == {"context": ".", "dockerfile": "Dockerfile"}


# (c) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_govstat_variables_are_settings(name):
    unknown = {k for k in raw_environment(name) if k.startswith(PREFIX) and k[len(PREFIX) :].lower() not in FIELDS}
    assert not unknown, f"{name}: not read by platform/settings.py: {sorted(unknown)}"


def test_no_other_govstat_variable_in_the_file():
    """Host-side ${GOVSTAT_...} names too: one in a developer's shell would reach `make run`."""
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    names = set(re.findall(r"\b(GOVSTAT_[A-Z0-9_]+)", text))
    assert names and all(n[len(PREFIX) :].lower() in FIELDS for n in names), sorted(
        n for n in names if n[len(PREFIX) :].lower() not in FIELDS
    )


@pytest.mark.parametrize("name", GOVSTAT_SERVICES)
def test_environment_loads_as_settings(name):
    settings_of(name)  # raises ConfigError naming the variable on a bad value


@pytest.mark.parametrize("name", GOVSTAT_SERVICES)
def test_addresses_point_at_compose_services(name):
    env = environment(name)
    for field, (service, port) in ADDRESSES.items():
        value = env.get(PREFIX + field.upper())
        if value is None:
            continue
        for address in value.split(","):
            parts = urlsplit(address if "://" in address else f"//{address}")
            assert parts.hostname == service and parts.port == port, f"{name}: {field}={value!r}, want {service}:{port}"
            assert service in SERVICES


def test_database_roles_match_postgres_init():
    sql = (ROOT / "ops/services/postgres-init.sql").read_text(encoding="utf-8")
    passwords = dict(re.findall(r"ALTER ROLE (\w+) WITH LOGIN PASSWORD '([^']*)'", sql))
    db = re.search(r"\\set dbname (\w+)", sql)[1]
    expect = {"database_url": "govstat_app", "migration_database_url": "govstat_owner"}
    for name in GOVSTAT_SERVICES:
        s = settings_of(name)
        for field, role in expect.items():
            if PREFIX + field.upper() not in environment(name):
                continue
            url = urlsplit(getattr(s, field))
            assert (url.username, url.password, url.path) == (role, passwords[role], f"/{db}"), f"{name}: {field}"
    # The entrypoint runs *.sql with psql -f (so \gexec, \if and \connect work), first start only.
    mounts = SERVICES["postgres"]["volumes"]
    assert "./ops/services/postgres-init.sql:/docker-entrypoint-initdb.d/10-govstat.sql:ro" in mounts
    assert "POSTGRES_DB" not in SERVICES["postgres"]["environment"]


def test_kafka_is_single_node_kraft_advertised_as_kafka_9092():
    env = raw_environment("kafka")
    assert SERVICES["kafka"]["image"] == "apache/kafka:4.1.1"
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:9092"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", env["CLUSTER_ID"])
    assert settings_of("app").kafka_bootstrap == "kafka:9092"


def test_redis_appends_only():
    command = SERVICES["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert SERVICES["redis"]["image"] == "redis:7" and SERVICES["postgres"]["image"] == "postgis/postgis:16-3.4"


def test_otel_collector_receives_otlp_http_on_4318_and_logs_it():
    otel = yaml.safe_load((ROOT / "ops/otel-collector.yaml").read_text(encoding="utf-8"))
    assert otel["receivers"]["otlp"]["protocols"]["http"]["endpoint"] == "0.0.0.0:4318"
    assert "debug" in otel["exporters"]
    for pipeline in otel["service"]["pipelines"].values():
        for kind in ("receivers", "processors", "exporters"):
            assert set(pipeline.get(kind, [])) <= set(otel.get(kind) or {}), pipeline
    assert "./ops/otel-collector.yaml:/etc/otelcol-contrib/config.yaml:ro" in SERVICES["otel-collector"]["volumes"]
    assert "FROM otel/opentelemetry-collector-contrib:" in SERVICES["otel-collector"]["build"]["dockerfile_inline"]


# (d) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_required_settings_are_set(name):
    env = raw_environment(name)
    for field in REQUIRED:
        assert PREFIX + field.upper() in env, f"{name}: {PREFIX + field.upper()} is not set"
    assert re.fullmatch(r"\$\{GOVSTAT_SECRET_KEY:\?[^}]+\}", env["GOVSTAT_SECRET_KEY"]), "the secret must be provided"
    assert PREFIX + "MIGRATION_DATABASE_URL" not in env, "only migrate connects as the owner role"
    assert settings_of(name).otlp_endpoint == "http://otel-collector:4318"


# (e) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_waits_for_healthy_services_and_completed_migrate(name):
    deps = SERVICES[name]["depends_on"]
    assert isinstance(deps, dict), f"{name}: depends_on needs conditions"
    for backing in ("postgres", "redis", "kafka"):
        assert deps[backing]["condition"] == "service_healthy", f"{name} -> {backing}"
    assert deps["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_waits_for_postgres_and_dependencies_exist():
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name, service in SERVICES.items():
        for dep in service.get("depends_on") or {}:
            assert dep in SERVICES, f"{name} depends on unknown {dep}"
    # no cycle: a topological order exists
    done: set[str] = set()
    pending = dict(SERVICES)
    while pending:
        ready = [n for n, s in pending.items() if set(s.get("depends_on") or {}) <= done]
        assert ready, f"depends_on cycle among {sorted(pending)}"
        for n in ready:
            done.add(n)
            del pending[n]


# (f) ---------------------------------------------------------------------------------------


def _final_stage(dockerfile: str) -> tuple[str, list[str]]:
    text = re.sub(r"\\\n", " ", dockerfile)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    starts = [i for i, ln in enumerate(lines) if ln.upper().startswith("FROM ")]
    return lines[starts[-1]], lines[starts[-1] + 1 :]


def _exec_form(lines: list[str], instruction: str) -> list[str] | None:
    found = [ln for ln in lines if ln.split(None, 1)[0].upper() == instruction]
    if not found:
        return None
    value = found[-1].split(None, 1)[1]
    assert value.startswith("["), f"{instruction} must use the exec form: {value}"
    return json.loads(value)


def test_dockerfile_runs_the_govstat_cli():
    base, lines = _final_stage(DOCKERFILE)
    assert base.split()[1] == "python:3.11-slim"
    entrypoint = _exec_form(lines, "ENTRYPOINT") or []
    cmd = _exec_form(lines, "CMD") or []
    argv = entrypoint + cmd
    assert check_cli(argv) == "serve"
    assert argv[argv.index("--host") + 1] == "0.0.0.0"
    assert "EXPOSE 8000" in lines
    user = [ln for ln in lines if ln.upper().startswith("USER ")]
    assert user and user[-1].split()[1] not in ("root", "0"), "the image must not run as root"


def test_dockerfile_installs_non_editable_with_constraints_and_builds_assets():
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    installs = re.findall(r"pip install ([^\n]*)", text)
    assert any(re.search(r"-c constraints\.txt \.(\s|$)", i) for i in installs), installs
    assert not any(re.search(r"(^|\s)(-e|--editable)\s", i) for i in installs)
    assert "FROM node:20-slim AS assets" in text and "./build.sh" in text
    assert "npm ci" in (ROOT / "ops/assets/build.sh").read_text(encoding="utf-8")
    assert "/build/platform/web/static/vendor/ ./platform/web/static/vendor/" in text
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".data", "**/node_modules", "test-artifacts"} <= set(ignored)
