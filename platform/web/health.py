"""Liveness, readiness and metrics: public by design."""
from __future__ import annotations

import asyncio

from litestar import Request, Response, get

from govstat.platform.module import public
from govstat.platform.settings import get_settings
from govstat.platform.telemetry import prometheus_text
from govstat.platform.web.pages import page


@get("/healthz", opt=public("platform.health"), tags=["platform"])
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


async def _check_db() -> None:
    from govstat.platform.db.engine import DB

    await DB.run_ddl("SELECT 1")


async def _check_redis() -> None:
    from govstat.platform.cache import redis_client

    await redis_client().ping()


async def _check_kafka() -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=get_settings().kafka_bootstrap, request_timeout_ms=3000)
    await admin.start()
    try:
        await admin.list_topics()
    finally:
        await admin.close()


@get("/readyz", opt=public("platform.health"), tags=["platform"])
async def readyz() -> Response:
    """PostgreSQL, Redis and Kafka answer."""
    checks = {"postgres": _check_db, "redis": _check_redis, "kafka": _check_kafka}
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            await asyncio.wait_for(check(), timeout=5)
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - report any failure by name
            results[name] = f"error: {type(exc).__name__}: {exc}"[:300]
    ready = all(v == "ok" for v in results.values())
    return Response({"status": "ready" if ready else "not ready", "checks": results}, status_code=200 if ready else 503)


@get("/metrics", opt=public("platform.metrics"), tags=["platform"], media_type="text/plain; version=0.0.4")
async def metrics() -> bytes:
    return prometheus_text()


@get("/", opt=public("platform.home"), include_in_schema=False)
async def home(request: Request) -> object:
    return page(request, "home.html")


ROUTES = [healthz, readyz, metrics, home]
