"""Issue 15 §3: a new shared group starts where its read models' old groups were (events/shared_start.py),
on real Kafka: at the lowest offset they committed, from the beginning where one of them has none,
and at its own committed offset once it has one."""

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from govstat.platform.events.envelope import UsagePayload, encode, new_event
from govstat.platform.events.kafka import make_producer
from govstat.platform.events.shared import SharedFetch
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually
from tests.support.kafka_topics import new_topic, recorder, send


async def _commit(settings, group: str, offsets: dict[TopicPartition, int]) -> None:
    """An old per-read-model group's committed place (as its consumer left it)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(list(offsets))
        await consumer.commit(offsets)
    finally:
        await consumer.stop()


@pytest.fixture
async def topic():
    """A topic of two partitions with ten usage events in each; its suffix, and the events by partition."""
    settings = get_settings()
    suffix = await new_topic("start", partitions=2)
    events = {
        p: [new_event(UsagePayload(module="m", operation="o", principal_kind="public")) for _ in range(10)]
        for p in (0, 1)
    }
    for p, evs in events.items():
        await send(settings.kafka_topic_prefix + suffix, [encode(e) for e in evs], partition=p)
    return suffix, events


async def _run_until(shared: SharedFetch, seen: list, n: int) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(shared.run(get_settings(), stop))
    try:
        await eventually(lambda: _at_least(seen, n), timeout=60, message=f"{n} events applied")
        await asyncio.sleep(1.0)  # and nothing more arrives
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)


async def _at_least(seen: list, n: int) -> bool:
    return len(seen) >= n


async def test_a_new_shared_group_starts_at_the_lowest_offset_its_read_models_groups_committed(topic):
    settings = get_settings()
    suffix, events = topic
    name = f"t{uuid.uuid4().hex[:6]}"
    a, b = f"{name}-a", f"{name}-b"
    tp0, tp1 = (TopicPartition(settings.kafka_topic_prefix + suffix, p) for p in (0, 1))
    # partition 0: a got to 7, b to 4 -> the group starts at 4; partition 1: a got to 6, b never
    # committed there (it applied nothing of it) -> from the beginning
    await _commit(settings, f"govstat.{a}", {tp0: 7, tp1: 6})
    await _commit(settings, f"govstat.{b}", {tp0: 4})
    seen_a, seen_b = [], []
    shared = SharedFetch([recorder(a, suffix, seen_a), recorder(b, suffix, seen_b)])
    await _run_until(shared, seen_b, 6 + 10)
    expected = events[0][4:] + events[1]
    assert sorted(seen_b) == sorted(e.id for e in expected)  # nothing before offset 4 of partition 0
    assert sorted(seen_a) == sorted(seen_b)

    # the group has committed now: started again, it goes on from its own offsets, not the old groups'
    await _commit(settings, f"govstat.{b}", {tp0: 0, tp1: 0})
    seen_a.clear()
    seen_b.clear()
    later = new_event(UsagePayload(module="m", operation="o", principal_kind="public"))
    producer = make_producer(settings)
    await producer.start()
    try:
        await producer.send_and_wait(tp0.topic, encode(later), partition=0)
    finally:
        await producer.stop()
    shared = SharedFetch([recorder(a, suffix, seen_a), recorder(b, suffix, seen_b)])
    await _run_until(shared, seen_b, 1)
    assert seen_a == seen_b == [later.id]


async def test_a_group_behind_where_all_its_read_models_are_is_moved_forward_never_back(topic):
    """A group that ran without one of its read models for a while (detached, events/detach.py)
    starts where they all are, not where it stopped; where one of them is behind it, it stays."""
    settings = get_settings()
    suffix, events = topic
    name = f"t{uuid.uuid4().hex[:6]}"
    a, b = f"{name}-a", f"{name}-b"
    tp0, tp1 = (TopicPartition(settings.kafka_topic_prefix + suffix, p) for p in (0, 1))
    seen_a, seen_b = [], []
    shared = SharedFetch([recorder(a, suffix, seen_a), recorder(b, suffix, seen_b)])
    await _commit(settings, shared.group, {tp0: 2, tp1: 3})  # where the whole group stopped
    # partition 0: a alone got to 8, b to 6 -> the group moves on to 6; partition 1: b only to 1
    await _commit(settings, f"govstat.{a}", {tp0: 8, tp1: 9})
    await _commit(settings, f"govstat.{b}", {tp0: 6, tp1: 1})
    await _run_until(shared, seen_b, 4 + 7)
    assert sorted(seen_b) == sorted(e.id for e in events[0][6:] + events[1][3:])
    assert sorted(seen_a) == sorted(seen_b)
