"""Issue 15 §3: the relay is woken by the outbox's commit (LISTEN/NOTIFY), not only by its poll; the
drainer's one-statement hand-off keeps each event once."""

import asyncio
import time

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.events.outbox import write_outbox_many
from govstat.platform.events.relay import run_relay
from govstat.platform.events.topics import ensure_topics
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually

SYSTEM = Scope.system("test")


async def _audited(marker: str) -> object:
    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
        await audit(uow, "test.wake", tenant_id=None, target_type="marker", target_id=marker)
        return await uow.fetchval("SELECT id FROM outbox ORDER BY seq DESC LIMIT 1")


async def _published(event_id) -> bool:
    async with UnitOfWork(SYSTEM) as uow:
        return bool(await uow.fetchval("SELECT published_at IS NOT NULL FROM outbox WHERE id = $1", event_id))


async def test_a_committed_event_wakes_the_relay_long_before_its_poll():
    """With a 60 s poll, events committed while the relay is idle still leave within seconds."""
    settings = msgspec.structs.replace(get_settings(), relay_interval_seconds=60.0)
    await ensure_topics(settings)
    stop = asyncio.Event()
    relay = asyncio.create_task(run_relay(settings, stop))
    try:
        first = await _audited("wake-first")
        await eventually(lambda: _published(first), timeout=30, interval=0.05, message="first event relayed")
        for n in range(2):  # the relay is idle now, in its 60 s wait; each commit wakes it
            await asyncio.sleep(0.5)
            event_id = await _audited(f"wake-{n}")
            t0 = time.monotonic()
            await eventually(lambda e=event_id: _published(e), timeout=30, interval=0.05, message="event relayed")
            assert time.monotonic() - t0 < 10  # not the 60 s poll
    finally:
        stop.set()
        await asyncio.wait_for(relay, timeout=30)


async def test_a_hand_off_writes_each_event_once():
    """The drainer's batch (one statement) skips ids already there and repeats within the batch."""
    events = [new_event(UsagePayload(module="wake", operation="t", principal_kind="public")) for _ in range(3)]
    async with UnitOfWork(SYSTEM) as uow:
        await write_outbox_many(uow.connection, events[:1])
    async with UnitOfWork(SYSTEM) as uow:
        await write_outbox_many(uow.connection, [*events, events[1]])
        rows = await uow.fetch("SELECT id FROM outbox WHERE id = ANY($1::uuid[]) ORDER BY seq", [e.id for e in events])
        await uow.execute("DELETE FROM outbox WHERE id = ANY($1::uuid[])", [e.id for e in events])
    assert [r["id"] for r in rows] == [e.id for e in events]
