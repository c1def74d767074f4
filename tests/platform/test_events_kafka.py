"""PLAT-3: events leave through the outbox and arrive exactly once, even across a Kafka outage."""

import asyncio
import uuid

import pytest

from govstat.ops.consumers import AuditLogConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit
from govstat.platform.events.envelope import AuditPayload, decode, encode, new_event
from govstat.platform.events.kafka import make_producer
from govstat.platform.events.relay import run_relay
from govstat.platform.events.topics import ensure_topics
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually
from tests.support.services import kafka

SYSTEM = Scope.system("test")


async def _record(n: int, marker: str) -> list[uuid.UUID]:
    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
        for i in range(n):
            await audit(uow, "test.event", tenant_id=None, target_type="marker", target_id=f"{marker}-{i}")
        rows = await uow.fetch("SELECT id FROM outbox ORDER BY seq DESC LIMIT $1", n)
    return [r["id"] for r in rows]


async def _audit_rows(marker: str) -> list:
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetch("SELECT event_id, target_id FROM audit_log WHERE target_id LIKE $1", f"{marker}-%")


async def _pending(ids) -> int:
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetchval("SELECT count(*) FROM outbox WHERE id = ANY($1) AND published_at IS NULL", ids)


@pytest.fixture
async def pipeline():
    settings = get_settings()
    await ensure_topics(settings)
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(run_relay(settings, stop)),
        asyncio.create_task(AuditLogConsumer().run(settings, stop)),
    ]
    yield
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=30)


async def test_events_reach_the_consumer_exactly_once(pipeline):
    marker = uuid.uuid4().hex[:8]
    ids = await _record(5, marker)
    rows = await eventually(lambda: _audit_rows_if(marker, 5), message="5 audit rows")
    assert sorted(r["event_id"] for r in rows) == sorted(ids)
    assert await _pending(ids) == 0


async def _audit_rows_if(marker: str, n: int):
    rows = await _audit_rows(marker)
    return rows if len(rows) >= n else None


async def test_kafka_outage_delays_events_but_loses_none(pipeline):
    marker = uuid.uuid4().hex[:8]
    kafka("stop")
    try:
        ids = await _record(20, marker)
        await asyncio.sleep(2)
        assert await _pending(ids) == 20  # waiting in the outbox, not lost
        assert await _audit_rows(marker) == []
    finally:
        kafka("start")
    rows = await eventually(lambda: _audit_rows_if(marker, 20), timeout=120, message="events after Kafka restart")
    await asyncio.sleep(2)  # anything extra (a duplicate) would arrive now
    rows = await _audit_rows(marker)
    assert len(rows) == 20 and len({r["event_id"] for r in rows}) == 20
    assert sorted(r["event_id"] for r in rows) == sorted(ids)


async def test_duplicate_messages_are_dropped_by_event_id(pipeline):
    """A relay that dies after sending but before marking re-sends; the consumer keeps one copy."""
    settings = get_settings()
    marker = uuid.uuid4().hex[:8]
    event = new_event(AuditPayload(action="test.duplicate", actor="test", target_id=f"{marker}-0"))
    producer = make_producer(settings)
    await producer.start()
    try:
        for _ in range(3):
            await producer.send_and_wait(settings.kafka_topic_prefix + "audit", encode(event), key=b"platform")
    finally:
        await producer.stop()
    await eventually(lambda: _audit_rows_if(marker, 1), message="the event")
    await asyncio.sleep(2)
    assert len(await _audit_rows(marker)) == 1
    async with UnitOfWork(SYSTEM) as uow:
        assert await uow.fetchval("SELECT count(*) FROM processed_event WHERE event_id = $1", event.id) == 1


def test_envelope_roundtrip_is_a_tagged_union():
    event = new_event(AuditPayload(action="x.y", actor="a", detail={"n": 1}), uuid.uuid4())
    back = decode(encode(event))
    assert back == event and back.kind == "audit" and back.topic_suffix == "audit"
    assert b'"kind":"audit"' in encode(event)


async def test_unreadable_message_is_set_aside_and_the_rest_flows(pipeline):
    settings = get_settings()
    marker = uuid.uuid4().hex[:8]
    producer = make_producer(settings)
    await producer.start()
    try:
        await producer.send_and_wait(
            settings.kafka_topic_prefix + "audit", b"not an envelope " + marker.encode(), key=b"platform"
        )
    finally:
        await producer.stop()
    await _record(1, marker)
    await eventually(lambda: _audit_rows_if(marker, 1), message="the good event after the bad one")
    async with UnitOfWork(SYSTEM) as uow:
        dead = await uow.fetchval(
            "SELECT count(*) FROM dead_letter WHERE payload = $1", b"not an envelope " + marker.encode()
        )
    assert dead == 1
