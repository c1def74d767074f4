"""Rate limits in Redis, one atomic script per check (GCRA), shared by every app process.

Litestar's RateLimitMiddleware keeps its lock per process, so N processes would
allow N times the limit; here the state lives in Redis and the check-and-update
is one Lua script. Limits are per principal and module, from the tenant's plan. The same script records an
admitted call as open for usage metering (metering.py): one round trip for both.

If Redis is unavailable: reads (GET, HEAD) pass and are counted in
`govstat_ratelimit_unavailable`; writes answer 503. Sessions live in Redis too,
so failing open for everything would only help API-key callers write unlimited.
"""

from __future__ import annotations

import asyncio
import contextvars
import math
import time
from dataclasses import dataclass
from typing import Any

import hiredis
from redis.asyncio import Redis
from redis.exceptions import NoScriptError, ResponseError

from govstat.gateway.metering import OPEN, OPEN_SINCE
from govstat.platform.telemetry import meter


@dataclass(frozen=True)
class Limit:
    quota: int  # requests allowed ...
    window: int  # ... per this many seconds
    burst: int = 0  # extra requests allowed at once (0: quota/10)

    @property
    def policy(self) -> str:
        return f'"{self.name}";q={self.quota};w={self.window}'

    @property
    def name(self) -> str:
        return f"{self.quota}per{self.window}s"


# GCRA: one key holds the theoretical arrival time (TAT) in ms. An admitted call is also recorded
# as open (metering.py) in the same script: the gateway's one Redis round trip before the handler.
# KEYS: the limit's key, metering.OPEN, metering.OPEN_SINCE; ARGV: now, interval, tolerance,
# event id ('' records nothing), the usage event as admitted.
_SCRIPT = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', key) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - tolerance
if now < allow_at then
  return {0, allow_at - now, tat - now}
end
redis.call('SET', key, new_tat, 'PX', math.ceil(new_tat - now) + 1000)
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
  redis.call('ZADD', KEYS[3], now, ARGV[4])
end
return {1, 0, new_tat - now}
"""

_unavailable = meter().create_counter("govstat_ratelimit_unavailable", description="checks skipped: Redis down")
_limited = meter().create_counter("govstat_ratelimit_rejected", description="requests refused with 429")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: Limit
    remaining: int
    reset_seconds: int
    retry_after: int = 0

    def headers(self) -> dict[str, str]:
        h = {
            "RateLimit-Policy": self.limit.policy,
            "RateLimit": f'"{self.limit.name}";r={self.remaining};t={self.reset_seconds}',
        }
        if not self.allowed:
            h["Retry-After"] = str(max(self.retry_after, 1))
        return h


class RateLimiter:
    """Checks are pipelined: the checks that reach Redis in the same turn of the event loop go in
    one write on one pooled connection, and their replies come back in order (Redis answers a
    connection's commands one after another). Each is still its own atomic script; what is shared
    is the socket write, the connection, and redis-py's per-command bookkeeping (commands packed
    by hiredis, in C). Under load this is most of what a check cost the process."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._script = redis.register_script(_SCRIPT)
        self._queue: list[tuple[tuple[Any, ...], asyncio.Future[Any]]] = []
        self._sending: asyncio.Task[None] | None = None

    async def check(self, key: str, limit: Limit, opened: tuple[str, bytes] | None = None) -> Verdict:
        """Count the call against the limit; if it is allowed and `opened` is (event id, usage event
        as admitted), record the call as open in the same atomic script (metering.py)."""
        interval = limit.window * 1000 / limit.quota
        burst = limit.burst or max(limit.quota // 10, 1)
        tolerance = interval * burst
        now = int(time.time() * 1000)
        event_id, admitted = opened or ("", b"")
        allowed, retry_ms, backlog_ms = await self._call(
            (f"govstat:rl:{key}", OPEN, OPEN_SINCE, now, interval, tolerance, event_id, admitted)
        )
        remaining = max(int((tolerance - float(backlog_ms)) // interval), 0)
        verdict = Verdict(
            bool(allowed), limit, remaining, math.ceil(float(backlog_ms) / 1000), math.ceil(float(retry_ms) / 1000)
        )
        if not verdict.allowed:
            _limited.add(1)
        return verdict

    def _call(self, keys_and_args: tuple[Any, ...]) -> asyncio.Future[Any]:
        """The script's reply for these three keys and five arguments, sent with the other checks
        of this turn of the event loop (the sending task starts at the next turn)."""
        loop = asyncio.get_running_loop()
        if self._sending is not None and self._sending.get_loop() is not loop:
            self._queue, self._sending = [], None  # left from a loop that has ended (tests run several)
        reply: asyncio.Future[Any] = loop.create_future()
        self._queue.append((keys_and_args, reply))
        if self._sending is None:
            # its own empty context: not one of the request's units of work (platform/db/guard.py)
            self._sending = loop.create_task(self._send_queued(), context=contextvars.Context())
        return reply

    async def _send_queued(self) -> None:
        batch, self._queue, self._sending = self._queue, [], None
        try:
            replies = await self._pipelined([args for args, _ in batch])
        except Exception as exc:  # Redis away or too slow: every check of the batch fails alike
            replies = [exc] * len(batch)
        except BaseException:  # cancelled (shutdown): no caller is left waiting for ever
            for _, future in batch:
                if not future.done():
                    future.set_exception(ConnectionError("rate-limit batch cancelled"))
            raise
        for (_, future), reply in zip(batch, replies, strict=True):
            if future.done():  # the caller gave up (cancelled)
                continue
            if isinstance(reply, Exception):
                future.set_exception(reply)
            else:
                future.set_result(reply)

    async def _pipelined(self, calls: list[tuple[Any, ...]]) -> list[Any]:
        pool = self.redis.connection_pool
        conn = await pool.get_connection()
        try:
            packed = b"".join(hiredis.pack_command(("EVALSHA", self._script.sha, 3, *c)) for c in calls)
            await conn.send_packed_command(packed, check_health=False)
            replies: list[Any] = []
            for _ in calls:
                try:
                    replies.append(await conn.read_response())
                except ResponseError as exc:  # read whole: the connection stays in step
                    replies.append(exc)
        except BaseException:
            await conn.disconnect(nowait=True)  # a reply half read must never be taken for the next one's
            raise
        finally:
            await pool.release(conn)
        for i, reply in enumerate(replies):
            if isinstance(reply, NoScriptError):  # Redis restarted or flushed its scripts: redis-py loads it
                c = calls[i]
                replies[i] = await self._script(keys=list(c[:3]), args=list(c[3:]))
        return replies

    @staticmethod
    def note_unavailable() -> None:
        _unavailable.add(1)
