"""Usage metering (GOV-4, GOV-13): one usage event per call; an answered call's usage is never lost.

One Redis round trip on a call's critical path. The rate-limit script (ratelimit.py) that admits
the call also records it as *open*: the usage event as admitted (status 0, one unit) in a hash,
with its admission time in a sorted set. Redis keeps an append-only file, so from then on the
call is durable, before the handler runs. After the answer, the call's full event (status,
units, bytes, latency) is written by `Completions` (completions.py) off the critical path, batched (one script call
per batch): the script appends it to the stream and closes the open record.

A process killed between answering and completing leaves the open record. Each app process
refreshes a heartbeat in Redis (heartbeat.py: every 2 s, expiring after `usage_heartbeat_ttl_seconds`,
10 s), and the open record carries the id of the process that admitted the call (written by the
admission script: still one round trip). The drainer's sweep (usage_sweep.py: every `usage_sweep_interval_seconds`,
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
outbox. A drainer (usage_drain.py) moves stream entries into the outbox and acknowledges them; the relay then

Here: the Redis keys the scripts share, and the path of a call that has no open record.
"""

from __future__ import annotations

import logging
from typing import Any

from redis.asyncio import Redis

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import Envelope, encode
from govstat.platform.events.outbox import write_outbox
from govstat.platform.security import Scope
from govstat.platform.telemetry import meter

log = logging.getLogger("govstat.metering")

STREAM = "govstat:usage"
OPEN = "govstat:usage:open"  # hash: event id -> the usage event as admitted
OPEN_SINCE = "govstat:usage:open:t"  # sorted set: event id -> admitted at (ms)
OPEN_BY = "govstat:usage:open:p"  # hash: event id -> id of the process that admitted it (heartbeat.py)
SWEPT = "govstat:usage:swept"  # sorted set: event id -> swept at (ms): its late completion adds nothing
KEYS = (OPEN, OPEN_SINCE, STREAM, OPEN_BY, SWEPT)  # the completion and sweep scripts' keys, in this order
ORPHAN_AFTER_S = 600  # longer than any answer may take: only then is an open call's process surely gone
DEAD_AFTER_S = 5  # a dead process's call this old is swept: older than a heartbeat period, so never racing admission
_fallback = meter().create_counter("govstat_usage_fallback_db", description="usage events written to the DB directly")


async def store_usage(redis: Redis, event: Envelope[Any]) -> None:
    """The full event, durable before it returns (the path when the call has no open record)."""
    data = encode(event)
    try:
        await redis.xadd(STREAM, {"e": data})
        return
    except Exception as exc:
        log.warning("usage to Redis failed (%s); writing to the outbox", exc)
    await to_outbox([event])


async def to_outbox(events: list[Envelope[Any]]) -> None:
    """The full events straight into the PostgreSQL outbox (Redis failed), each skipped if already there."""
    _fallback.add(len(events))
    async with UnitOfWork(Scope.system("metering")) as uow:
        for event in events:
            await write_outbox(uow.connection, event, dedupe=True)


__all__ = [
    "DEAD_AFTER_S",
    "KEYS",
    "OPEN",
    "OPEN_BY",
    "OPEN_SINCE",
    "ORPHAN_AFTER_S",
    "STREAM",
    "SWEPT",
    "store_usage",
    "to_outbox",
]
