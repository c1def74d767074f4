"""The open records of calls whose full events went to the PostgreSQL outbox (Redis failed at their
completion, completions.py), and of calls whose admission went unanswered (its script may have
run: pipeline.py), closed by the process once Redis answers again.

Left open, each would be swept "ended unknown" (status 0, one unit) when the process ends, a second
event under the call's id. The drainer drops such a copy when the outbox has the full event
(usage_drain.py), so closing them is not what keeps billing right; it keeps the stream, the
`govstat_usage_orphans` count and the logs free of calls that were in fact completed.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Awaitable
from typing import Any

from redis.asyncio import Redis

from govstat.gateway.metering import KEYS

log = logging.getLogger("govstat.metering")

BATCH = 200  # ids per script call
UNCLOSED_MAX = 100_000  # open records kept to close after fallbacks, at most: beyond, the oldest are left to the sweep
CLOSE_RETRY_S = (0.5, 5.0)  # the first wait before closing them, and the longest between tries

# KEYS: as _COMPLETE's; ARGV: event ids whose full events went to the outbox. Their open records closed.
_CLOSE = """
for i = 1, #ARGV do
  redis.call('HDEL', KEYS[1], ARGV[i])
  redis.call('ZREM', KEYS[2], ARGV[i])
  redis.call('HDEL', KEYS[4], ARGV[i])
end
return #ARGV
"""


class Unclosed:
    """Ids to close, oldest first, at most UNCLOSED_MAX; a task of their own closes them, retrying
    with backoff while Redis is away."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self.ids: dict[str, None] = {}  # a dict: ordered, so the oldest are dropped first
        self._task: asyncio.Task[None] | None = None

    def add(self, ids: list[str]) -> None:
        self.ids.update(dict.fromkeys(ids))
        while len(self.ids) > UNCLOSED_MAX:
            del self.ids[next(iter(self.ids))]
        if self._task is None or self._task.done():
            loop = asyncio.get_running_loop()
            self._task = loop.create_task(self._close_open(), context=contextvars.Context())

    async def _close_open(self) -> None:
        """Close the open records of calls whose full events went to the outbox, once Redis answers."""
        wait, longest = CLOSE_RETRY_S
        while self.ids:
            await asyncio.sleep(wait)
            ids = list(self.ids)[:BATCH]
            try:
                reply: Awaitable[Any] = self.redis.eval(_CLOSE, len(KEYS), *KEYS, *ids)  # type: ignore[assignment]
                await reply
            except Exception as exc:
                wait = min(max(wait, CLOSE_RETRY_S[0]) * 2, longest)
                log.info("usage: closing %d open records after a fallback failed (%s); retrying", len(self.ids), exc)
                continue
            for event_id in ids:
                self.ids.pop(event_id, None)
            wait = 0.0

    async def close(self) -> None:
        """At shutdown: a last try at closing the fallbacks' open records (what remains is swept, and
        its swept copies dropped by the drainer), then the closer stopped."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self.ids:
            self._task = asyncio.get_running_loop().create_task(self._close_open())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), CLOSE_RETRY_S[0] + 2.0)
            self._task.cancel()


__all__ = ["Unclosed"]
