"""Usage metering (GOV-4, GOV-13): one usage event per call, durable before the answer ends.

The gateway writes the event before it sends the last byte of the response, so
a process killed right after answering has already stored it. The fast path is
a Redis stream (XADD, Redis keeps an append-only file); if Redis fails the event
goes straight into the PostgreSQL outbox. A drainer moves stream entries into
the outbox (by event id, so a retry never doubles) and acknowledges them; the
relay then takes them to Kafka like every other event.
"""

from __future__ import annotations

import asyncio
import logging

import msgspec
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import Envelope, decode, encode
from govstat.platform.events.outbox import write_outbox
from govstat.platform.security import Scope
from govstat.platform.telemetry import meter

log = logging.getLogger("govstat.metering")

STREAM = "govstat:usage"
DEAD_LETTER = "govstat:usage:dead"
GROUP = "outbox-drain"
_dead = meter().create_counter("govstat_usage_dead_letter", description="unreadable usage entries set aside")
_fallback = meter().create_counter("govstat_usage_fallback_db", description="usage events written to the DB directly")


async def store_usage(redis: Redis, event: Envelope) -> None:
    data = encode(event)
    try:
        await redis.xadd(STREAM, {"e": data})
        return
    except Exception as exc:
        log.warning("usage to Redis failed (%s); writing to the outbox", exc)
    _fallback.add(1)
    async with UnitOfWork(Scope.system("metering")) as uow:
        await write_outbox(uow.connection, event, dedupe=True)


async def _ensure_group(redis: Redis) -> None:
    try:
        await redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def drain_once(redis: Redis, consumer: str = "drain-1", count: int = 1000, block_ms: int | None = None) -> int:
    """Move one batch from the stream into the outbox; returns how many."""
    await _ensure_group(redis)
    # First entries this consumer read but never acknowledged (a crash mid-drain), then new ones.
    entries: list = []
    for start in ("0", ">"):
        reply = await redis.xreadgroup(
            GROUP, consumer, {STREAM: start}, count=count, block=block_ms if start == ">" else None
        )
        entries = reply[0][1] if reply and reply[0][1] else []
        if entries:
            break
    if not entries:
        return 0
    events = []
    for entry_id, fields in entries:
        try:
            events.append(decode(fields[b"e"]))
        except Exception as exc:
            # kept for inspection, never silently dropped
            await redis.xadd(DEAD_LETTER, {"e": fields.get(b"e", b""), "error": str(exc)[:500], "id": entry_id})
            _dead.add(1)
            log.error("usage entry %s unreadable (%s); moved to %s", entry_id, exc, DEAD_LETTER)
    async with UnitOfWork(Scope.system("metering")) as uow:
        for event in events:
            await write_outbox(uow.connection, event, dedupe=True)
    ids = [entry_id for entry_id, _ in entries]
    await redis.xack(STREAM, GROUP, *ids)
    await redis.xdel(STREAM, *ids)
    return len(entries)


async def run_drain(redis: Redis, stop: asyncio.Event, consumer: str = "drain-1") -> None:
    from govstat.platform.resilience import Backoff, is_outage, outage_failed, outage_over, sleep_or_stop

    backoff = Backoff(first=0.5, ceiling=5.0)
    while not stop.is_set():
        try:
            moved = await drain_once(redis, consumer, block_ms=500)
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


__all__ = ["STREAM", "drain_once", "msgspec", "run_drain", "store_usage"]
