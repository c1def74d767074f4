"""Poison events: one event that always fails is set aside in dead_letter after MAX_ATTEMPTS, with its
error, and the events behind it flow on (the relay and consumers used to retry it forever)."""

import asyncio
import uuid

import pytest

from govstat.ops.consumers import AuditLogConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import AuditPayload, encode, new_event
from govstat.platform.events.poison import MAX_ATTEMPTS, RELAY
from govstat.platform.events.relay import run_relay
from govstat.platform.events.topics import ensure_topics
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually
from tests.support.factories import operator_client_csrf

SYSTEM = Scope.system("test")


async def _record(marker: str, names: list[str]) -> list[uuid.UUID]:
    ids = []
    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
        for name in names:
            await audit(uow, "test.poison", tenant_id=None, target_type="marker", target_id=f"{marker}-{name}")
            ids.append(await uow.fetchval("SELECT id FROM outbox ORDER BY seq DESC LIMIT 1"))
    return ids


async def _audit_targets(marker: str) -> list[str]:
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch("SELECT target_id FROM audit_log WHERE target_id LIKE $1", f"{marker}-%")
    return sorted(r["target_id"] for r in rows)


async def _dead(consumer: str, event_id: uuid.UUID):
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetchrow("SELECT * FROM dead_letter WHERE consumer = $1 AND event_id = $2", consumer, event_id)


@pytest.fixture
async def tasks():
    await ensure_topics(get_settings())
    stop, running = asyncio.Event(), []
    yield stop, running
    stop.set()
    await asyncio.wait_for(asyncio.gather(*running, return_exceptions=True), timeout=30)


async def test_a_poison_outbox_row_is_set_aside_and_later_rows_flow(tasks):
    """Kafka refuses a 2 MB event every time (MessageSizeTooLarge): after MAX_ATTEMPTS it is in
    dead_letter, not in the outbox, and the three events written after it reached the read model."""
    stop, running = tasks
    settings = get_settings()
    marker = uuid.uuid4().hex[:8]
    poison = new_event(
        AuditPayload(action="test.poison", actor="test", target_id=f"{marker}-huge", detail={"blob": "x" * 2_000_000})
    )
    async with UnitOfWork(SYSTEM) as uow:
        await uow.record(poison)
    good = await _record(marker, ["a", "b", "c"])
    running += [
        asyncio.create_task(run_relay(settings, stop)),
        asyncio.create_task(AuditLogConsumer().run(settings, stop)),
    ]

    async def flowed():
        return await _audit_targets(marker) == [f"{marker}-a", f"{marker}-b", f"{marker}-c"]

    await eventually(flowed, timeout=60, message="the events behind the poison row")
    row = await eventually(lambda: _dead(RELAY, poison.id), timeout=60, message="poison row in dead_letter")
    assert row["attempts"] == MAX_ATTEMPTS
    assert "MessageSizeTooLarge" in row["error"]
    assert row["topic"] == settings.kafka_topic_prefix + "audit" and bytes(row["payload"]) == encode(poison)
    async with UnitOfWork(SYSTEM) as uow:
        assert await uow.fetchval("SELECT count(*) FROM outbox WHERE id = $1", poison.id) == 0
        assert await uow.fetchval("SELECT count(*) FROM outbox WHERE id = ANY($1) AND published_at IS NULL", good) == 0


class Picky(Consumer):
    """A consumer whose handler always fails for one event (a bug that this event triggers)."""

    name = "test-poison"
    topic_suffixes = ("audit",)

    def __init__(self, bad: str) -> None:
        super().__init__()
        self.bad, self.applied = bad, []

    async def handle(self, uow, event) -> None:
        target = event.payload.target_id
        if target == self.bad:
            raise RuntimeError(f"cannot handle {target}")
        self.applied.append(target)


class PickyBatched(Picky):
    """The same with a poll's messages applied in one transaction: the poison one fails the batch,
    which is then applied one by one (issue 15: batched read models)."""

    name = "test-poison-batched"
    batch_apply = True


@pytest.mark.parametrize("kind", ["one_by_one", "batched"])
async def test_a_handler_that_always_fails_sets_the_message_aside_and_the_partition_flows(tasks, client, kind):
    stop, running = tasks
    marker = uuid.uuid4().hex[:8]
    bad_id, *_ = await _record(marker, ["bad", "next1", "next2"])  # one key: one partition, in this order
    consumer = (Picky if kind == "one_by_one" else PickyBatched)(f"{marker}-bad")
    running += [
        asyncio.create_task(run_relay(get_settings(), stop)),
        asyncio.create_task(consumer.run(get_settings(), stop)),
    ]

    async def after_it():
        return [t for t in consumer.applied if t.startswith(marker)] == [f"{marker}-next1", f"{marker}-next2"]

    await eventually(after_it, timeout=60, message="the messages after the poison one")
    row = await _dead(consumer.name, bad_id)
    assert row is not None and row["attempts"] == MAX_ATTEMPTS
    assert f"RuntimeError: cannot handle {marker}-bad" in row["error"]
    async with UnitOfWork(SYSTEM) as uow:  # set aside, not marked processed
        assert (
            await uow.fetchval(
                "SELECT count(*) FROM processed_event WHERE consumer = $1 AND event_id = $2", consumer.name, bad_id
            )
            == 0
        )

    # the operator's dashboard API lists it with its error
    await operator_client_csrf(client)
    listed = (await client.get("/api/ops/dead-letters", params={"limit": 200})).json()
    assert listed["total"] >= 1
    assert any(r["event_id"] == str(bad_id) and "cannot handle" in r["error"] for r in listed["latest"])
    assert any(c["consumer"] == consumer.name for c in listed["per_consumer"])
