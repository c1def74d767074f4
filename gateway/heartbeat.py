"""Each app process's heartbeat, so that the usage sweep (usage_sweep.py) knows within seconds that
a process is gone and its open calls will never be completed.

Every app process has an id, random per process (drawn again in a forked child), which the
admission script writes beside each open call (ratelimit.py: no extra round trip). A background
task refreshes the process's entry in one sorted set, `ALIVE` (process id -> the moment its
heartbeat expires), every `ttl / 5` seconds. The expiry is reckoned on Redis's clock (TIME in the
script), as is the sweep's "now", so clocks of different hosts never disagree about it.

The TTL is wide (10 s by default: five missed beats) because a live process judged dead has its
open calls recorded as "ended unknown"; its completions then add nothing (the completion script
finds them swept), so such a stall costs accuracy (one unit, status 0), never a second event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time

from redis.asyncio import Redis

log = logging.getLogger("govstat.metering")

ALIVE = "govstat:usage:alive"  # sorted set: process id -> its heartbeat's expiry (Redis's clock, ms)
TTL_S = 10.0

# KEYS: ALIVE; ARGV: process id, TTL (ms)
_BEAT = """
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(ARGV[2]), ARGV[1])
return 1
"""


def _draw() -> str:
    # host and pid for whoever reads Redis; the random part because pids repeat (containers: pid 1)
    return f"{socket.gethostname()[:40]}/{os.getpid()}/{secrets.token_hex(4)}"


_process = [_draw()]
os.register_at_fork(after_in_child=lambda: _process.__setitem__(0, _draw()))


def process_id() -> str:
    """This process's id (read per call: a forked child has its own)."""
    return _process[0]


class Heartbeat:
    """Started before the process serves (the first beat awaited, so no call it admits lacks one),
    stopped after its completions are written (the entry is then removed: nothing of it stays open)."""

    def __init__(self, redis: Redis, ttl_s: float = TTL_S) -> None:
        self.redis = redis
        self.ttl_ms = int(ttl_s * 1000)
        self.every = ttl_s / 5
        self._script = redis.register_script(_BEAT)
        self._task: asyncio.Task[None] | None = None
        self._failing = False
        self.beats = 0  # answered beats (tests)

    async def beat(self) -> None:
        await self._script(keys=[ALIVE], args=[process_id(), self.ttl_ms])
        self.beats += 1

    async def start(self) -> None:
        try:
            await asyncio.wait_for(self.beat(), self.every)
        except Exception as exc:  # Redis away: admissions record nothing then either; the loop keeps trying
            self._failed(exc)
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.redis.zrem(ALIVE, process_id()), 2)

    async def _run(self) -> None:
        due = time.monotonic()
        while True:
            due += self.every
            await asyncio.sleep(max(due - time.monotonic(), 0))
            try:
                await asyncio.wait_for(self.beat(), self.every)
            except Exception as exc:
                self._failed(exc)
                due = time.monotonic() - self.every * 0.75  # try again soon: the TTL is running out
                continue
            if self._failing:
                self._failing = False
                log.warning("usage heartbeat: written again")

    def _failed(self, exc: BaseException) -> None:
        if not self._failing:  # once per outage, not every beat
            self._failing = True
            log.warning("usage heartbeat not written (%s): this process's open calls may be swept", exc)


__all__ = ["ALIVE", "TTL_S", "Heartbeat", "process_id"]
