"""Issue 15 §3: a read model that holds the usage topic's shared group back poll after poll is detached
(events/detach.py): the others go on to the end of the topic, it runs alone from where it had got to,
and once fixed it catches up, rejoins, and no event is counted twice."""

import asyncio

from aiokafka import TopicPartition

from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.gateway.sla.consumers import SlaConsumer
from govstat.ops.consumers import UsageRollupConsumer
from govstat.ops.incidents.consumers import IncidentConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import decode, encode
from govstat.platform.events.kafka import make_producer
from govstat.platform.events.shared import SharedFetch
from govstat.platform.root.catalog import CATALOG
from govstat.platform.settings import get_settings
from tests.platform.test_events_shared import SYSTEM, Offsets, _counts, _events, _messages
from tests.support.eventually import eventually
from tests.support.factories import make_tenant

P0 = TopicPartition("usage", 0)
BILLING = BillableUsageConsumer.name


class BrokenBilling(BillableUsageConsumer):
    """Billing's read model whose work fails while `broken`: its statement times out (the database
    cancels it), or its code raises."""

    def __init__(self, how: str = "timeout") -> None:
        super().__init__()
        self.broken, self.how = True, how

    async def _fail(self, uow) -> None:
        if not self.broken:
            return
        if self.how == "timeout":
            await uow.execute("SET LOCAL statement_timeout = '20ms'")
            await uow.execute("SELECT pg_sleep(1)")
        raise RuntimeError("billing cannot apply usage")

    async def handle(self, uow, event) -> None:
        await self._fail(uow)
        await super().handle(uow, event)

    async def handle_many(self, uow, events) -> None:
        await self._fail(uow)
        await super().handle_many(uow, events)


class SmallPolls(SharedFetch):
    """Polls of 10 messages: held back by a read model, the others could get only 10 past it."""

    @property
    def _poll_size(self) -> int:
        return 10


async def _detachments(read_model: str, after: int = 0) -> list:
    """The read model's detachments recorded after row `after` (another test's are older)."""
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetch(
            "SELECT id, shared_group, reason, alert_ref, rejoined_at FROM read_model_detached"
            " WHERE read_model = $1 AND id > $2 ORDER BY id",
            read_model,
            after,
        )


async def _last_detachment() -> int:
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetchval("SELECT coalesce(max(id), 0) FROM read_model_detached")


async def _alert_events(ref: str) -> list:
    """The incident events raised for an alert, in order (from the outbox)."""
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE kind = 'incident' ORDER BY seq")
    events = [decode(bytes(r["payload"])) for r in rows]
    return [e for e in events if e.payload.incident_id == ref and e.payload.module == "events"]


async def _alerts(ref: str) -> list[str]:
    return [e.payload.state for e in await _alert_events(ref)]


async def test_a_read_model_that_fails_every_poll_is_detached_after_three_polls():
    t = await make_tenant()
    events = _events(t.id, 6)
    billing = BrokenBilling("raise")
    shared = SharedFetch([UsageRollupConsumer(), SlaConsumer(), billing], detach_after_polls=3)
    offsets, position, before = Offsets(), 0, await _last_detachment()
    for poll in range(1, 4):
        assert not shared.detached, f"detached after {poll - 1} polls"
        await shared._apply_poll(offsets, {P0: _messages(P0, events[position:], position)})
        position = offsets.rewound.pop(P0, offsets.committed.get(P0, 0))
        assert position == 0  # the group is held at billing's first event
    assert shared.detached == {BILLING} and shared.changed.is_set()
    assert await _counts(t.id) == (6, 6, 0)
    # until run() starts the next composition, a poll does nothing (no commit past billing's place
    # under the whole group, whose offsets billing alone starts from)
    committed, billing.broken = dict(offsets.committed), False
    await shared._apply_poll(offsets, {P0: _messages(P0, events)})
    assert offsets.committed == committed and shared.group == shared.whole
    assert await _counts(t.id) == (6, 6, 0)
    shared.compose()
    assert [m.name for m in shared.together] == ["ops-usage-rollup", "gateway-sla"]
    assert shared.group == "govstat.shared.ops-usage-rollup+gateway-sla"
    assert shared.marker == "shared.ops-usage-rollup+gateway-sla"
    (row,) = await _detachments(BILLING, before)
    assert row["shared_group"] == shared.whole and row["rejoined_at"] is None and "3 polls" in row["reason"]
    assert await _alerts(row["alert_ref"]) == ["detected"]
    # ops' incident consumer opens an operations incident from it (as from the replication check)
    (detected,) = await _alert_events(row["alert_ref"])
    await IncidentConsumer(CATALOG).apply(detected)
    async with UnitOfWork(SYSTEM) as uow:
        incident = await uow.fetchrow(
            "SELECT i.module_key, i.source, i.title FROM incident_alert a JOIN incident i ON i.id = a.incident_id"
            " WHERE a.external_ref = $1",
            row["alert_ref"],
        )
    assert incident["module_key"] == "events" and incident["source"] == "check" and BILLING in incident["title"]


async def test_read_models_that_all_fail_alike_are_not_detached():
    """PostgreSQL away for all (here: both broken): no read model holds the others back."""
    t = await make_tenant()
    events = _events(t.id, 2)
    a, b = BrokenBilling("raise"), BrokenBilling("raise")
    b.name = "test-detach-broken-too"
    shared = SharedFetch([a, b], detach_after_polls=2)
    for _ in range(3):
        await shared._apply_poll(Offsets(), {P0: _messages(P0, events)})
    assert not shared.detached and not shared.changed.is_set()


async def _produce(events) -> None:
    settings = get_settings()
    producer = make_producer(settings)
    await producer.start()
    try:
        for e in events:
            await producer.send_and_wait(
                settings.kafka_topic_prefix + "usage", encode(e), key=str(e.tenant_id).encode()
            )
    finally:
        await producer.stop()


async def test_the_others_reach_the_end_and_the_detached_one_catches_up_once_fixed_with_no_double_count(running):
    stop, tasks = running
    t = await make_tenant()
    first, more, after = _events(t.id, 40), _events(t.id, 25), _events(t.id, 15)
    billing = BrokenBilling("timeout")  # its statements time out on every poll
    shared = SmallPolls([UsageRollupConsumer(), SlaConsumer(), billing], detach_after_polls=3)
    before = await _last_detachment()
    await _produce(first)
    tasks.append(asyncio.create_task(shared.run(get_settings(), stop)))

    async def detached():
        return shared.detached == {BILLING} and len(await _detachments(BILLING, before)) == 1

    await eventually(detached, timeout=90, message="billing detached from the shared group")
    await _produce(more)

    async def others_at_the_end():
        return await _counts(t.id) == (65, 65, 0)

    await eventually(others_at_the_end, timeout=90, message="the rollup and the SLA counting all 65 without billing")
    assert shared.detached == {BILLING}  # still broken: still apart
    (row,) = await _detachments(BILLING, before)
    assert row["rejoined_at"] is None

    billing.broken = False  # fixed: it catches up alone, then rejoins

    async def rejoined():
        rows = await _detachments(BILLING, before)
        return not shared.detached and rows[0]["rejoined_at"] is not None and await _counts(t.id) == (65, 65, 65)

    await eventually(rejoined, timeout=120, message="billing caught up and back in the group")
    await _produce(after)

    async def all_counted():
        return await _counts(t.id) == (80, 80, 80)

    await eventually(all_counted, timeout=90, message="the whole group again counting the last 15")
    await asyncio.sleep(2.0)  # and nothing counted twice meanwhile
    assert await _counts(t.id) == (80, 80, 80)
    assert await _alerts(row["alert_ref"]) == ["detected", "monitoring"]
