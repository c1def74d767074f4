"""GOV-4/PLAT-3: no usage event is lost when the app is killed right after answering,
nor when Kafka is down."""

import asyncio
import uuid

import httpx

from govstat.gateway.usage_drain import drain_once
from govstat.gateway.usage_sweep import sweep_open
from govstat.ops.consumers import UsageRollupConsumer
from govstat.platform.cache import redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import decode
from govstat.platform.events.relay import run_relay
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually
from tests.support.factories import api_key, make_tenant
from tests.support.server import AppProcess
from tests.support.services import kafka


async def _drain_all() -> None:
    while await drain_once(redis_client(), "test-drain"):
        pass


async def _usage_keys(prefix: str) -> list[str]:
    async with UnitOfWork(Scope.system()) as uow:
        rows = await uow.fetch(
            "SELECT payload FROM outbox WHERE kind = 'usage' AND created_at > now() - interval '10 minutes'"
        )
    keys = []
    for r in rows:
        p = decode(r["payload"]).payload
        if p.idempotency_key.startswith(prefix):
            keys.append(p.idempotency_key)
    return keys


async def test_kill_9_under_load_loses_no_answered_call():
    t = await make_tenant(plan="large")
    token = await api_key(t.id)
    prefix = f"kill-{uuid.uuid4().hex[:8]}-"
    app = AppProcess().start()
    answered: list[str] = []
    headers = {"authorization": f"Bearer {token}"}

    async def caller(n: int, client: httpx.AsyncClient) -> None:
        for i in range(1000):
            key = f"{prefix}{n}-{i}"
            try:
                r = await client.get(
                    "/api/area/codes", params={"limit": 1}, headers={**headers, "idempotency-key": key}
                )
            except httpx.HTTPError:
                return
            if r.status_code == 200:
                answered.append(key)

    async with httpx.AsyncClient(base_url=app.url, timeout=5) as client:
        tasks = [asyncio.create_task(caller(n, client)) for n in range(16)]
        await eventually(lambda: _enough(answered, 150), timeout=60, message="load")
        app.kill()  # kill -9 in the middle of the load
        await asyncio.gather(*tasks)
    assert len(answered) >= 150
    restarted = AppProcess().start()  # restart: the new process serves on
    restarted.stop()
    # Calls the killed process admitted but never completed stay open until no process can still
    # complete them (the relay's sweep, after ORPHAN_AFTER_S); every app process is gone here.
    await sweep_open(redis_client(), older_than_s=0)
    await _drain_all()
    stored = await _usage_keys(prefix)
    assert len(stored) == len(set(stored))  # one event per call
    lost = set(answered) - set(stored)
    assert lost == set(), f"{len(lost)} answered calls have no usage event"


async def _enough(items, n):
    return len(items) >= n


async def test_usage_waits_out_a_kafka_outage(client):
    t = await make_tenant()
    token = await api_key(t.id)
    settings = get_settings()
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(run_relay(settings, stop)),
        asyncio.create_task(UsageRollupConsumer().run(settings, stop)),
    ]
    try:
        kafka("stop")
        try:
            for _ in range(7):
                r = await client.get("/api/area/codes", params={"limit": 3}, headers={"x-api-key": token})
                assert r.status_code == 200
            await _drain_all()
        finally:
            kafka("start")
        # the drainer runs on in production: completions sent after the first drain reach the outbox too
        rolled = await eventually(lambda: _drained_calls_of(t.id, 7), timeout=120, message="usage after Kafka restart")
        assert rolled == (7, 21)
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _drained_calls_of(tenant_id, expected):
    await _drain_all()
    return await _calls_of(tenant_id, expected)


async def _calls_of(tenant_id, expected):
    async with UnitOfWork(Scope.system()) as uow:
        row = await uow.fetchrow(
            "SELECT coalesce(sum(calls),0) AS calls, coalesce(sum(units),0) AS units"
            " FROM usage_minute WHERE tenant_id = $1 AND module = 'area'",
            tenant_id,
        )
    return (row["calls"], row["units"]) if row["calls"] >= expected else None
