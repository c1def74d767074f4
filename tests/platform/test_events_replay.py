"""Dead letters put back once their cause is fixed (platform/events/replay.py): the relay's reach Kafka
once, a read model's are applied once however often they are replayed, a future-dated one waits for
its time, and a replay that fails again keeps the row open with the new error."""

import asyncio
import datetime as dt
import random
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from govstat.ops.consumers import AuditLogConsumer, UsageRollupConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import PLATFORM_DECODER, AuditPayload, encode, new_event
from govstat.platform.events.kafka import make_producer
from govstat.platform.events.markers import SKEW
from govstat.platform.events.poison import RELAY, dead_letter
from govstat.platform.events.relay import relay_once
from govstat.platform.events.replay import AlreadyReplayed, Replayer, StillAhead
from govstat.platform.events.topics import ensure_topics
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.platform.test_events_shared import _counts, _events
from tests.support.factories import make_tenant
from tests.support.services import govstat_cli

OPERATOR = Scope(role="operator", actor="test-operator")
SYSTEM = Scope.system("test")


async def set_aside(consumer: str, event, topic: str = "audit", error: str = "RuntimeError: broken") -> int:
    """A dead letter as the relay or a consumer leaves it (poison.dead_letter); its id."""
    settings = get_settings()
    async with UnitOfWork(SYSTEM) as uow:
        await dead_letter(
            uow,
            consumer=consumer,
            topic=settings.kafka_topic_prefix + topic,
            partition=-1 if consumer == RELAY else 0,
            offset=random.randrange(10**12, 10**15),
            payload=encode(event),
            error=error,
            event_id=event.id,
            attempts=5,
        )
        return await uow.fetchval("SELECT max(id) FROM dead_letter WHERE event_id = $1", event.id)


async def replay(replayer: Replayer, dead_letter_id: int):
    async with UnitOfWork(OPERATOR) as uow:
        return await replayer.one(uow, dead_letter_id, by="test-operator")


async def row(dead_letter_id: int):
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetchrow("SELECT * FROM dead_letter WHERE id = $1", dead_letter_id)


async def audit_rows(target: str) -> int:
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetchval("SELECT count(*) FROM audit_log WHERE target_id = $1", target)


def audit_event(target: str, **kw):
    return new_event(AuditPayload(action="test.replay", actor="test", target_id=target), **kw)


def reader() -> AIOKafkaConsumer:
    """A consumer that reads where it is told and commits nothing (a group of its own: without one,
    this aiokafka's consumer raises CancelledError on stop)."""
    group = f"test-replay-{uuid.uuid4().hex[:8]}"
    return AIOKafkaConsumer(bootstrap_servers=get_settings().kafka_bootstrap, group_id=group, enable_auto_commit=False)


async def kafka_copies(topic: str, event_id: uuid.UUID, start: dict[TopicPartition, int]) -> int:
    """Messages carrying `event_id` on `topic` from the offsets `start` to the end."""
    consumer = reader()
    await consumer.start()
    try:
        consumer.assign(list(start))
        end = await consumer.end_offsets(list(start))
        for tp, offset in start.items():
            consumer.seek(tp, offset)
        found = 0
        while [tp for tp in start if await consumer.position(tp) < end[tp]]:
            for messages in (await consumer.getmany(timeout_ms=1000)).values():
                found += sum(dict(m.headers).get("event_id") == str(event_id).encode() for m in messages)
        return found
    finally:
        await consumer.stop()


async def ends(topic: str) -> dict[TopicPartition, int]:
    consumer = reader()
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(get_settings().kafka_partitions)]
        consumer.assign(tps)
        return await consumer.end_offsets(tps)
    finally:
        await consumer.stop()


async def relay_until_sent(event_id: uuid.UUID) -> None:
    settings = get_settings()
    producer = make_producer(settings)
    await producer.start()
    try:
        for _ in range(50):
            await relay_once(producer, settings)
            async with UnitOfWork(SYSTEM) as uow:
                if await uow.fetchval("SELECT published_at FROM outbox WHERE id = $1", event_id):
                    return
        raise AssertionError("the requeued event was never published")
    finally:
        await producer.stop()


async def test_a_relay_dead_letter_replayed_reaches_kafka_once():
    settings = get_settings()
    await ensure_topics(settings)
    topic = settings.kafka_topic_prefix + "audit"
    event = audit_event(f"relay-{uuid.uuid4().hex[:8]}")
    dead = await set_aside(RELAY, event, error="TopicAuthorizationFailedError: fixed since")
    start = await ends(topic)
    replayer = Replayer.of(CATALOG)

    done = await replay(replayer, dead)
    assert (done.outcome, done.event_id, done.replayed_by) == ("requeued", event.id, "test-operator")
    await relay_until_sent(event.id)
    with pytest.raises(AlreadyReplayed):  # twice: refused, nothing queued again
        await replay(replayer, dead)
    await relay_until_sent(event.id)
    assert await kafka_copies(topic, event.id, start) == 1
    kept = await row(dead)  # kept and marked, never deleted
    assert kept["outcome"] == "requeued" and kept["replayed_at"] is not None and kept["replayed_by"] == "test-operator"


async def test_a_read_model_dead_letter_is_applied_once_however_often_replayed():
    target = f"rm-{uuid.uuid4().hex[:8]}"
    event = audit_event(target)
    first = await set_aside(AuditLogConsumer.name, event)
    again = await set_aside(AuditLogConsumer.name, event)  # the same event set aside twice (two offsets)
    replayer = Replayer.of(CATALOG)

    assert (await replay(replayer, first)).outcome == "applied"
    with pytest.raises(AlreadyReplayed):
        await replay(replayer, first)
    assert (await replay(replayer, again)).outcome == "duplicate"  # its marker: not applied twice
    assert await audit_rows(target) == 1
    async with UnitOfWork(SYSTEM) as uow:
        audits = await uow.fetchval(
            "SELECT count(*) FROM outbox WHERE kind = 'audit' AND position($1 IN convert_from(payload, 'UTF8')) > 0"
            " AND position('events.dead_letter.replayed' IN convert_from(payload, 'UTF8')) > 0",
            f'"target_id":"{first}"',
        )
    assert audits == 1  # the replay left its audit event (the refused second one none)


class Flaky(Consumer):
    """A read model whose handler fails until its cause is fixed."""

    name = "test-replay-flaky"
    topic_suffixes = ("audit",)

    def __init__(self) -> None:
        super().__init__()
        self.broken, self.applied = True, []

    async def handle(self, uow, event) -> None:
        await uow.fetchval("SELECT 1")
        if self.broken:
            raise RuntimeError("still broken")
        self.applied.append(event.id)


async def test_a_replay_that_fails_again_keeps_the_row_open_with_the_new_error():
    flaky = Flaky()
    replayer = Replayer([flaky], PLATFORM_DECODER, get_settings().kafka_topic_prefix)
    event = audit_event("flaky")
    dead = await set_aside(flaky.name, event)

    failed = await replay(replayer, dead)
    assert (failed.outcome, failed.attempts, failed.error) == ("failed", 6, "RuntimeError: still broken")
    kept = await row(dead)
    assert kept["replayed_at"] is None and kept["attempts"] == 6 and kept["error"] == "RuntimeError: still broken"
    async with UnitOfWork(SYSTEM) as uow:  # the failed handler's marker was rolled back with it
        assert await uow.fetchval("SELECT count(*) FROM processed_event WHERE event_id = $1", event.id) == 0

    flaky.broken = False
    assert (await replay(replayer, dead)).outcome == "applied"
    assert flaky.applied == [event.id]
    assert (await row(dead))["outcome"] == "applied"


async def test_a_future_event_is_refused_until_its_time_then_applied_once():
    """A usage event dated just over SKEW ahead (the batched rollup, whose markers refuse it too)."""
    t = await make_tenant()
    (event,) = _events(t.id, 1)
    async with UnitOfWork(SYSTEM) as uow:
        now = await uow.fetchval("SELECT clock_timestamp()")
    event.occurred_at = now + SKEW + dt.timedelta(seconds=3)
    dead = await set_aside(UsageRollupConsumer.name, event, topic="usage", error=f"FutureEvent: event {event.id}")
    replayer = Replayer.of(CATALOG)

    with pytest.raises(StillAhead) as refused:
        await replay(replayer, dead)
    assert "ahead" in refused.value.detail and (await row(dead))["replayed_at"] is None
    assert (await row(dead))["attempts"] == 5  # a refusal is not an attempt
    await asyncio.sleep(max(0.0, (event.occurred_at - SKEW - dt.datetime.now(dt.UTC)).total_seconds()) + 1)
    assert (await replay(replayer, dead)).outcome == "applied"
    with pytest.raises(AlreadyReplayed):
        await replay(replayer, dead)
    assert (await _counts(t.id))[0] == 1


async def test_a_consumers_open_dead_letters_are_replayed_together_and_unknown_ids_refused():
    targets = [f"all-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    ids = [await set_aside(AuditLogConsumer.name, audit_event(t)) for t in targets]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    ahead = await set_aside(AuditLogConsumer.name, audit_event("all-ahead", occurred_at=later))
    replayer = Replayer.of(CATALOG)
    async with UnitOfWork(OPERATOR) as uow:
        done = {r.id: r for r in await replayer.consumer(uow, AuditLogConsumer.name, by="test-operator", limit=500)}
    assert [done[i].outcome for i in ids] == ["applied"] * 3
    assert done[ahead].outcome == "refused" and "ahead" in (done[ahead].error or "")
    assert (await row(ahead))["replayed_at"] is None
    assert [await audit_rows(t) for t in targets] == [1, 1, 1]
    from govstat.platform.errors import NotFound

    with pytest.raises(NotFound):
        await replay(replayer, 10**15)


async def test_the_cli_lists_and_replays_a_dead_letter_once():
    """`govstat deadletters list` and `replay ID` (a real process); replaying again does nothing and says so."""
    target = f"cli-{uuid.uuid4().hex[:8]}"
    dead = await set_aside(AuditLogConsumer.name, audit_event(target))
    listed = govstat_cli("deadletters", "list", "--consumer", AuditLogConsumer.name, "--limit", "500").stdout
    assert any(line.startswith(f"{dead}\t") and line.endswith("\topen") for line in listed.splitlines())

    assert f"{dead}\t{AuditLogConsumer.name}\t" in govstat_cli("deadletters", "replay", str(dead)).stdout
    again = govstat_cli("deadletters", "replay", str(dead)).stdout  # exit 0: nothing to do
    assert "再処理済" in again and "(applied)" in again
    assert await audit_rows(target) == 1
    kept = await row(dead)
    assert kept["outcome"] == "applied" and kept["replayed_by"].startswith("cli:")
    listed = govstat_cli("deadletters", "list", "--all", "--limit", "500").stdout
    assert any(line.startswith(f"{dead}\t") and "(applied)" in line for line in listed.splitlines())
    other = await set_aside(AuditLogConsumer.name, audit_event(f"{target}-2"))
    out = govstat_cli("deadletters", "replay", "--consumer", AuditLogConsumer.name).stdout
    assert any(line.startswith(f"{other}\t") and line.endswith("\tapplied") for line in out.splitlines())
    assert await audit_rows(f"{target}-2") == 1
    with pytest.raises(RuntimeError, match="no dead letter"):
        govstat_cli("deadletters", "replay", "999999999")
    with pytest.raises(RuntimeError, match="either a dead letter ID or --consumer"):
        govstat_cli("deadletters", "replay")
