"""Backing-service outages: tell them from bugs, log each one once, count it, back off.

A PostgreSQL, Redis or Kafka outage is waited out by the long-running processes
(relay, monitor, worker): they never exit for one. Each process logs an outage
when the first of its loops loses the service and its end when the last one gets
it back (one ERROR and one WARNING line, however many loops and retries), and
counts it in `govstat_backing_service_outages` / `..._outage_seconds`. The client
libraries' own reconnect chatter (aiokafka logs every failed connect) is let
through once per message per window.
"""

from __future__ import annotations

import asyncio
import logging
import time

from govstat.platform.telemetry import meter

log = logging.getLogger("govstat.outage")

_outages = meter().create_counter(
    "govstat_backing_service_outages", description="outages of PostgreSQL, Redis or Kafka seen by this process"
)
_outage_seconds = meter().create_counter(
    "govstat_backing_service_outage_seconds",
    unit="s",
    description="time a backing service was unavailable to this process",
)


def is_outage(exc: BaseException) -> bool:
    """True for 'the service is away' (wait and retry as is), False for 'this input or code is wrong'."""
    import asyncpg
    from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeout

    from govstat.platform.errors import Unavailable

    if isinstance(
        exc,
        (
            OSError,
            asyncio.TimeoutError,
            Unavailable,
            RedisConnectionError,
            RedisTimeout,
            asyncpg.PostgresConnectionError,
            asyncpg.CannotConnectNowError,
            KafkaConnectionError,
            KafkaTimeoutError,
        ),
    ):
        return True
    if isinstance(exc, asyncpg.InterfaceError) and "closed" in str(exc):
        return True  # a pooled connection the server dropped
    if isinstance(exc, asyncpg.PostgresError) and _transient_sqlstate(getattr(exc, "sqlstate", "") or ""):
        return True
    if isinstance(exc, KafkaError) and bool(getattr(exc, "retriable", False)):
        return True
    # the unit of work translates database errors at its boundary: judge the original too
    cause = exc.__cause__
    return cause is not None and cause is not exc and is_outage(cause)


def _transient_sqlstate(state: str) -> bool:
    """Errors that say the database is unwell or busy, not that this event is wrong: connection (08),
    transaction rollback such as deadlock or serialization (40), insufficient resources such as too many
    connections (53), operator intervention such as shutdown or a cancelled statement (57), a read-only
    standby after a failover (25006), and a schema older than the code (undefined table or column:
    deployed before `govstat migrate`). Every event would fail the same way: waiting is right, setting
    each aside would empty the topic into dead_letter."""
    return state[:2] in ("08", "40", "53", "57") or state in ("25006", "42P01", "42703")


def service_of(exc: BaseException, default: str) -> str:
    """Which service an outage error came from (OSError alone does not say: the caller's guess)."""
    module = type(exc).__module__
    if module.startswith("asyncpg") or type(exc).__name__ == "Unavailable":
        return "postgres"
    if module.startswith("redis"):
        return "redis"
    if module.startswith("aiokafka"):
        return "kafka"
    return default


class Outage:
    """One backing service as this process sees it: down while any of its loops is failing."""

    _all: dict[str, Outage] = {}

    def __init__(self, service: str) -> None:
        self.service = service
        self.failing: set[str] = set()
        self.since = 0.0

    @classmethod
    def of(cls, service: str) -> Outage:
        return cls._all.setdefault(service, cls(service))

    def down(self, component: str, exc: BaseException) -> None:
        if not self.failing:
            self.since = time.monotonic()
            _outages.add(1, {"service": self.service})
            log.error(
                "%s unavailable (%s: %s; first seen by %s); waiting and retrying with backoff",
                self.service,
                type(exc).__name__,
                str(exc)[:200],
                component,
            )
        self.failing.add(component)

    def up(self, component: str) -> None:
        if component not in self.failing:
            return
        self.failing.discard(component)
        if not self.failing:
            seconds = time.monotonic() - self.since
            _outage_seconds.add(seconds, {"service": self.service})
            log.warning("%s available again after %.1f s", self.service, seconds)


def outage_failed(component: str, exc: BaseException, default_service: str) -> str:
    """Record a failed attempt of `component`; returns the service blamed."""
    service = service_of(exc, default_service)
    Outage.of(service).down(component, exc)
    return service


def outage_over(component: str, *services: str) -> None:
    for service in services or tuple(Outage._all):
        Outage.of(service).up(component)


class Backoff:
    """Exponential backoff with a ceiling: 0.5 s, 1 s, 2 s, ... 10 s; reset after a success."""

    def __init__(self, first: float = 0.5, ceiling: float = 10.0) -> None:
        self.first, self.ceiling, self.delay = first, ceiling, first

    def next(self) -> float:
        delay, self.delay = self.delay, min(self.delay * 2, self.ceiling)
        return delay

    def reset(self) -> None:
        self.delay = self.first


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass


class RepeatFilter(logging.Filter):
    """A client library's messages: none while its service is known to be down (the outage is logged
    once, above), otherwise each message once per `window` seconds (per logger and template)."""

    PREFIXES = ("aiokafka", "kafka", "arq", "asyncpg", "redis")
    SERVICE = {"aiokafka": "kafka", "kafka": "kafka", "arq": "redis", "redis": "redis", "asyncpg": "postgres"}

    def __init__(self, window: float = 120.0) -> None:
        super().__init__()
        self.window = window
        self.seen: dict[tuple[str, str], float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self.PREFIXES):
            return True
        known = Outage._all.get(self.SERVICE.get(record.name.split(".")[0], ""))
        if known is not None and known.failing and record.levelno < logging.CRITICAL:
            return False
        key = (record.name, str(record.msg))
        now = time.monotonic()
        last = self.seen.get(key)
        if last is not None and now - last < self.window:
            return False
        self.seen[key] = now
        return True


def quiet_reconnect_logs(window: float = 120.0) -> None:
    """Install the repeat filter on the root handlers (after logging is configured)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        if not any(isinstance(f, RepeatFilter) for f in handler.filters):
            handler.addFilter(RepeatFilter(window))


async def watch_kafka(bootstrap: str, stop: asyncio.Event, interval: float = 1.0) -> None:
    """Notice a Kafka outage even when no send or fetch fails: aiokafka retries inside its clients
    and only logs. A broker that accepts a connection is 'up'."""
    servers = [s.strip().rsplit(":", 1) for s in bootstrap.split(",") if s.strip()]
    outage = Outage.of("kafka")
    while not stop.is_set():
        error: BaseException | None = None
        for host, port in servers:
            try:
                _, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), 2.0)
                writer.close()
                error = None
                break
            except (TimeoutError, OSError) as exc:
                error = exc
        if error is None:
            outage.up("probe")
        else:
            outage.down("probe", error)
        await sleep_or_stop(stop, interval)


async def start_pool_patiently(stop: asyncio.Event | None = None) -> None:
    """Start the database pool, waiting out a PostgreSQL that is not there yet."""
    from govstat.platform.db.engine import DB, start_pool

    backoff = Backoff()
    while True:
        try:
            await start_pool()
            outage_over("pool", "postgres")
            return
        except Exception as exc:
            DB.pool = None
            if not is_outage(exc):
                raise
            outage_failed("pool", exc, "postgres")
            if stop is not None and stop.is_set():
                raise
            await asyncio.sleep(backoff.next())
