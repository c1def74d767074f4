"""Issue 15 §3: a shared group marks each event once (events/markers.py), and still no read model counts
an event twice: not when it later runs alone, not when the group replays what it applied alone, not
in another group."""

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


def _three() -> SharedFetch:
    return SharedFetch([UsageRollupConsumer(), SlaConsumer(), BillableUsageConsumer()])


async def _markers(events) -> dict[str, int]:
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch(
            "SELECT consumer, count(*) AS n FROM processed_event WHERE event_id = ANY($1) GROUP BY consumer",
            [e.id for e in events],
        )
    return {r["consumer"]: r["n"] for r in rows}


async def test_a_shared_poll_writes_one_marker_per_event_and_registers_its_read_models():
    t = await make_tenant()
    events = _events(t.id, 6)
    shared = _three()
    await shared._apply_poll(Offsets(), {P0: _messages(P0, events)})
    assert await _counts(t.id) == (6, 6, 6)
    assert await _markers(events) == {shared.marker: 6}  # not one per read model
    async with UnitOfWork(SYSTEM) as uow:
        members = await uow.fetchval("SELECT members FROM marker_group WHERE name = $1", shared.marker)
    assert members == [m.name for m in shared.members]


async def test_a_read_model_alone_after_the_group_does_not_count_what_the_group_applied():
    t = await make_tenant()
    events = _events(t.id, 5)
    await _three()._apply_poll(Offsets(), {P0: _messages(P0, events[:3])})
    # the rollup alone (the group's fallback, or a deployment without the group) gets all five,
    # together (one transaction) and one by one: only the two the group never saw count
    together, one_by_one = UsageRollupConsumer(), UsageRollupConsumer()
    offsets = Offsets()
    await together._apply_batch(offsets, P0, _messages(P0, events[:4]))
    assert offsets.committed == {P0: 4}
    for event in events:
        await one_by_one.apply(event)
    assert await _counts(t.id) == (5, 3, 3)


async def test_the_group_does_not_count_again_what_a_read_model_applied_alone():
    t = await make_tenant()
    events = _events(t.id, 4)
    sla = SlaConsumer()
    await sla._apply_batch(Offsets(), P0, _messages(P0, events[:2]))  # the SLA model ran alone first
    assert await _counts(t.id) == (0, 2, 0)
    await _three()._apply_poll(Offsets(), {P0: _messages(P0, events)})  # then the group, from the start
    assert await _counts(t.id) == (4, 4, 4)


async def test_the_group_looks_for_old_markers_only_among_events_older_than_the_last_one_made_elsewhere():
    """A read model alone marked an event long ago (its activity is old): events of now need no look;
    an event as old as that one is looked for (and not counted twice)."""
    t = await make_tenant()
    old, new = _events(t.id, 1), _events(t.id, 2)
    old[0].occurred_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    rollup = UsageRollupConsumer()
    await rollup._apply_batch(Offsets(), P0, _messages(P0, old))  # alone, a two days old event
    async with UnitOfWork(SYSTEM) as uow:  # as if that was the last thing it marked, long ago
        await uow.execute("UPDATE marker_activity SET last_at = now() - interval '1 day' WHERE name = $1", rollup.name)
    await _three()._apply_poll(Offsets(), {P0: _messages(P0, new)})
    assert await _counts(t.id) == (3, 2, 2)
    await _three()._apply_poll(Offsets(), {P0: _messages(P0, old)})  # older than the activity: looked for
    assert await _counts(t.id) == (3, 3, 3)


async def test_a_read_model_in_a_new_group_skips_what_an_earlier_group_with_it_applied():
    t = await make_tenant()
    events = _events(t.id, 3)
    await SharedFetch([UsageRollupConsumer(), SlaConsumer()])._apply_poll(Offsets(), {P0: _messages(P0, events)})
    assert await _counts(t.id) == (3, 3, 0)
    await _three()._apply_poll(Offsets(), {P0: _messages(P0, events)})  # billing added: a new group
    assert await _counts(t.id) == (3, 3, 3)
