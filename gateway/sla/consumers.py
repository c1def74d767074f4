"""The SLA read model: usage events (requests and probes) into per-minute rows (PLAT-2, GOV-17).

Events land in the minute they happened (occurred_at), so late or replayed
events still count where they belong. The base Consumer makes it exactly-once
in effect: the row update and the (consumer, event id) marker commit together.
"""

from __future__ import annotations

from typing import Any

from govstat.gateway.sla import histogram
from govstat.gateway.sla.batch import NIL_TENANT, SOURCES, record_batch
from govstat.gateway.sla.slo import DEFAULT
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import Envelope, UsagePayload

# Slowness is judged against the module's threshold at the time of the call; the histogram keeps
# the latencies, so percentiles stay right even if the threshold changes later.
UPSERT = """
INSERT INTO sla_minute AS s (module_key, tenant_key, minute, source, calls, errors, slow, latency_buckets)
VALUES ($1::varchar, $2::uuid, date_trunc('minute', $3::timestamptz), $4::varchar, 1, $5::int,
        CASE WHEN $5::int = 0
              AND $6::float8 > coalesce((SELECT latency_threshold_ms FROM slo WHERE module_key = $1::varchar), $9::int)
             THEN 1 ELSE 0 END,
        $7::bigint[])
ON CONFLICT (module_key, minute, tenant_key, source) DO UPDATE SET
  calls = s.calls + 1,
  errors = s.errors + excluded.errors,
  slow = s.slow + excluded.slow,
  latency_buckets[$8] = s.latency_buckets[$8] + excluded.latency_buckets[$8]
"""


def is_error(status: int) -> bool:
    """Server errors (and probes that got no answer) are unavailability; 4xx are the caller's."""
    return status >= 500


def _args(event: Envelope[Any], p: UsagePayload) -> tuple[Any, ...]:
    error = is_error(p.status)
    # Only answered calls go into the histogram: a fast failure must not flatter the latency.
    buckets = histogram.one_hot(None if error else p.latency_ms)
    index = histogram.bucket_index(p.latency_ms) + 1  # PostgreSQL arrays count from 1
    source = p.source if p.source in SOURCES else "request"
    return (
        p.module[:32],
        event.tenant_id or NIL_TENANT,
        event.occurred_at,
        source,
        1 if error else 0,
        p.latency_ms,
        buckets,
        index,
        DEFAULT.latency_threshold_ms,
    )


async def record_call(uow: UnitOfWork, event: Envelope[Any], p: UsagePayload) -> None:
    await uow.execute(UPSERT, *_args(event, p))


class SlaConsumer(Consumer):
    name = "gateway-sla"
    topic_suffixes = ("usage",)
    batch_apply = True  # writes only its read model, in the unit of work

    async def handle(self, uow: UnitOfWork, event: Envelope) -> None:
        if isinstance(event.payload, UsagePayload):
            await record_call(uow, event, event.payload)

    async def handle_many(self, uow: UnitOfWork, events: list[Envelope[Any]]) -> None:
        """A batch summed first, one row per module, tenant, minute and source (sla_batch.py)."""
        await record_batch(uow, [e for e in events if isinstance(e.payload, UsagePayload)])


CONSUMERS: tuple[type[Consumer], ...] = (SlaConsumer,)
