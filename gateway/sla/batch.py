"""The SLA read model written a batch at a time (issue 15 §3): a batch's calls summed per row key in
Python, then one upsert row per key, instead of one statement per call.

The sums are those of the per-call upsert (consumers.py): a call is an error if its status is 5xx,
slow if it answered slower than its module's threshold (read from `slo` in the same transaction,
the default where none is set), and its latency lands in one histogram bucket unless it failed.
Histograms are added bucket by bucket.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from govstat.gateway.sla import histogram
from govstat.gateway.sla.slo import DEFAULT
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import Envelope, UsagePayload

NIL_TENANT = uuid.UUID(int=0)
SOURCES = ("request", "probe")

UPSERT_SUMS = """
INSERT INTO sla_minute AS s (module_key, tenant_key, minute, source, calls, errors, slow, latency_buckets)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bigint[])
ON CONFLICT (module_key, minute, tenant_key, source) DO UPDATE SET
  calls = s.calls + excluded.calls,
  errors = s.errors + excluded.errors,
  slow = s.slow + excluded.slow,
  latency_buckets = ARRAY(
    SELECT coalesce(a, 0) + coalesce(b, 0)
    FROM unnest(s.latency_buckets, excluded.latency_buckets) WITH ORDINALITY AS t(a, b, i) ORDER BY i)
"""


async def record_batch(uow: UnitOfWork, events: list[Envelope[Any]]) -> None:
    """Add the usage events' calls to sla_minute, one statement execution per row key."""
    calls = [(e, e.payload) for e in events if isinstance(e.payload, UsagePayload)]
    if not calls:
        return
    modules = sorted({p.module[:32] for _, p in calls})
    thresholds: dict[str, int] = {
        r["module_key"]: r["latency_threshold_ms"]
        for r in await uow.fetch(
            "SELECT module_key, latency_threshold_ms FROM slo WHERE module_key = ANY($1::text[])", modules
        )
    }
    rows: dict[tuple[str, uuid.UUID, datetime, str], list[Any]] = {}
    for event, p in calls:
        module = p.module[:32]
        key = (
            module,
            event.tenant_id or NIL_TENANT,
            event.occurred_at.replace(second=0, microsecond=0),
            p.source if p.source in SOURCES else "request",
        )
        row = rows.setdefault(key, [0, 0, 0, [0] * histogram.SIZE])
        error = p.status >= 500
        row[0] += 1
        row[1] += error
        row[2] += not error and p.latency_ms > thresholds.get(module, DEFAULT.latency_threshold_ms)
        if not error:
            row[3][histogram.bucket_index(p.latency_ms)] += 1
    await uow.connection.executemany(UPSERT_SUMS, [(*key, *sums) for key, sums in rows.items()])
