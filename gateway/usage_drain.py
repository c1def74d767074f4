"""The usage drainer: moves the stream's entries (metering.py) into the PostgreSQL outbox, with a
publisher sending them to Kafka on the way (platform/events/direct.py), and acknowledges them;
between batches it runs the sweep (usage_sweep.py). Runs in `govstat relay`.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from govstat.gateway.metering import STREAM
from govstat.gateway.usage_sweep import SWEEP_EVERY_S, sweep_open
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.direct import Publisher, write_outbox_sent
from govstat.platform.events.envelope import Envelope, decode
from govstat.platform.events.outbox import ids_in_outbox, write_outbox_many
from govstat.platform.security import Scope
from govstat.platform.telemetry import meter

log = logging.getLogger("govstat.metering")

DEAD_LETTER = "govstat:usage:dead"
GROUP = "outbox-drain"
CLAIM_IDLE_MS = 60_000  # entries a dead drainer read and never acknowledged are taken over after this
DRAIN_BATCH = 2000  # stream entries per outbox transaction
_dead = meter().create_counter("govstat_usage_dead_letter", description="unreadable usage entries set aside")
_superseded = meter().create_counter(
    "govstat_usage_swept_superseded", description="swept copies dropped: the call's full event was in the outbox"
)


async def _ensure_group(redis: Redis) -> None:
    try:
        await redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def _read(redis: Redis, consumer: str, count: int, block_ms: int | None) -> list[Any]:
    # First entries this consumer read but never acknowledged (a crash mid-drain), then those a
    # dead drainer (another process id) left behind, then new ones.
    reply = await redis.xreadgroup(GROUP, consumer, {STREAM: "0"}, count=count)
    if reply and reply[0][1]:
        return list(reply[0][1])
    claimed = await redis.xautoclaim(STREAM, GROUP, consumer, CLAIM_IDLE_MS, "0-0", count=count)
    if claimed and claimed[1]:
        return list(claimed[1])
    reply = await redis.xreadgroup(GROUP, consumer, {STREAM: ">"}, count=count, block=block_ms)
    return list(reply[0][1]) if reply and reply[0][1] else []


async def _without_completed(
    events: list[Envelope[Any]], payloads: list[bytes], swept: list[bool]
) -> tuple[list[Envelope[Any]], list[bytes]]:
    """Drop the swept copies ("ended unknown") of calls whose full event the outbox has already: their
    completion fell back to PostgreSQL when Redis failed (completions.py), leaving the open record.
    Sent to Kafka ahead of the relay's copy of the real event, a swept copy would be the one billed.
    Dropped too: a swept copy whose full event is in the same batch (the read models take the last
    copy of an id in a poll, review h21)."""
    whole = {e.id for e, s in zip(events, swept, strict=True) if not s}
    ids = [e.id for e, s in zip(events, swept, strict=True) if s and e.id not in whole]
    completed: set[uuid.UUID] = set()
    if ids:
        async with UnitOfWork(Scope.system("metering")) as uow:
            completed = await ids_in_outbox(uow.connection, ids)
    drop = {e.id for e, s in zip(events, swept, strict=True) if s} & (whole | completed)
    if not drop:
        return events, payloads
    _superseded.add(len(drop))
    log.info("usage: %d swept calls had their full event in the outbox or the batch; swept copies dropped", len(drop))
    kept = [(e, p) for e, p, s in zip(events, payloads, swept, strict=True) if not (s and e.id in drop)]
    return [e for e, _ in kept], [p for _, p in kept]


async def drain_once(
    redis: Redis,
    consumer: str = "drain-1",
    count: int = DRAIN_BATCH,
    block_ms: int | None = None,
    publisher: Publisher | None = None,
) -> int:
    """Move one batch from the stream into the outbox; returns how many. With a `publisher` the
    batch is sent to Kafka first and goes into the outbox as published (platform/events/direct.py)."""
    await _ensure_group(redis)
    entries = await _read(redis, consumer, count, block_ms)
    if not entries:
        return 0
    events, payloads, swept = [], [], []
    for entry_id, fields in entries:
        try:
            data = fields.get(b"e") or fields[b"s"]
            events.append(decode(data))  # read once, typed: what cannot be read is set aside here
            payloads.append(data)  # and go on as the bytes they came as: not encoded again
            swept.append(b"e" not in fields)
        except Exception as exc:
            # kept for inspection, never silently dropped
            raw = fields.get(b"e") or fields.get(b"s") or b""
            await redis.xadd(DEAD_LETTER, {"e": raw, "error": str(exc)[:500], "id": entry_id})
            _dead.add(1)
            log.error("usage entry %s unreadable (%s); moved to %s", entry_id, exc, DEAD_LETTER)
    if any(swept):
        events, payloads = await _without_completed(events, payloads, swept)
    sent = await publisher.send(events, payloads) if publisher is not None else None
    async with UnitOfWork(Scope.system("metering")) as uow:
        if sent is None:
            await write_outbox_many(uow.connection, events, payloads)
        else:
            await write_outbox_sent(uow.connection, events, payloads, sent)
    if publisher is not None:
        publisher.committed(events)
    ids = [entry_id for entry_id, _ in entries]
    async with redis.pipeline(transaction=False) as pipe:  # acknowledged and deleted in one round trip
        pipe.xack(STREAM, GROUP, *ids)
        pipe.xdel(STREAM, *ids)
        await pipe.execute()
    return len(entries)


async def run_drain(
    redis: Redis,
    stop: asyncio.Event,
    consumer: str = "drain-1",
    publisher: Publisher | None = None,
    sweep_every: float = SWEEP_EVERY_S,
) -> None:
    """Drain until `stop`, sweeping dead processes' open calls every `sweep_every` seconds; with a
    `publisher`, each batch goes to Kafka on its way (closed at the end)."""
    try:
        await _drain_until(redis, stop, consumer, publisher, sweep_every)
    finally:
        if publisher is not None:
            await publisher.close()


async def _drain_until(
    redis: Redis, stop: asyncio.Event, consumer: str, publisher: Publisher | None, sweep_every: float
) -> None:
    from govstat.platform.resilience import Backoff, is_outage, outage_failed, outage_over, sleep_or_stop

    backoff = Backoff(first=0.5, ceiling=5.0)
    swept_at = 0.0
    while not stop.is_set():
        try:
            if time.monotonic() - swept_at >= sweep_every:
                await sweep_open(redis)
                swept_at = time.monotonic()
            moved = await drain_once(redis, consumer, block_ms=500, publisher=publisher)
            outage_over("usage-drain")
            backoff.reset()
            if not moved:
                await asyncio.sleep(0.05)
        except Exception as exc:
            if is_outage(exc):
                outage_failed("usage-drain", exc, "redis")  # logged once per outage, counted
            else:
                log.warning("usage drain: %s", exc)
            await sleep_or_stop(stop, backoff.next())


__all__ = ["DEAD_LETTER", "DRAIN_BATCH", "GROUP", "drain_once", "run_drain"]
