"""Liveness, readiness and metrics: public by design."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response, get

from govstat.platform.module import public
from govstat.platform.problems import RETRY_AFTER_SECONDS
from govstat.platform.settings import get_settings
from govstat.platform.telemetry import prometheus_text
from govstat.platform.web.pages import page


@get("/healthz", opt=public("platform.health"), tags=["platform"])
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


CHECK_TIMEOUT = 3.0  # seconds per check; the checks run side by side
KAFKA_CACHE_SECONDS = 10.0  # one Kafka round trip per this many seconds, however often /readyz is called
log = logging.getLogger("govstat.readyz")


async def _check_db() -> None:
    from govstat.platform.db.engine import DB

    # a bare query: waits for a connection at most GOVSTAT_DB_ACQUIRE_TIMEOUT_SECONDS (and CHECK_TIMEOUT)
    await DB.run_ddl("SELECT 1")


async def _check_redis() -> None:
    from govstat.platform.cache import redis_client

    await redis_client().ping()


class _KafkaCheck:
    """A probe would otherwise open an admin client (sockets, metadata) per call: a flood of /readyz
    became a flood on the brokers. One check at a time; its result serves every caller for a while."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.checked_at = -KAFKA_CACHE_SECONDS
        self.error: BaseException | None = None

    async def __call__(self) -> None:
        async with self.lock:
            if time.monotonic() - self.checked_at >= KAFKA_CACHE_SECONDS:
                try:
                    await asyncio.wait_for(self._probe(), CHECK_TIMEOUT)
                    self.error = None
                except Exception as exc:
                    self.error = exc
                self.checked_at = time.monotonic()
        if self.error is not None:
            raise self.error

    @staticmethod
    async def _probe() -> None:
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(bootstrap_servers=get_settings().kafka_bootstrap, request_timeout_ms=3000)
        await admin.start()
        try:
            await admin.list_topics()
        finally:
            await admin.close()


_check_kafka = _KafkaCheck()


async def _run(name: str, check: Callable[[], Awaitable[None]]) -> str:
    try:
        await asyncio.wait_for(check(), timeout=CHECK_TIMEOUT + 1)  # the Kafka check bounds itself
        return "ok"
    except Exception as exc:
        log.warning("readiness check %s failed: %s: %s", name, type(exc).__name__, exc)
        return "error"


@get("/readyz", opt=public("platform.health"), tags=["platform"])
async def readyz() -> Response[Any]:
    """PostgreSQL, Redis and Kafka answer (each "ok" or "error"; why is logged, never shown)."""
    checks: dict[str, Callable[[], Awaitable[None]]] = {
        "postgres": _check_db,
        "redis": _check_redis,
        "kafka": _check_kafka,
    }
    outcomes = await asyncio.gather(*(_run(name, check) for name, check in checks.items()))
    results = dict(zip(checks, outcomes, strict=False))
    ready = all(v == "ok" for v in outcomes)
    return Response(
        {"status": "ready" if ready else "not ready", "checks": results},
        status_code=200 if ready else 503,
        headers=None if ready else {"Retry-After": RETRY_AFTER_SECONDS},
    )


@get("/metrics", opt=public("platform.metrics"), tags=["platform"], media_type="text/plain; version=0.0.4")
async def metrics() -> bytes:
    return prometheus_text()


@get("/", opt=public("platform.home"), include_in_schema=False)
async def home(request: Request[Any, Any, Any]) -> object:
    return page(request, "home.html")


ROUTES = [healthz, readyz, metrics, home]
