"""Issue 15 §3: the usage topic's three read models fed by one Kafka consumer (events/shared.py): one
fetch and one decode, a poll in one transaction, and still each event counted once in each read model,
a failing read model's events set aside under its own name while the others count them once."""

import asyncio
import uuid
from types import SimpleNamespace

from aiokafka import TopicPartition

from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.gateway.sla.consumers import SlaConsumer
from govstat.ops.consumers import UsageRollupConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import UsagePayload, encode, new_event
from govstat.platform.events.poison import MAX_ATTEMPTS
from govstat.platform.events.relay import run_relay
from govstat.platform.events.shared import SharedFetch, share_fetches
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually
from tests.support.factories import make_tenant

SYSTEM = Scope.system("test")
P0, P1 = TopicPartition("usage", 0), TopicPartition("usage", 1)


class Offsets:
    """What the shared consumer commits and where it rewinds, instead of a Kafka consumer."""

    def __init__(self) -> None:
        self.committed: dict[TopicPartition, int] = {}
        self.rewound: dict[TopicPartition, int] = {}

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.committed.update(offsets)

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.rewound[tp] = offset


def _events(tenant_id, n: int, module: str = "area") -> list:
    return [
        new_event(UsagePayload(module=module, operation="area.search", principal_kind="agency", units=2), tenant_id)
        for _ in range(n)
    ]


def _messages(tp: TopicPartition, events: list, first: int = 0) -> list:
    return [
        SimpleNamespace(value=encode(e), headers=None, offset=first + i, topic=tp.topic, partition=tp.partition)
        for i, e in enumerate(events)
    ]


async def _counts(tenant_id) -> tuple[int, int, int]:
    async with UnitOfWork(SYSTEM) as uow:
        return (
            await uow.fetchval("SELECT coalesce(sum(calls), 0) FROM usage_minute WHERE tenant_id = $1", tenant_id),
            await uow.fetchval("SELECT coalesce(sum(calls), 0) FROM sla_minute WHERE tenant_key = $1", tenant_id),
            await uow.fetchval("SELECT coalesce(sum(calls), 0) FROM billable_usage WHERE tenant_id = $1", tenant_id),
        )


def test_the_monitor_joins_the_usage_read_models_and_leaves_the_others():
    consumers = share_fetches(c(CATALOG) for c in CATALOG.consumers)
    shared = [c for c in consumers if isinstance(c, SharedFetch)]
    assert len(shared) == 1 and shared[0].topic_suffixes == ("usage",)
    assert {m.name for m in shared[0].members} == {"ops-usage-rollup", "gateway-sla", "gateway-billing-usage"}
    assert shared[0].group == "govstat.shared." + "+".join(m.name for m in shared[0].members)
    assert len(consumers) == len(CATALOG.consumers) - 2  # three in one, every other consumer as it was
    assert not any(c.batch_apply for c in consumers if not isinstance(c, SharedFetch))


async def test_a_poll_of_two_partitions_counts_once_in_every_read_model_also_when_redelivered():
    t = await make_tenant()
    first, more = _events(t.id, 5), _events(t.id, 3)
    shared = SharedFetch([UsageRollupConsumer(), SlaConsumer(), BillableUsageConsumer()])
    offsets = Offsets()
    await shared._apply_poll(offsets, {P0: _messages(P0, first[:3], 10), P1: _messages(P1, first[3:], 20)})
    assert await _counts(t.id) == (5, 5, 5)
    assert offsets.committed == {P0: 13, P1: 22} and offsets.rewound == {}
    # redelivered (a commit lost with the process) together with new events: only the new ones count,
    # still in the one shared transaction (the markers written again with ON CONFLICT), not apart
    apart = []
    for member in shared.members:
        member._apply_batch = lambda *args, name=member.name: apart.append(name)
    await shared._apply_poll(offsets, {P0: _messages(P0, first[:3] + more, 10), P1: _messages(P1, first[3:], 20)})
    assert await _counts(t.id) == (8, 8, 8)
    assert offsets.committed == {P0: 16, P1: 22} and offsets.rewound == {} and apart == []


class Stubborn(Consumer):
    """A batched read model whose handler always fails for one event (a bug that event triggers)."""

    name = "test-shared-stubborn"
    topic_suffixes = ("usage",)
    batch_apply = True

    def __init__(self, bad: uuid.UUID) -> None:
        super().__init__()
        self.bad = bad

    async def handle(self, uow, event) -> None:
        if event.id == self.bad:
            raise RuntimeError("cannot handle this one")


async def test_a_read_model_that_fails_holds_the_group_back_sets_the_event_aside_and_the_others_count_once():
    t = await make_tenant()
    events = _events(t.id, 4)
    bad = events[1]
    stubborn = Stubborn(bad.id)
    shared = SharedFetch([stubborn, UsageRollupConsumer()])
    offsets, position, polls = Offsets(), 0, 0
    while offsets.committed.get(P0) != 4:  # Kafka redelivers from where the group rewound to
        polls += 1
        assert polls <= MAX_ATTEMPTS + 1
        await shared._apply_poll(offsets, {P0: _messages(P0, events[position:], position)})
        position = offsets.rewound.pop(P0, offsets.committed.get(P0, 0))
        if polls == 1:  # the first time: the rollup applied all four, the group is held at the bad one
            assert offsets.committed == {P0: 1} and position == 1
    assert (await _counts(t.id))[0] == 4
    async with UnitOfWork(SYSTEM) as uow:
        dead = await uow.fetchrow(
            "SELECT attempts, error FROM dead_letter WHERE consumer = $1 AND event_id = $2", stubborn.name, bad.id
        )
        marked = await uow.fetch(
            "SELECT consumer, count(*) AS n FROM processed_event WHERE event_id = ANY($1) GROUP BY consumer",
            [e.id for e in events],
        )
    assert dead["attempts"] == MAX_ATTEMPTS and "cannot handle this one" in dead["error"]
    assert {r["consumer"]: r["n"] for r in marked} == {"ops-usage-rollup": 4, stubborn.name: 3}


async def test_events_through_kafka_reach_the_three_read_models_once(running):
    stop, tasks = running
    t = await make_tenant()
    events = _events(t.id, 30)
    async with UnitOfWork(SYSTEM) as uow:
        for event in events:
            await uow.record(event)
    shared = SharedFetch([UsageRollupConsumer(), SlaConsumer(), BillableUsageConsumer()])
    tasks += [
        asyncio.create_task(run_relay(get_settings(), stop)),
        asyncio.create_task(shared.run(get_settings(), stop)),
    ]

    async def counted():
        return await _counts(t.id) == (30, 30, 30)

    await eventually(counted, timeout=60, message="every read model counting the 30 events")
