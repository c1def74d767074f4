"""The sweep of open calls no process can complete any more (metering.py), run by the drainer.

It moves to the stream, as they were admitted, status 0 ("ended unknown"), one unit: the records
of processes whose heartbeat has expired (heartbeat.py), once `DEAD_AFTER_S` old (a call admitted
a moment ago is never raced); and, whatever their process, records open longer than
`ORPHAN_AFTER_S` (the backstop: records of older code carry no process id). The sweep is one
script, and it leaves a tombstone of each call it moved (`SWEPT`, kept `ORPHAN_AFTER_S`), which
the completion script (completions.py) honours: the stream holds one event per call.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from redis.asyncio import Redis

from govstat.gateway.heartbeat import ALIVE
from govstat.gateway.metering import DEAD_AFTER_S, KEYS, ORPHAN_AFTER_S
from govstat.platform.telemetry import meter

log = logging.getLogger("govstat.metering")

SWEEP_EVERY_S = 2.0
_orphans = meter().create_counter("govstat_usage_orphans", description="admitted calls whose process never completed")

# KEYS: OPEN, OPEN_SINCE, STREAM, OPEN_BY, SWEPT, heartbeat.ALIVE; ARGV: the backstop's age (ms: moved
# whatever their process), a dead process's call's age (ms), at most this many moved (and ten times
# as many looked at: past live processes' calls, which must not hide a dead one's, review h21),
# tombstones kept (ms). Ages and heartbeats are reckoned on Redis's clock. Returns how many were moved.
_SWEEP = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local backstop, dead_after = now - tonumber(ARGV[1]), now - tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', '(' .. now)
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - tonumber(ARGV[4]))
local count, top = tonumber(ARGV[3]), math.max(backstop, dead_after)
local moved, looked, kept = 0, 0, 0
while moved < count and looked < count * 10 do
  local rows = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', top, 'WITHSCORES', 'LIMIT', kept, count)
  if #rows == 0 then break end
  for i = 1, #rows, 2 do
    local id, at = rows[i], tonumber(rows[i + 1])
    local owner = redis.call('HGET', KEYS[4], id)
    looked = looked + 1
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
    else
      kept = kept + 1  -- a live process's call: the next page starts past it
    end
  end
end
return moved
"""


async def sweep_open(
    redis: Redis, older_than_s: float = ORPHAN_AFTER_S, dead_after_s: float = DEAD_AFTER_S, count: int = 1000
) -> int:
    """Move to the stream, as admitted, the open calls no process can complete any more: those at
    least `dead_after_s` old whose process's heartbeat has expired, and any open longer than
    `older_than_s`. Moves at most `count` a run, looking at up to ten times as many of the oldest
    calls older than `dead_after_s` (live processes' calls are passed over)."""
    args = (str(int(older_than_s * 1000)), str(int(dead_after_s * 1000)), str(count), str(ORPHAN_AFTER_S * 1000))
    reply: Awaitable[Any] = redis.eval(_SWEEP, 6, *KEYS, ALIVE, *args)  # type: ignore[assignment]
    moved = int(await reply)
    if moved:
        _orphans.add(moved)
        log.warning("usage: %d calls admitted but never completed (process ended); recorded as admitted", moved)
    return moved


__all__ = ["SWEEP_EVERY_S", "sweep_open"]
