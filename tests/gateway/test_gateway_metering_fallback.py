"""GOV-4, decision 0015: Redis fails at a call's completion, after it admitted the call. The full event
goes to the PostgreSQL outbox; the open record stays in Redis and is later swept "ended unknown"
(status 0, one unit) under the same event id. Billing must count the real event (its units), once:
the drainer drops a swept copy whose id the outbox has, and the process closes the open records of
its fallbacks once Redis answers again, so there is nothing to sweep."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from govstat.gateway import heartbeat
from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.gateway.completions import Completions
from govstat.gateway.metering import OPEN, OPEN_BY, OPEN_SINCE
from govstat.gateway.ratelimit import Limit, RateLimiter
from govstat.gateway.usage_drain import drain_once
from govstat.gateway.usage_sweep import sweep_open
from govstat.platform.cache import redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.direct import Publisher
from govstat.platform.events.envelope import Envelope, UsagePayload, decode, encode, new_event
from govstat.platform.events.relay import run_relay
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually
from tests.support.factories import make_tenant

SYSTEM = Scope.system("test")


def _spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _call(tenant_id: uuid.UUID) -> tuple[Envelope[UsagePayload], Envelope[UsagePayload]]:
    """A call as admitted (status 0, one unit) and as completed (status 200, seven units, its bytes)."""
    admitted = new_event(
        UsagePayload(module="area", operation="area.search", principal_kind="agency", status=0, units=1), tenant_id
    )
    full = decode(encode(admitted))
    full.payload.status, full.payload.units, full.payload.bytes = 200, 7, 4321
    return admitted, full


async def _admit(redis: Redis, admitted: Envelope[UsagePayload]) -> None:
    opened = (str(admitted.id), encode(admitted))
    assert (await RateLimiter(redis).check(f"fb:{uuid.uuid4().hex}", Limit(quota=1000, window=1), opened)).allowed


async def _outbox_rows(event_id: uuid.UUID) -> list:
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetch("SELECT payload, published_at FROM outbox WHERE id = $1", event_id)


async def _billed(tenant_id: uuid.UUID) -> tuple[int, int] | None:
    async with UnitOfWork(SYSTEM) as uow:
        row = await uow.fetchrow(
            "SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(units), 0) AS units"
            " FROM billable_usage WHERE tenant_id = $1",
            tenant_id,
        )
    return (row["calls"], row["units"]) if row["calls"] else None


async def test_the_real_event_is_billed_once_when_the_swept_copy_reaches_kafka_first(running, monkeypatch):
    """The process dies with Redis still failing for it: its call is swept, and the drainer (which
    sends to Kafka before the outbox) would publish the swept copy ahead of the relay's real one."""
    stop, tasks = running
    t = await make_tenant()
    redis = redis_client()
    monkeypatch.setattr(heartbeat, "_process", [f"gone/{uuid.uuid4().hex}"])  # a process without a heartbeat
    admitted, full = _call(t.id)
    await _admit(redis, admitted)
    # the completion's Redis fails: nothing listens on its port
    broken = Redis(host="127.0.0.1", port=_spare_port(), socket_timeout=1, socket_connect_timeout=1)
    writer = Completions(broken)
    writer.add(full, str(full.id))
    await writer.settle()
    await writer.close()  # it could not close the open record: Redis never answers it again
    await broken.aclose()
    [row] = await _outbox_rows(full.id)  # the fallback: the real event, pending for the relay
    assert decode(row["payload"]).payload.units == 7 and row["published_at"] is None
    assert await redis.hexists(OPEN, str(full.id))  # the leftover the sweep takes
    assert await sweep_open(redis, dead_after_s=0) >= 1
    # billing consumes as it does in production: before the drain, so it applies whatever comes first
    billing, polled = BillableUsageConsumer(), asyncio.Event()

    async def on_poll(_consumer: object) -> None:
        polled.set()

    billing.on_poll = on_poll
    tasks.append(asyncio.create_task(billing.run(get_settings(), stop)))
    await asyncio.wait_for(polled.wait(), 60)
    publisher = Publisher(get_settings())
    try:
        while await drain_once(redis, "test-drain", publisher=publisher):
            pass
    finally:
        await publisher.close()
    with contextlib.suppress(AssertionError):  # a swept copy the drainer sent would be billed meanwhile
        await eventually(lambda: _billed(t.id), timeout=10, message="anything billed before the relay runs")
    tasks.append(asyncio.create_task(run_relay(get_settings(), stop)))  # it sends the real event
    await eventually(lambda: _billed(t.id), timeout=60, message="the call billed")
    await asyncio.sleep(2.0)  # a second copy, were there one, would be counted by now
    assert await _billed(t.id) == (1, 7)
    [row] = await _outbox_rows(full.id)
    assert decode(row["payload"]).payload.units == 7


@pytest.fixture
async def private_redis(tmp_path: Path) -> AsyncIterator[tuple[Redis, int, Path]]:
    """A redis-server of this test's own, which it may stop and start (the shared one it must not)."""
    port = _spare_port()
    proc = _start(port, tmp_path)
    client = Redis(host="127.0.0.1", port=port, socket_timeout=1, socket_connect_timeout=1)
    try:
        yield client, port, tmp_path
    finally:
        await client.aclose()
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True, timeout=10)
        proc.wait(timeout=10)


def _start(port: int, data: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data),
            "--save",
            "",
            "--appendonly",
            "yes",
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG":
            return proc
        subprocess.run(["sleep", "0.05"])
    raise RuntimeError("private redis-server did not start")


async def test_a_fallback_closes_its_open_records_once_redis_is_back(private_redis, monkeypatch):
    redis, port, data = private_redis
    monkeypatch.setattr(heartbeat, "_process", [f"gone/{uuid.uuid4().hex}"])
    t = await make_tenant()
    admitted, full = _call(t.id)
    await _admit(redis, admitted)
    subprocess.run(["redis-cli", "-p", str(port), "shutdown"], capture_output=True, timeout=10)  # kept on disk
    writer = Completions(redis)
    writer.add(full, str(full.id))
    await writer.settle()  # Redis away: the real event into the outbox
    assert len(await _outbox_rows(full.id)) == 1
    restarted = _start(port, data)
    try:
        assert await redis.hexists(OPEN, str(full.id))  # the record came back with Redis

        async def closed() -> bool:
            ids = str(full.id)
            return not (await redis.hexists(OPEN, ids) or await redis.zscore(OPEN_SINCE, ids))

        await eventually(closed, timeout=30, message="the open record closed by the process")
        assert not await redis.hexists(OPEN_BY, str(full.id))
        assert await sweep_open(redis, older_than_s=0, dead_after_s=0) == 0  # nothing left to sweep
    finally:
        restarted.terminate()
        restarted.wait(timeout=10)
        await writer.close()
