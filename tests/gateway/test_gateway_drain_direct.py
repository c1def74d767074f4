"""Issue 15 §3: the usage drainer sends each batch to Kafka on its way into the outbox
(platform/events/direct.py): the rows go in published, the read models count each event once, a
batch drained twice (a crash before the stream was acknowledged) still counts once, and with Kafka
away the rows wait in the outbox for the relay, as before."""

import asyncio
import contextvars
import time

import msgspec
import pytest

from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.gateway.metering import store_usage
from govstat.gateway.sla.consumers import SlaConsumer
from govstat.gateway.usage_drain import drain_once
from govstat.ops.consumers import UsageRollupConsumer
from govstat.platform.cache import redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.direct import Publisher, write_outbox_sent
from govstat.platform.events.envelope import UsagePayload, encode, new_event
from govstat.platform.events.relay import run_relay
from govstat.platform.events.shared import SharedFetch
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually
from tests.support.factories import make_tenant

SYSTEM = Scope.system("test")


def _events(tenant_id, n: int) -> list:
    return [
        new_event(UsagePayload(module="area", operation="area.search", principal_kind="agency", units=1), tenant_id)
        for _ in range(n)
    ]


async def _queued(tenant_id, n: int) -> list:
    """`n` usage events in the Redis stream, as answered calls leave them."""
    events = _events(tenant_id, n)
    for event in events:
        await store_usage(redis_client(), event)
    return events


async def _outbox(events) -> list:
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetch("SELECT id, published_at FROM outbox WHERE id = ANY($1)", [e.id for e in events])


async def _rollup(tenant_id) -> int:
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetchval("SELECT coalesce(sum(calls), 0) FROM usage_minute WHERE tenant_id = $1", tenant_id)


async def test_drained_events_go_to_kafka_and_into_the_outbox_published_and_count_once(running):
    stop, tasks = running
    t = await make_tenant()
    events = await _queued(t.id, 20)
    publisher = Publisher(get_settings())
    try:
        while await drain_once(redis_client(), "test-drain", publisher=publisher):
            pass
        rows = await _outbox(events)
        assert len(rows) == 20 and all(r["published_at"] is not None for r in rows)  # nothing left for the relay
        # drained again (a crash after Kafka had them, before the stream was acknowledged): sent twice,
        # one outbox row each, still
        payloads = [encode(e) for e in events[:5]]
        sent = await publisher.send(events[:5], payloads)
        assert sent == {e.id for e in events[:5]}
        async with UnitOfWork(SYSTEM) as uow:
            await write_outbox_sent(uow.connection, events[:5], payloads, sent)
        assert len(await _outbox(events)) == 20
    finally:
        await publisher.close()
    shared = SharedFetch([UsageRollupConsumer(), SlaConsumer(), BillableUsageConsumer()])
    tasks.append(asyncio.create_task(shared.run(get_settings(), stop)))

    async def counted() -> bool:
        return await _rollup(t.id) == 20

    await eventually(counted, timeout=60, message="the rollup counting the 20 events")
    await asyncio.sleep(1.0)  # the five sent twice are in Kafka twice: dropped by their markers
    assert await _rollup(t.id) == 20


async def test_with_kafka_away_the_drained_events_wait_in_the_outbox_for_the_relay(running):
    stop, tasks = running
    t = await make_tenant()
    events = await _queued(t.id, 5)
    away = Publisher(msgspec.structs.replace(get_settings(), kafka_bootstrap="127.0.0.1:1"))  # nothing listens
    try:
        while await drain_once(redis_client(), "test-drain", publisher=away):
            pass
    finally:
        await away.close()
    rows = await _outbox(events)
    assert len(rows) == 5 and all(r["published_at"] is None for r in rows)
    assert away.away_until > 0  # the next batches do not wait on Kafka
    tasks.append(asyncio.create_task(run_relay(get_settings(), stop)))

    async def relayed() -> bool:
        return all(r["published_at"] is not None for r in await _outbox(events))

    await eventually(relayed, timeout=60, message="the relay publishing the five")


async def test_a_batch_kafka_has_is_not_sent_again_while_its_outbox_write_waits(running):
    """PostgreSQL stuck (here: the outbox locked) after Kafka took the batch: the drainer's retry does
    not send it to Kafka again (before, every retry of an outage re-sent the whole batch)."""
    t = await make_tenant()
    events = await _queued(t.id, 5)
    publisher = Publisher(get_settings())
    try:
        async with UnitOfWork(SYSTEM) as uow:
            await uow.execute("LOCK TABLE outbox IN SHARE MODE")  # the drainer's INSERT waits
            drain = asyncio.create_task(  # a context of its own: the drainer is not inside this unit of work
                drain_once(redis_client(), "test-drain", publisher=publisher), context=contextvars.Context()
            )

            async def acknowledged() -> bool:
                return {e.id for e in events} <= publisher.acknowledged

            await eventually(acknowledged, timeout=30, message="Kafka acknowledging the batch")
            drain.cancel()  # the outbox write failed: the stream keeps the entries
            with pytest.raises(asyncio.CancelledError):
                await drain
        assert await _outbox(events) == []
        publisher.away_until = time.monotonic() + 3600  # Kafka away from now on: nothing could be sent
        while await drain_once(redis_client(), "test-drain", publisher=publisher):
            pass
        rows = await _outbox(events)
        assert len(rows) == 5 and all(r["published_at"] is not None for r in rows)  # Kafka had them
        assert publisher.acknowledged == set()
    finally:
        await publisher.close()
