"""Review h21: a call's full event and a swept copy of it ("ended unknown": status 0, one unit) in one
drain batch. It happens when the full event was written at once while an open record was left behind
(an admission whose reply was lost on a read, which passes; a tombstone lost in a Redis crash) and
the record was swept before the drainer ran. The drainer checked the outbox only for the swept
copy's id, found nothing yet, and sent both to Kafka in one batch, where the read models take the
last copy of an id in a poll: the swept one was billed instead of the real units. Now a swept copy
whose id has its full event in the same batch is dropped. Real Redis, Kafka, PostgreSQL."""

from __future__ import annotations

import asyncio

from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.gateway.metering import STREAM
from govstat.gateway.usage_drain import drain_once
from govstat.platform.cache import redis_client
from govstat.platform.events.direct import Publisher
from govstat.platform.events.envelope import encode
from govstat.platform.settings import get_settings
from tests.gateway.test_gateway_metering_fallback import _billed, _call
from tests.support.eventually import eventually
from tests.support.factories import make_tenant


async def test_a_swept_copy_drained_with_its_full_event_is_not_billed(running):
    stop, tasks = running
    t = await make_tenant()
    redis = redis_client()
    admitted, full = _call(t.id)
    await redis.xadd(STREAM, {"e": encode(full)})  # the call's full event, written at once ...
    await redis.xadd(STREAM, {"s": encode(admitted)})  # ... and its leftover open record, swept
    billing, polled = BillableUsageConsumer(), asyncio.Event()

    async def on_poll(_consumer: object) -> None:
        polled.set()

    billing.on_poll = on_poll
    tasks.append(asyncio.create_task(billing.run(get_settings(), stop)))
    await asyncio.wait_for(polled.wait(), 60)
    publisher = Publisher(get_settings())
    try:
        while await drain_once(redis, "test-drain-same", publisher=publisher):
            pass
    finally:
        await publisher.close()
    await eventually(lambda: _billed(t.id), timeout=30, message="the call billed")
    await asyncio.sleep(2.0)  # a second copy, were there one, would be counted by now
    assert await _billed(t.id) == (1, 7)
