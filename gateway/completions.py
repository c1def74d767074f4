"""The full usage events of answered calls, written after the answers, batched (metering.py:
the call was recorded as open at admission; this closes the record with its full event).

The completion script writes a call's full event only if its record is still open, or was never
seen by the sweep (Redis lost the record in a crash: the answered call is still billed); a live
process that stalled longer than the heartbeat TTL and completes after the sweep writes nothing
more (counted in `govstat_usage_late_completions`).

A batch Redis fails goes to the PostgreSQL outbox whole; its calls' open records stay in Redis. The
process keeps their ids and closes the records once Redis answers again (unclosed.py), so they are
not swept later as "ended unknown" under the same ids; those it cannot close (it ended first, or
more than `UNCLOSED_MAX` wait) are swept, and the drainer drops such a copy, the outbox having the
call's full event (usage_drain.py): the real event is the one billed (decision 0015).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import hashlib
import logging
import weakref
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from govstat.gateway.metering import KEYS, to_outbox
from govstat.gateway.unclosed import Unclosed
from govstat.gateway.wire import Wire, resp_args, resp_bulk, resp_head
from govstat.platform.events.envelope import Envelope, encode
from govstat.platform.telemetry import meter

log = logging.getLogger("govstat.metering")

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
BATCH = 200  # completions per script call: Redis runs a script alone, so keep each one short


class Completions:
    """The full events of answered calls, written after the answers: those of one turn of the event
    loop go as one script call (at most BATCH events each) over the gateway's pipelined connection
    (wire.py), in the same socket write as the next admission checks (wire.LAZY_S later at most). A batch that fails goes
    to the PostgreSQL outbox."""

    def __init__(self, redis: Redis, wire: Wire | None = None) -> None:
        self.redis = redis
        self.wire = wire or Wire(redis)
        self._sha = hashlib.sha1(_COMPLETE.encode()).hexdigest()
        self._head = resp_args("EVALSHA", self._sha, len(KEYS), *KEYS)
        self._batch: list[tuple[Envelope[Any], str]] = []
        self._send_at: asyncio.Handle | None = None
        self._inflight: set[asyncio.Future[Any]] = set()  # script calls sent, and outbox fallbacks
        self.unclosed = Unclosed(redis)  # open records of calls whose full events went to the outbox
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
            packed = [b"", self._head]  # EVALSHA, the script and its keys packed once (wire.resp_args)
            for event, event_id in batch[start : start + BATCH]:
                encoded = encode(event)
                args += (event_id, encoded)
                packed += (resp_bulk(event_id.encode()), resp_bulk(encoded))
            packed[0] = resp_head(3 + len(KEYS) + len(args))
            # lazy: with the next admission checks' write (or within wire.LAZY_S), not a write of its own
            reply = self.wire.send(b"".join(packed), lazy=True)
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
            _note_late(await self.wire.call("EVAL", _COMPLETE, len(KEYS), *KEYS, *args))
        except Exception as failure:  # Redis gone after admitting: the database keeps the answered calls
            log.warning("usage completions to Redis failed (%s); writing %d to the outbox", failure, len(part))
            try:
                await to_outbox(part)
            except Exception:
                log.exception("usage completions lost for %d calls (their open records remain)", len(part))
                return
            self.unclosed.add([str(a) for a in args[::2]])

    async def close(self) -> None:
        """At shutdown, after `settle`: the fallbacks' open records closed if Redis answers (unclosed.py)."""
        await self.unclosed.close()


def _note_late(late: Any) -> None:
    if late:
        _late.add(int(late))
        log.warning("usage: %d calls completed after the sweep recorded them as admitted (a stalled process)", late)


_ALL: weakref.WeakSet[Completions] = weakref.WeakSet()


async def settle_all() -> None:
    """Every process-local writer's events written (tests that read the stream right after a call)."""
    for completions in list(_ALL):
        await completions.settle()


__all__ = ["BATCH", "Completions", "settle_all"]
