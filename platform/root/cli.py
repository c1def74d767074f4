"""The `govstat` command: serve, worker, relay, monitor, migrate, seed, up, and operator tools."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import sys
from collections.abc import Callable
from typing import Any

import click

from govstat.platform.errors import ConfigError
from govstat.platform.root.catalog import CATALOG
from govstat.platform.root.deadletters import group as deadletters_group
from govstat.platform.settings import Settings, load_settings, set_settings

GRACEFUL_SHUTDOWN_SECONDS = 10  # in-flight requests' time to finish on stop (`govstat up` kills at 15 s)


def _settings() -> Settings:
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(f"設定エラー / configuration error: {exc.detail}") from None
    set_settings(settings)
    return settings


def _config(check: Callable[..., object], *args: Any) -> None:
    try:
        check(*args)
    except ConfigError as exc:
        raise click.ClickException(f"設定エラー / configuration error: {exc.detail}") from None


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """govstat: 政府統計共同利用システム / Government Statistics Common Use System."""
    ctx.obj = CATALOG  # the modules, for commands that name them (`@click.pass_obj`)


@main.command()
@click.option("--host", default=None)
@click.option("--port", type=int, default=None)
@click.option("--workers", type=int, default=1, show_default=True)
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the web app and API."""
    import uvicorn

    s = _settings()
    uvicorn.run(
        "govstat.platform.root.app:app_from_env",
        factory=True,
        host=host or s.host,
        port=port or s.port,
        workers=workers,
        log_level=s.log_level.lower(),
        access_log=False,
        # Ctrl-C/SIGTERM: requests still running after this many seconds are cancelled, so a hung
        # request never keeps the process from stopping (then close_pool terminates connections)
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


@main.command()
def worker() -> None:
    """Run the arq worker (module jobs and schedules)."""
    from govstat.platform.root.processes import run_worker
    from govstat.platform.telemetry import configure_logging, serve_metrics, setup_telemetry

    s = _settings()
    configure_logging(s.log_level)
    setup_telemetry("worker", s.otlp_endpoint)
    serve_metrics(s.metrics_port, s.host)
    run_worker(s, CATALOG)


@main.command()
def relay() -> None:
    """Relay the outbox (and the usage stream) to Kafka."""
    from govstat.platform.root.processes import run_relay_process
    from govstat.platform.telemetry import configure_logging, serve_metrics, setup_telemetry

    s = _settings()
    configure_logging(s.log_level)
    setup_telemetry("relay", s.otlp_endpoint)
    serve_metrics(s.metrics_port, s.host)
    asyncio.run(run_relay_process(s))


@main.command()
def monitor() -> None:
    """Consume audit, usage and incident topics into the monitoring read models."""
    from govstat.platform.root.processes import run_monitor_process
    from govstat.platform.telemetry import configure_logging, serve_metrics, setup_telemetry

    s = _settings()
    configure_logging(s.log_level)
    setup_telemetry("monitor", s.otlp_endpoint)
    serve_metrics(s.metrics_port, s.host)
    asyncio.run(run_monitor_process(s, CATALOG))


@main.command()
def migrate() -> None:
    """Apply database migrations (as the owner role) and grant the app role."""
    from govstat.platform.root.migrate import run

    applied = run(_settings(), quiet=True)
    click.echo(f"migrations applied: {len(applied)}" + "".join(f"\n  {m}" for m in applied))


@main.command()
@click.option("--demo/--no-demo", default=True, show_default=True, help="also create the demo tenants and users")
@click.option(
    "--history/--no-history", default=True, show_default=True, help="with --demo, a year of usage, SLA and invoices"
)
def seed(demo: bool, history: bool) -> None:
    """Load masters and reference data (area codes); with --demo, the demo tenants and users."""
    from govstat.platform.root.seed import check_demo_allowed, run_seed

    s = _settings()
    _config(check_demo_allowed, s, demo)
    asyncio.run(run_seed(s, CATALOG, demo=demo, history=history))


@main.command()
@click.option("--workers", type=int, default=1, show_default=True)
def up(workers: int) -> None:
    """Migrate, seed if empty, and run app, worker, relay and monitor together (Ctrl-C stops all)."""
    from govstat.platform.root.migrate import run
    from govstat.platform.root.processes import supervise
    from govstat.platform.root.seed import check_demo_allowed, run_seed

    s = _settings()
    _config(check_demo_allowed, s, True)
    run(s, quiet=True)
    asyncio.run(run_seed(s, CATALOG, demo=True, only_if_empty=True))
    exe = [sys.executable, "-m", "govstat.platform.root"]
    processes = {
        "app": [*exe, "serve", "--workers", str(workers)],
        "worker": [*exe, "worker"],
        "relay": [*exe, "relay"],
        "monitor": [*exe, "monitor"],
    }
    if s.metrics_port:
        # one port each (worker at the given port, relay +1, monitor +2): a shared one would fail to bind
        for offset, name in enumerate(("worker", "relay", "monitor")):
            processes[name] = ["env", f"GOVSTAT_METRICS_PORT={s.metrics_port + offset}", *processes[name]]
    if s.env == "dev" and s.smtp_host in ("127.0.0.1", "localhost") and importlib.util.find_spec("aiosmtpd"):
        # The demo's notification e-mails are really delivered, to a local mailbox file.
        import os

        os.makedirs(".data", exist_ok=True)
        processes["mail"] = [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"{s.smtp_host}:{s.smtp_port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            ".data/mail.mbox",
        ]
    sys.exit(supervise(processes))


@main.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Verify the audit log's hash chain; names the first broken record."""
    from govstat.platform.root.tools import verify_audit

    broken = asyncio.run(verify_audit(_settings()))
    if broken is not None:
        raise click.ClickException(f"audit chain broken at record seq={broken} / 改ざんの可能性があります")
    click.echo("audit chain OK / 監査ログの連鎖は正常です")


@main.group()
def outbox() -> None:
    """The event outbox."""


@outbox.command("status")
def outbox_status() -> None:
    from govstat.platform.root.tools import outbox_status as status

    click.echo(asyncio.run(status(_settings())))


main.add_command(deadletters_group, name="deadletters")

# Command groups of the platform's own parts: (package with a `cli` module, command name).
CORE_COMMANDS = [("govstat.gateway.billing", "billing"), ("govstat.gateway.sla", "sla"), ("govstat.ops", "ops")]


def _register_module_commands() -> None:
    """Modules and parts may add their own command groups (e.g. `govstat area load`)."""
    packages = [(f"govstat.platform.subsystems.{m.key}", m.key) for m in CATALOG.subsystems] + CORE_COMMANDS
    for package, name in packages:
        if importlib.util.find_spec(f"{package}.cli") is None:
            continue
        main.add_command(importlib.import_module(f"{package}.cli").group, name=name)


_register_module_commands()
