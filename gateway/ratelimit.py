"""Rate limits in Redis, one atomic script per check (GCRA), shared by every app process.

Litestar's RateLimitMiddleware keeps its lock per process, so N processes would
allow N times the limit; here the state lives in Redis and the check-and-update
is one Lua script. Limits are per principal and module, from the tenant's plan. The same script records an
admitted call as open for usage metering (metering.py), with the id of the process that admitted it
(heartbeat.py): one round trip for all.

If Redis is unavailable: reads (GET, HEAD) pass and are counted in
`govstat_ratelimit_unavailable`; writes answer 503. Sessions live in Redis too,
so failing open for everything would only help API-key callers write unlimited.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import cached_property

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from govstat.gateway.heartbeat import process_id
from govstat.gateway.metering import OPEN, OPEN_BY, OPEN_SINCE
from govstat.gateway.wire import Wire, resp_args, resp_bulk, resp_head
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

    # worked out once per limit (plans.py keeps the limits): not again on every call
    @cached_property
    def interval_ms(self) -> float:
        return self.window * 1000 / self.quota

    @cached_property
    def tolerance_ms(self) -> float:
        return self.interval_ms * (self.burst or max(self.quota // 10, 1))

    @cached_property
    def policy_header(self) -> tuple[bytes, bytes]:
        return (b"ratelimit-policy", self.policy.encode())

    @cached_property
    def packed_rate(self) -> bytes:
        """The script's interval and tolerance arguments, packed (wire.resp_args)."""
        return resp_args(self.interval_ms, self.tolerance_ms)

    @cached_property
    def name_bytes(self) -> bytes:
        return f'"{self.name}";r='.encode()


# GCRA: one key holds the theoretical arrival time (TAT) in ms. An admitted call is also recorded
# as open (metering.py) in the same script: the gateway's one Redis round trip before the handler.
# KEYS: the limit's key, metering.OPEN, metering.OPEN_SINCE, metering.OPEN_BY; ARGV: (unused), interval,
# tolerance, event id ('' records nothing), the usage event as admitted, the admitting process's id
# (its heartbeat tells the sweep whether the call can still be completed).
# "now" is Redis's clock (TIME), as the sweep's and the heartbeat's are: an app host's clock off from
# Redis's would have its live calls swept at once (behind by more than the backstop), a dead
# process's never (ahead), and its callers' limits set ahead for every other host (review h21).
_SCRIPT = """
local key = KEYS[1]
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
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
  redis.call('HSET', KEYS[4], ARGV[4], ARGV[6])
end
return {1, 0, new_tat - now}
"""

HEADS_MAX = 10_000  # packed command starts kept per limiter (one per principal and module)

_unavailable = meter().create_counter("govstat_ratelimit_unavailable", description="checks skipped: Redis down")
_limited = meter().create_counter("govstat_ratelimit_rejected", description="requests refused with 429")


class Verdict:
    """A check's outcome (a plain class: made on every call, where a frozen dataclass sets each
    field through object.__setattr__)."""

    __slots__ = ("allowed", "limit", "remaining", "reset_seconds", "retry_after")

    def __init__(self, allowed: bool, limit: Limit, remaining: int, reset_seconds: int, retry_after: int = 0) -> None:
        self.allowed, self.limit, self.remaining = allowed, limit, remaining
        self.reset_seconds, self.retry_after = reset_seconds, retry_after

    def headers(self) -> dict[str, str]:
        h = {
            "RateLimit-Policy": self.limit.policy,
            "RateLimit": f'"{self.limit.name}";r={self.remaining};t={self.reset_seconds}',
        }
        if not self.allowed:
            h["Retry-After"] = str(max(self.retry_after, 1))
        return h

    def header_pairs(self) -> list[tuple[bytes, bytes]]:
        """The headers of an admitted call as the ASGI response takes them (no dict, no encoding)."""
        return [
            self.limit.policy_header,
            (b"ratelimit", b"%s%d;t=%d" % (self.limit.name_bytes, self.remaining, self.reset_seconds)),
        ]


class RateLimiter:
    """Checks go over the gateway's own pipelined Redis connection (wire.py): the checks of one turn
    of the event loop leave in one socket write, packed by hiredis (C), and each reply resolves its
    caller as it is read. Each check is still its own atomic script, so the limit stays atomic
    across processes."""

    def __init__(self, redis: Redis, wire: Wire | None = None) -> None:
        self.redis = redis
        self.wire = wire or Wire(redis)
        self._sha = hashlib.sha1(_SCRIPT.encode()).hexdigest()
        self._heads: dict[str, bytes] = {}  # per limit key (principal and module): the command's constant start

    async def check(self, key: str, limit: Limit, opened: tuple[str, bytes] | None = None) -> Verdict:
        """Count the call against the limit; if it is allowed and `opened` is (event id, usage event
        as admitted), record the call as open in the same atomic script (metering.py)."""
        interval, tolerance = limit.interval_ms, limit.tolerance_ms
        event_id, admitted = opened or ("", b"")
        now = 0  # ARGV[1], kept in place: the script reads Redis's clock (TIME), not the host's
        # packed here: the script, its keys and the limit's arguments once per key and limit, the rest per call
        head = self._heads.get(key) or self._head(key)
        command = b"".join(
            (
                head,
                resp_bulk(b"%d" % now),
                limit.packed_rate,
                resp_bulk(event_id.encode()),
                resp_bulk(admitted),
                resp_bulk(process_id().encode()),
            )
        )
        try:
            allowed, retry_ms, backlog_ms = await self.wire.send(command)
        except NoScriptError:  # a new connection to a Redis that has not seen the script: sent whole once
            keys = (f"govstat:rl:{key}", OPEN, OPEN_SINCE, OPEN_BY)
            args = (*keys, now, interval, tolerance, event_id, admitted, process_id())
            allowed, retry_ms, backlog_ms = await self.wire.call("EVAL", _SCRIPT, 4, *args)
        if allowed:
            return Verdict(True, limit, max(int((tolerance - backlog_ms) // interval), 0), math.ceil(backlog_ms / 1000))
        _limited.add(1)
        remaining = max(int((tolerance - backlog_ms) // interval), 0)
        return Verdict(False, limit, remaining, math.ceil(backlog_ms / 1000), math.ceil(retry_ms / 1000))

    def _head(self, key: str) -> bytes:
        """EVALSHA, the script and its four keys, packed (13 arguments in all)."""
        if len(self._heads) >= HEADS_MAX:
            self._heads.clear()  # rare; as LocalCache: simpler than an LRU
        head = self._heads[key] = resp_head(13) + resp_args(
            "EVALSHA", self._sha, 4, f"govstat:rl:{key}", OPEN, OPEN_SINCE, OPEN_BY
        )
        return head

    @staticmethod
    def note_unavailable() -> None:
        _unavailable.add(1)
