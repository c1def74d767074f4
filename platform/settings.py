"""Settings: one msgspec Struct filled from GOVSTAT_* environment variables.

A bad value stops start-up with a message that names the variable.
"""

from __future__ import annotations

import os
from typing import Annotated, Literal

import msgspec

from govstat.platform.errors import ConfigError

Env = Literal["dev", "test", "prod"]
DEV_SECRET_KEY = "dev-only-secret-change-me-0123456789"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    env: Env = "dev"
    database_url: str = "postgresql://govstat_app:govstat_app@127.0.0.1:5432/govstat"
    # The owner role runs migrations; the app role owns nothing (RLS applies to it).
    migration_database_url: str = "postgresql://govstat_owner:govstat_owner@127.0.0.1:5432/govstat"
    # Hot-standby replicas (streaming replication) that serve public reads, comma-separated; empty:
    # every read goes to database_url (platform/db/replicas.py, docs/scaling.md)
    database_replica_urls: str = ""
    # A replica whose replay is more than this behind the primary, or that does not answer, is left out
    # of the reads' rotation until it catches up; each process samples the lag every
    # replica_lag_check_ms, not per request (platform/db/replica_lag.py)
    replica_max_lag_ms: Annotated[int, msgspec.Meta(ge=1)] = 1000
    replica_lag_check_ms: Annotated[int, msgspec.Meta(ge=10, le=60_000)] = 250
    # Read-your-writes: after a request that wrote, that client's public reads go to the primary until
    # a replica has replayed its commit, for at most this long (a signed cookie; platform/web/read_after.py)
    read_your_writes_seconds: Annotated[int, msgspec.Meta(ge=0, le=3600)] = 30
    # The operators' replication check (ops/monitoring/replication.py, docs/reliability.md), every minute:
    # an incident when a slot's xmin holds vacuum back by more than replication_max_xmin_age
    # transactions, a slot keeps more than replication_max_retained_bytes of WAL (an inactive one,
    # whose replica is gone or stopped, more than replication_inactive_max_retained_bytes), or a
    # standby's replay is more than replication_max_replay_lag_ms behind; its reads stop after
    # replication_check_timeout_ms.
    replication_max_xmin_age: Annotated[int, msgspec.Meta(ge=1)] = 5_000_000
    replication_max_retained_bytes: Annotated[int, msgspec.Meta(ge=1)] = 1 << 30
    replication_inactive_max_retained_bytes: Annotated[int, msgspec.Meta(ge=1)] = 64 << 20
    replication_max_replay_lag_ms: Annotated[int, msgspec.Meta(ge=1)] = 60_000
    replication_check_timeout_ms: Annotated[int, msgspec.Meta(ge=1, le=60_000)] = 2000
    redis_url: str = "redis://127.0.0.1:6379/0"
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_topic_prefix: str = "govstat."
    kafka_partitions: Annotated[int, msgspec.Meta(ge=1, le=256)] = 3
    # Duplicate markers (processed_event) are kept this long, or longer where Kafka keeps its records
    # longer (retention.ms + segment.ms + a day), then pruned hourly (platform/events/retention.py)
    processed_event_keep_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] = 14
    # A read model that holds its shared consumer group back this many polls in a row, or this
    # long, is detached: it goes on in its own group, the others without it (events/detach.py).
    shared_detach_after_polls: Annotated[int, msgspec.Meta(ge=1)] = 10
    shared_detach_after_seconds: Annotated[float, msgspec.Meta(gt=0)] = 60.0
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    base_url: str = "http://127.0.0.1:8000"
    secret_key: Annotated[str, msgspec.Meta(min_length=16)] = DEV_SECRET_KEY
    cookie_secure: bool = False
    session_ttl_seconds: Annotated[int, msgspec.Meta(ge=60)] = 8 * 3600
    db_pool_min: Annotated[int, msgspec.Meta(ge=1)] = 2
    db_pool_max: Annotated[int, msgspec.Meta(ge=1)] = 10
    # A request waits this long for a pooled connection, then answers 503 with Retry-After.
    db_acquire_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=300)] = 5.0
    # Each statement of a web request (0: none); CLI, worker, relay and monitor set none.
    db_statement_timeout_ms: Annotated[int, msgspec.Meta(ge=0)] = 30_000
    otlp_endpoint: str = ""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    relay_batch_size: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 2000  # rows per claim (issue 15 §3)
    relay_interval_seconds: Annotated[float, msgspec.Meta(gt=0)] = 0.5
    # Each app process refreshes its heartbeat in Redis every fifth of this; when it has not for this
    # long, the relay's usage sweep (every usage_sweep_interval_seconds) records the process's open
    # calls as "ended unknown" (gateway/heartbeat.py, gateway/usage_sweep.py). Wide: a live process
    # stalled this long has its calls billed as one unit each.
    usage_heartbeat_ttl_seconds: Annotated[float, msgspec.Meta(ge=2, le=120)] = 10.0
    usage_sweep_interval_seconds: Annotated[float, msgspec.Meta(gt=0, le=600)] = 2.0
    smtp_host: str = "127.0.0.1"
    smtp_port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8025
    mail_from: str = "noreply@govstat.example.go.jp"
    # The master key that wraps each online survey's data key (64 hex digits, AES-256; empty: derived
    # from secret_key). Answers (調査票情報) are encrypted at rest under their survey's data key.
    online_master_key: Annotated[str, msgspec.Meta(pattern="^([0-9a-fA-F]{64})?$")] = ""
    # relay, monitor and worker serve their own Prometheus text at http://GOVSTAT_HOST:<port>/metrics (0: off)
    metrics_port: Annotated[int, msgspec.Meta(ge=0, le=65535)] = 0
    # The on-site system's master key (64 hex digits) wrapping each microdata dataset's data key;
    # empty: derived from secret_key (development and tests only, refused in production).
    onsite_master_key: str = ""


PREFIX = "GOVSTAT_"


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read GOVSTAT_* variables; unknown GOVSTAT_* names are refused too (typos)."""
    environ = dict(os.environ if environ is None else environ)
    fields = {f.name for f in msgspec.structs.fields(Settings)}
    raw: dict[str, str] = {}
    for key, value in environ.items():
        if not key.startswith(PREFIX):
            continue
        name = key[len(PREFIX) :].lower()
        if name in fields:
            raw[name] = value
        elif name not in _NON_SETTINGS:
            raise ConfigError(f"{key}: unknown setting (known: {', '.join(sorted(env_name(f) for f in fields))})")
    try:
        return check_production(msgspec.convert(raw, Settings, strict=False))
    except msgspec.ValidationError as exc:
        # msgspec says "... - at `$.port`": turn the path into the variable name.
        message = str(exc)
        for name in raw:
            if f"`$.{name}`" in message:
                raise ConfigError(f"{env_name(name)}={raw[name]!r}: {message.split(' - at ')[0]}") from None
        raise ConfigError(message) from None


def check_production(settings: Settings) -> Settings:
    """In production the development defaults are refused: the secret key keys the API-key hashes and
    pseudonymises anonymous respondents (public, it protects neither), and a session cookie without
    Secure travels over plain HTTP."""
    if settings.env != "prod":
        return settings
    if settings.secret_key == DEV_SECRET_KEY:
        raise ConfigError(
            f"{env_name('secret_key')}: set a long random value in production (GOVSTAT_ENV=prod),"
            " e.g. `openssl rand -hex 32`; the development default is public"
        )
    if not settings.onsite_master_key:
        raise ConfigError(
            f"{env_name('onsite_master_key')}: set 64 hex digits in production (GOVSTAT_ENV=prod): it wraps"
            " every microdata dataset's key, and must not be derivable from another secret"
        )
    if not settings.cookie_secure:
        raise ConfigError(
            f"{env_name('cookie_secure')}=false: production (GOVSTAT_ENV=prod) serves over HTTPS;"
            " set GOVSTAT_COOKIE_SECURE=true so the session cookie never travels in clear"
        )
    return settings


# Variables read by ops/services scripts and tests, not by the app itself.
_NON_SETTINGS = {
    "data_dir",
    "cache_dir",
    "pg_port",
    "redis_port",
    "kafka_port",
    "kafka_controller_port",
    "pg_fast",
    "pg_start_timeout",
    "pg_shared_buffers",
    "pg_replica",
    "pg_replica_port",
    "pg_replica_shared_buffers",
    "redis_start_timeout",
    "kafka_start_timeout",
    "kafka_heap_opts",
    "test_keep_db",
}

_current: Settings | None = None


def get_settings() -> Settings:
    global _current
    if _current is None:
        _current = load_settings()
    return _current


def set_settings(settings: Settings) -> None:
    global _current
    _current = settings
