"""A usage event dated more than markers.SKEW ahead of the database's clock is set aside at once, never
marked nor applied, by the shared group and by a read model alone (events/markers.py: marked now, a
later group poll could skip the look for a read model's own markers and count it twice)."""

import datetime as dt

from aiokafka import TopicPartition

from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.gateway.sla.consumers import SlaConsumer
from govstat.ops.consumers import UsageRollupConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.shared import SharedFetch
from tests.platform.test_events_shared import SYSTEM, Offsets, _counts, _events, _messages
from tests.support.factories import make_tenant

P0 = TopicPartition("usage", 0)
NAMES = ["ops-usage-rollup", "gateway-sla", "gateway-billing-usage"]


def _ahead(events, minutes: float) -> None:
    for e in events:
        e.occurred_at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)


async def _set_aside(event) -> dict[str, tuple[int, int, str]]:
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch(
            "SELECT consumer, kafka_offset, attempts, error FROM dead_letter WHERE event_id = $1", event.id
        )
    return {r["consumer"]: (r["kafka_offset"], r["attempts"], r["error"].split(":")[0]) for r in rows}


async def _marked(event) -> list[str]:
    async with UnitOfWork(SYSTEM) as uow:
        return [
            r["consumer"] for r in await uow.fetch("SELECT consumer FROM processed_event WHERE event_id = $1", event.id)
        ]


async def test_the_shared_group_sets_a_future_event_aside_for_every_read_model_and_counts_the_rest():
    t = await make_tenant()
    events = _events(t.id, 4)
    _ahead(events[2:3], 10)  # ten minutes ahead: refused
    _ahead(events[3:], 3)  # three minutes ahead: within the clocks' margin, applied
    offsets = Offsets()
    await SharedFetch([UsageRollupConsumer(), SlaConsumer(), BillableUsageConsumer()])._apply_poll(
        offsets, {P0: _messages(P0, events, 50)}
    )
    assert offsets.committed == {P0: 54} and offsets.rewound == {}  # nothing held back: set aside, not retried
    assert await _counts(t.id) == (3, 3, 3)
    assert await _set_aside(events[2]) == {n: (52, 1, "FutureEvent") for n in NAMES}
    assert await _marked(events[2]) == []  # a later delivery, once its time came, would be applied once
    assert await _set_aside(events[3]) == {}


async def test_a_read_model_alone_sets_a_future_event_aside_together_and_one_by_one():
    t = await make_tenant()
    events = _events(t.id, 3)
    _ahead(events[:1], 60)
    _ahead(events[2:], 24 * 60)
    rollup, offsets = UsageRollupConsumer(), Offsets()
    await rollup._apply_batch(offsets, P0, _messages(P0, events[:2], 10))  # together, in one transaction
    await rollup._apply_batch(offsets, P0, _messages(P0, events[2:], 12))  # one message: one by one
    assert offsets.committed == {P0: 13} and offsets.rewound == {}
    assert (await _counts(t.id))[0] == 1
    assert await _set_aside(events[0]) == {"ops-usage-rollup": (10, 1, "FutureEvent")}
    assert await _set_aside(events[2]) == {"ops-usage-rollup": (12, 1, "FutureEvent")}
    assert await _marked(events[0]) == await _marked(events[2]) == []
