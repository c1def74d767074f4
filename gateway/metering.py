"""Usage metering (GOV-4, GOV-13): one usage event per call; an answered call's usage is never lost.

One Redis round trip on a call's critical path. The rate-limit script (ratelimit.py) that admits
the call also records it as *open*: the usage event as admitted (status 0, one unit) in a hash,
with its admission time in a sorted set. Redis keeps an append-only file, so from then on the
call is durable, before the handler runs. After the answer, the call's full event (status,
units, bytes, latency) is written by `Completions` off the critical path, batched (one script call
per batch): the script appends it to the stream and closes the open record.

A process killed between answering and completing leaves the open record: the drainer's sweep
moves records open longer than `ORPHAN_AFTER_S` (no live process can still complete them) to
the stream as they were admitted, status 0 ("ended unknown"), one unit. Either way the stream
holds one event per call, and the outbox takes it by event id, so a retry never doubles.

If Redis is unavailable at admission, no open record exists: the full event is written before
the last byte as before, to the stream or, if that fails too, straight into the PostgreSQL
outbox. A drainer moves stream entries into the outbox and acknowledges them; the relay then
takes them to Kafka like every other event.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import hashlib
import logging
import time
import weakref
from collections.abc import Awaitable
from typing import Any

import msgspec
from redis.asyncio import Redis
from redis.exceptions import NoScriptError, ResponseError

from govstat.gateway.wire import Wire
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.direct import Publisher, write_outbox_sent
from govstat.platform.events.envelope import Envelope, decode, encode
from govstat.platform.events.outbox import write_outbox, write_outbox_many
from govstat.platform.security import Scope
from govstat.platform.telemetry import meter

log = logging.getLogger("govstat.metering")

STREAM = "govstat:usage"
OPEN = "govstat:usage:open"  # hash: event id -> the usage event as admitted
OPEN_SINCE = "govstat:usage:open:t"  # sorted set: event id -> admitted at (ms)
DEAD_LETTER = "govstat:usage:dead"
GROUP = "outbox-drain"
ORPHAN_AFTER_S = 600  # longer than any answer may take: only then is an open call's process surely gone
CLAIM_IDLE_MS = 60_000  # entries a dead drainer read and never acknowledged are taken over after this
_dead = meter().create_counter("govstat_usage_dead_letter", description="unreadable usage entries set aside")
_fallback = meter().create_counter("govstat_usage_fallback_db", description="usage events written to the DB directly")
_orphans = meter().create_counter("govstat_usage_orphans", description="admitted calls whose process never completed")

# KEYS: OPEN, OPEN_SINCE, STREAM; ARGV: event id, full event, event id, full event, ...
_COMPLETE = """
for i = 1, #ARGV, 2 do
  redis.call('XADD', KEYS[3], '*', 'e', ARGV[i + 1])
  redis.call('ZREM', KEYS[2], ARGV[i])
  redis.call('HDEL', KEYS[1], ARGV[i])
end
return #ARGV / 2
"""
DRAIN_BATCH = 2000  # stream entries per outbox transaction
BATCH = 200  # completions per script call: Redis runs a script alone, so keep each one short

# KEYS: OPEN, OPEN_SINCE, STREAM; ARGV: admitted before (ms), at most this many
_SWEEP = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  local admitted = redis.call('HGET', KEYS[1], id)
  if admitted then redis.call('XADD', KEYS[3], '*', 's', admitted) end
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
return #ids
"""


async def store_usage(redis: Redis, event: Envelope[Any]) -> None:
    """The full event, durable before it returns (the path when the call has no open record)."""
    data = encode(event)
    try:
        await redis.xadd(STREAM, {"e": data})
        return
    except Exception as exc:
        log.warning("usage to Redis failed (%s); writing to the outbox", exc)
    await _to_outbox([event])


async def _to_outbox(events: list[Envelope[Any]]) -> None:
    _fallback.add(len(events))
    async with UnitOfWork(Scope.system("metering")) as uow:
        for event in events:
            await write_outbox(uow.connection, event, dedupe=True)


class Completions:
    """The full events of answered calls, written after the answers: those of one turn of the event
    loop go as one script call (at most BATCH events each) over the gateway's pipelined connection
    (wire.py), in the same socket write as the next admission checks (wire.LAZY_S later at most). A batch that fails goes
    to the PostgreSQL outbox."""

    def __init__(self, redis: Redis, wire: Wire | None = None) -> None:
        self.redis = redis
        self.wire = wire or Wire(redis)
        self._sha = hashlib.sha1(_COMPLETE.encode()).hexdigest()
        self._batch: list[tuple[Envelope[Any], str]] = []
        self._send_at: asyncio.Handle | None = None
        self._inflight: set[asyncio.Future[Any]] = set()  # script calls sent, and outbox fallbacks
        _ALL.add(self)

    def add(self, event: Envelope[Any], event_id: str = "") -> None:
        """`event_id`: the id's text when the caller has it (the open record's field)."""
        self._batch.append((event, event_id or str(event.id)))
        if self._send_at is None:
            # its own empty context: the outbox fallback must not count as one of the request's units of work
            self._send_at = asyncio.get_running_loop().call_soon(self._send, context=contextvars.Context())

    async def settle(self) -> None:
        """Wait until every event added so far is written (shutdown, tests)."""
        while self._batch or self._inflight:
            if self._batch:
                self._send()
            await asyncio.wait(list(self._inflight))

    def _send(self) -> None:
        if self._send_at is not None:
            self._send_at.cancel()
            self._send_at = None
        batch, self._batch = self._batch, []
        for start in range(0, len(batch), BATCH):
            part = [event for event, _ in batch[start : start + BATCH]]
            args: list[bytes | str] = []
            for event, event_id in batch[start : start + BATCH]:
                args += (event_id, encode(event))
            # lazy: with the next admission checks' write (or within wire.LAZY_S), not a write of its own
            reply = self.wire.call("EVALSHA", self._sha, 3, OPEN, OPEN_SINCE, STREAM, *args, lazy=True)
            self._inflight.add(reply)
            reply.add_done_callback(functools.partial(self._written, part=part, args=args))

    def _written(self, reply: asyncio.Future[Any], *, part: list[Envelope[Any]], args: list[bytes | str]) -> None:
        self._inflight.discard(reply)
        if reply.cancelled() or reply.exception() is None:
            return
        loop = asyncio.get_running_loop()
        retry = loop.create_task(self._again(reply.exception(), part, args), context=contextvars.Context())
        self._inflight.add(retry)
        retry.add_done_callback(self._inflight.discard)

    async def _again(self, exc: BaseException | None, part: list[Envelope[Any]], args: list[bytes | str]) -> None:
        try:
            if not isinstance(exc, NoScriptError):
                raise exc or RuntimeError("usage completions failed")
            await self.wire.call("EVAL", _COMPLETE, 3, OPEN, OPEN_SINCE, STREAM, *args)  # the script sent whole once
        except Exception as failure:  # Redis gone after admitting: the database keeps the answered calls
            log.warning("usage completions to Redis failed (%s); writing %d to the outbox", failure, len(part))
            try:
                await _to_outbox(part)
            except Exception:
                log.exception("usage completions lost for %d calls (their open records remain)", len(part))


_ALL: weakref.WeakSet[Completions] = weakref.WeakSet()


async def settle_all() -> None:
    """Every process-local writer's events written (tests that read the stream right after a call)."""
    for completions in list(_ALL):
        await completions.settle()


async def sweep_open(redis: Redis, older_than_s: float = ORPHAN_AFTER_S, count: int = 1000) -> int:
    """Move calls open longer than `older_than_s` (their process died) to the stream as admitted."""
    cutoff = int((time.time() - older_than_s) * 1000)
    reply: Awaitable[Any] = redis.eval(_SWEEP, 3, OPEN, OPEN_SINCE, STREAM, str(cutoff), str(count))  # type: ignore[assignment]
    moved = int(await reply)
    if moved:
        _orphans.add(moved)
        log.warning("usage: %d calls admitted but never completed (process ended); recorded as admitted", moved)
    return moved


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
    events, payloads = [], []
    for entry_id, fields in entries:
        try:
            data = fields.get(b"e") or fields[b"s"]
            events.append(decode(data))  # read once, typed: what cannot be read is set aside here
            payloads.append(data)  # and go on as the bytes they came as: not encoded again
        except Exception as exc:
            # kept for inspection, never silently dropped
            raw = fields.get(b"e") or fields.get(b"s") or b""
            await redis.xadd(DEAD_LETTER, {"e": raw, "error": str(exc)[:500], "id": entry_id})
            _dead.add(1)
            log.error("usage entry %s unreadable (%s); moved to %s", entry_id, exc, DEAD_LETTER)
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
    redis: Redis, stop: asyncio.Event, consumer: str = "drain-1", publisher: Publisher | None = None
) -> None:
    """Drain until `stop`; with a `publisher`, each batch goes to Kafka on its way (closed at the end)."""
    try:
        await _drain_until(redis, stop, consumer, publisher)
    finally:
        if publisher is not None:
            await publisher.close()


async def _drain_until(redis: Redis, stop: asyncio.Event, consumer: str, publisher: Publisher | None) -> None:
    from govstat.platform.resilience import Backoff, is_outage, outage_failed, outage_over, sleep_or_stop

    backoff = Backoff(first=0.5, ceiling=5.0)
    swept_at = 0.0
    while not stop.is_set():
        try:
            if time.monotonic() - swept_at > 10:
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


__all__ = [
    "OPEN",
    "OPEN_SINCE",
    "STREAM",
    "Completions",
    "drain_once",
    "msgspec",
    "run_drain",
    "store_usage",
    "sweep_open",
]
