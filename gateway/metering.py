"""Usage metering (GOV-4, GOV-13): one usage event per call; an answered call's usage is never lost.

One Redis round trip on a call's critical path. The rate-limit script (ratelimit.py) that admits
the call also records it as *open*: the usage event as admitted (status 0, one unit) in a hash,
with its admission time in a sorted set. Redis keeps an append-only file, so from then on the
call is durable, before the handler runs. After the answer, the call's full event (status,
units, bytes, latency) is written by `Completions` off the critical path, batched (one script call
per batch): the script appends it to the stream and closes the open record.

A process killed between answering and completing leaves the open record. Each app process
refreshes a heartbeat in Redis (heartbeat.py: every 2 s, expiring after `usage_heartbeat_ttl_seconds`,
10 s), and the open record carries the id of the process that admitted the call (written by the
admission script: still one round trip). The drainer's sweep (every `usage_sweep_interval_seconds`,
2 s) moves to the stream, as they were admitted, status 0 ("ended unknown"), one unit: the records
of processes whose heartbeat has expired, once `DEAD_AFTER_S` old (a call admitted a moment ago
is never raced); and, whatever their process, records open longer than `ORPHAN_AFTER_S` (the
backstop: records of older code carry no process id). A killed process's calls are so billed
within about 12 s, not 10 minutes.

The sweep is one script, and it leaves a tombstone of each call it moved (`SWEPT`, kept
`ORPHAN_AFTER_S`). The completion script writes a call's full event only if its record is still
open, or was never seen by the sweep (Redis lost the record in a crash: the answered call is
still billed); a live process that stalled longer than the TTL and completes after the sweep
writes nothing more (counted in `govstat_usage_late_completions`). The stream so holds one event
per call, and the outbox and the consumers take events by id besides, so a retry never doubles.

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

from govstat.gateway.heartbeat import ALIVE
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
OPEN_BY = "govstat:usage:open:p"  # hash: event id -> id of the process that admitted it (heartbeat.py)
SWEPT = "govstat:usage:swept"  # sorted set: event id -> swept at (ms): its late completion adds nothing
DEAD_LETTER = "govstat:usage:dead"
GROUP = "outbox-drain"
ORPHAN_AFTER_S = 600  # longer than any answer may take: only then is an open call's process surely gone
DEAD_AFTER_S = 5  # a dead process's call this old is swept: older than a heartbeat period, so never racing admission
SWEEP_EVERY_S = 2.0
CLAIM_IDLE_MS = 60_000  # entries a dead drainer read and never acknowledged are taken over after this
_dead = meter().create_counter("govstat_usage_dead_letter", description="unreadable usage entries set aside")
_fallback = meter().create_counter("govstat_usage_fallback_db", description="usage events written to the DB directly")
_orphans = meter().create_counter("govstat_usage_orphans", description="admitted calls whose process never completed")
_late = meter().create_counter(
    "govstat_usage_late_completions", description="completions of calls already swept (a stalled process): not written"
)

# KEYS: OPEN, OPEN_SINCE, STREAM, OPEN_BY, SWEPT; ARGV: event id, full event, event id, full event, ...
# A call still open, or one the sweep never saw (Redis lost its record), gets its full event; one
# the sweep already recorded as admitted gets none. Returns how many were such late completions.
_COMPLETE = """
local late = 0
for i = 1, #ARGV, 2 do
  if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 or not redis.call('ZSCORE', KEYS[5], ARGV[i]) then
    redis.call('XADD', KEYS[3], '*', 'e', ARGV[i + 1])
    redis.call('ZREM', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[4], ARGV[i])
  else
    late = late + 1
  end
end
return late
"""
_KEYS = (OPEN, OPEN_SINCE, STREAM, OPEN_BY, SWEPT)
DRAIN_BATCH = 2000  # stream entries per outbox transaction
BATCH = 200  # completions per script call: Redis runs a script alone, so keep each one short

# KEYS: OPEN, OPEN_SINCE, STREAM, OPEN_BY, SWEPT, heartbeat.ALIVE; ARGV: the backstop's age (ms: moved
# whatever their process), a dead process's call's age (ms), at most this many looked at, tombstones
# kept (ms). Ages and heartbeats are reckoned on Redis's clock. Returns how many were moved.
_SWEEP = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local backstop, dead_after = now - tonumber(ARGV[1]), now - tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', '(' .. now)
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - tonumber(ARGV[4]))
local rows = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', math.max(backstop, dead_after),
  'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local moved = 0
for i = 1, #rows, 2 do
  local id, at = rows[i], tonumber(rows[i + 1])
  local owner = redis.call('HGET', KEYS[4], id)
  if at <= backstop or (at <= dead_after and owner and not redis.call('ZSCORE', KEYS[6], owner)) then
    local admitted = redis.call('HGET', KEYS[1], id)
    if admitted then
      redis.call('XADD', KEYS[3], '*', 's', admitted)
      redis.call('ZADD', KEYS[5], now, id)
      moved = moved + 1
    end
    redis.call('HDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[4], id)
    redis.call('ZREM', KEYS[2], id)
  end
end
return moved
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
            reply = self.wire.call("EVALSHA", self._sha, len(_KEYS), *_KEYS, *args, lazy=True)
            self._inflight.add(reply)
            reply.add_done_callback(functools.partial(self._written, part=part, args=args))

    def _written(self, reply: asyncio.Future[Any], *, part: list[Envelope[Any]], args: list[bytes | str]) -> None:
        self._inflight.discard(reply)
        if reply.cancelled():
            return
        if reply.exception() is None:
            _note_late(reply.result())
            return
        loop = asyncio.get_running_loop()
        retry = loop.create_task(self._again(reply.exception(), part, args), context=contextvars.Context())
        self._inflight.add(retry)
        retry.add_done_callback(self._inflight.discard)

    async def _again(self, exc: BaseException | None, part: list[Envelope[Any]], args: list[bytes | str]) -> None:
        try:
            if not isinstance(exc, NoScriptError):
                raise exc or RuntimeError("usage completions failed")
            # the script sent whole once
            _note_late(await self.wire.call("EVAL", _COMPLETE, len(_KEYS), *_KEYS, *args))
        except Exception as failure:  # Redis gone after admitting: the database keeps the answered calls
            log.warning("usage completions to Redis failed (%s); writing %d to the outbox", failure, len(part))
            try:
                await _to_outbox(part)
            except Exception:
                log.exception("usage completions lost for %d calls (their open records remain)", len(part))


def _note_late(late: Any) -> None:
    if late:
        _late.add(int(late))
        log.warning("usage: %d calls completed after the sweep recorded them as admitted (a stalled process)", late)


_ALL: weakref.WeakSet[Completions] = weakref.WeakSet()


async def settle_all() -> None:
    """Every process-local writer's events written (tests that read the stream right after a call)."""
    for completions in list(_ALL):
        await completions.settle()


async def sweep_open(
    redis: Redis, older_than_s: float = ORPHAN_AFTER_S, dead_after_s: float = DEAD_AFTER_S, count: int = 1000
) -> int:
    """Move to the stream, as admitted, the open calls no process can complete any more: those at
    least `dead_after_s` old whose process's heartbeat has expired, and any open longer than
    `older_than_s`. Looks at the oldest `count` calls older than `dead_after_s` per run."""
    args = (str(int(older_than_s * 1000)), str(int(dead_after_s * 1000)), str(count), str(ORPHAN_AFTER_S * 1000))
    reply: Awaitable[Any] = redis.eval(_SWEEP, 6, *_KEYS, ALIVE, *args)  # type: ignore[assignment]
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


__all__ = [
    "OPEN",
    "OPEN_BY",
    "OPEN_SINCE",
    "STREAM",
    "SWEPT",
    "Completions",
    "drain_once",
    "msgspec",
    "run_drain",
    "store_usage",
    "sweep_open",
]
