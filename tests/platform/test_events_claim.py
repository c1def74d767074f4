"""Issue 15 §3: the relay claims past the rows it claimed last (events/claim.py), and still relays a
row committed late with a lower seq: at once when nothing newer waits, within FULL_EVERY when a
stream of newer rows keeps coming."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events import claim
from govstat.platform.events.claim import ClaimCursor
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.events.kafka import make_producer
from govstat.platform.events.outbox import write_outbox_many
from govstat.platform.events.relay import relay_once
from govstat.platform.events.topics import ensure_topics
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings

SYSTEM = Scope.system("test")


def _event() -> Any:
    return new_event(UsagePayload(module="claim", operation="t", principal_kind="public"))


async def _commit(event: Any) -> uuid.UUID:
    async with UnitOfWork(SYSTEM) as uow:
        await write_outbox_many(uow.connection, [event])
    event_id: uuid.UUID = event.id
    return event_id


async def _published(*ids: uuid.UUID) -> list[bool]:
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch("SELECT id, published_at IS NOT NULL AS sent FROM outbox WHERE id = ANY($1)", list(ids))
    sent = {r["id"]: r["sent"] for r in rows}
    return [sent.get(i, False) for i in ids]  # a row not yet committed is not seen: not sent


@contextlib.asynccontextmanager
async def _open_transaction(event: Any) -> AsyncIterator[None]:
    """`event` written in a transaction (in a task of its own) that commits when the block ends."""
    written, done = asyncio.Event(), asyncio.Event()

    async def write() -> None:
        async with UnitOfWork(SYSTEM) as uow:
            await write_outbox_many(uow.connection, [event])
            written.set()
            await done.wait()

    task = asyncio.create_task(write())
    await written.wait()
    try:
        yield
    finally:
        done.set()
        await task


async def _drain(producer: Any, settings: Any, cursor: ClaimCursor) -> None:
    while await relay_once(producer, settings, cursor=cursor):
        pass


async def test_a_row_committed_late_with_a_lower_seq_is_still_relayed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claim, "FULL_EVERY", 0.5)
    settings = get_settings()
    await ensure_topics(settings)
    producer = make_producer(settings)
    await producer.start()
    cursor = ClaimCursor()
    try:
        late = _event()
        async with _open_transaction(late):  # takes its seq now, commits after `first`
            first = await _commit(_event())
            await _drain(producer, settings, cursor)
            assert await _published(first, late.id) == [True, False]
        assert cursor.after > 0
        newer = await _commit(_event())  # a newer row waits: the claim past the cursor finds it
        await relay_once(producer, settings, cursor=cursor)
        assert await _published(newer) == [True]
        monkeypatch.setattr(claim, "FULL_EVERY", 0.0)  # the periodic claim from the beginning
        await _drain(producer, settings, cursor)
        assert await _published(late.id) == [True]

        monkeypatch.setattr(claim, "FULL_EVERY", 3600.0)
        late = _event()
        async with _open_transaction(late):
            first = await _commit(_event())
            await _drain(producer, settings, cursor)
        await relay_once(producer, settings, cursor=cursor)  # nothing past the cursor: from the beginning
        assert await _published(first, late.id) == [True, True]
    finally:
        await producer.stop()
