"""Decision 0014's upgrade order, enforced (events/upgrade_guard.py), on real Kafka and PostgreSQL: a
read model still consumed in its own (old) group holds the shared group back; once that consumer
leaves, the shared group starts, and each read model counts every event once."""

import asyncio
import uuid
from collections import Counter

import msgspec
from aiokafka import AIOKafkaConsumer

from govstat.platform.events import upgrade_guard
from govstat.platform.events.envelope import UsagePayload, encode, new_event
from govstat.platform.events.shared import SharedFetch
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually
from tests.support.kafka_topics import new_topic, recorder, send


async def _send(suffix: str, n: int) -> list[uuid.UUID]:
    settings = get_settings()
    events = [new_event(UsagePayload(module="m", operation="o", principal_kind="public")) for _ in range(n)]
    await send(settings.kafka_topic_prefix + suffix, [encode(e) for e in events])
    return [e.id for e in events]


async def test_an_old_monitors_consumer_holds_the_shared_group_back_until_it_leaves(monkeypatch):
    monkeypatch.setattr(upgrade_guard, "RECHECK_S", 0.5)
    settings = get_settings()
    suffix = await new_topic("upg")
    name = f"u{uuid.uuid4().hex[:6]}"
    a, b = f"{name}-a", f"{name}-b"
    first = await _send(suffix, 10)

    # the old monitor: read model a in its own group (govstat.<a>), applying and committing
    old_seen: list[uuid.UUID] = []
    old_stop = asyncio.Event()
    old = asyncio.create_task(recorder(a, suffix, old_seen).run(settings, old_stop))
    seen_a: list[uuid.UUID] = []
    seen_b: list[uuid.UUID] = []
    new_stop = asyncio.Event()
    new = None
    try:
        await eventually(lambda: _has(old_seen, 10), timeout=60, message="the old consumer applied the first events")

        # the new monitor starts while the old one runs: it waits, applies nothing, and says why
        shared = SharedFetch([recorder(a, suffix, seen_a), recorder(b, suffix, seen_b)])
        new = asyncio.create_task(shared.run(settings, new_stop))
        await eventually(
            lambda: _true(upgrade_guard.held_back().get(shared.group) == 1), timeout=30, message="held back"
        )
        second = await _send(suffix, 10)  # still only the old monitor's
        await eventually(lambda: _has(old_seen, 20), timeout=60, message="the old consumer applied the later events")
        await asyncio.sleep(2.0)
        assert seen_a == [] and seen_b == []
        assert upgrade_guard.held_back() == {shared.group: 1}

        # the old monitor stops: the new one starts, and every event is counted once per read model
        old_stop.set()
        await asyncio.wait_for(old, timeout=30)
        third = await _send(suffix, 5)
        await eventually(lambda: _has(seen_b, 25), timeout=60, message="the shared group applied the events")
        await eventually(lambda: _has(old_seen + seen_a, 25), timeout=30, message="a applied the last events")
        await asyncio.sleep(1.5)  # and nothing more arrives
        assert upgrade_guard.held_back() == {}
    finally:
        old_stop.set()
        new_stop.set()
        await asyncio.wait_for(asyncio.gather(old, *([new] if new else []), return_exceptions=True), timeout=30)
    everything = Counter(first + second + third)
    assert Counter(seen_b) == everything  # b never ran before: all of it, once
    assert Counter(old_seen + seen_a) == everything  # a: what the old monitor applied is not applied again
    assert set(seen_a) >= set(third)


async def test_a_member_of_an_old_group_that_reads_other_topics_does_not_hold_it_back():
    """Another deployment's consumer (another topic prefix) in a group of the same name."""
    settings = get_settings()
    ours, theirs = await new_topic("upg"), await new_topic("upg")
    name = f"u{uuid.uuid4().hex[:6]}"
    consumer = AIOKafkaConsumer(
        settings.kafka_topic_prefix + theirs, bootstrap_servers=settings.kafka_bootstrap, group_id=f"govstat.{name}"
    )
    await consumer.start()
    try:
        await consumer.getmany(timeout_ms=2000)  # joined
        groups = upgrade_guard.old_groups([name])
        found = await upgrade_guard.old_consumers(settings, groups, [settings.kafka_topic_prefix + theirs])
        assert found == {f"govstat.{name}": 1}  # the check sees a member where there is one
        assert await upgrade_guard.old_consumers(settings, groups, [settings.kafka_topic_prefix + ours]) == {}
    finally:
        await consumer.stop()
    assert await upgrade_guard.old_consumers(settings, groups, [settings.kafka_topic_prefix + theirs]) == {}


async def test_when_kafka_cannot_answer_the_shared_group_waits(monkeypatch):
    """Cannot tell whether the old monitor runs: do not start (a delay, never a double count)."""
    monkeypatch.setattr(upgrade_guard, "RECHECK_S", 0.2)
    monkeypatch.setattr(upgrade_guard, "CHECK_TIMEOUT_S", 1.0)
    away = msgspec.structs.replace(get_settings(), kafka_bootstrap="127.0.0.1:1")  # nothing listens
    stop = asyncio.Event()
    wait = asyncio.create_task(
        upgrade_guard.wait_for_old_consumers(away, "govstat.shared.x+y", ["x", "y"], ["t"], stop)
    )
    await eventually(lambda: _true(upgrade_guard.held_back().get("govstat.shared.x+y") == 1), timeout=10)
    await asyncio.sleep(1.5)
    assert not wait.done()
    stop.set()
    assert await asyncio.wait_for(wait, timeout=10) is False  # stopped, never released
    assert upgrade_guard.held_back() == {}


async def _has(seen: list, n: int) -> bool:
    return len(seen) >= n


async def _true(value: bool) -> bool:
    return value
