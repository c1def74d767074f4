"""Read queries behind the operator's dashboards (monitoring read models)."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.ops.monitoring.rows import (
    AuditRecord,
    HourCount,
    SecurityEventRow,
    UsageMinuteSum,
)
from govstat.ops.monitoring.schemas import (
    AuditPage,
    DeadLetters,
    PipelineHealth,
    SecurityEvents,
    UsageSeries,
    UsageTotals,
)
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.events import health


async def usage_series(uow: UnitOfWork, *, minutes: int, group: str, tenant_id: uuid.UUID | None) -> UsageSeries:
    """Calls per minute for the last `minutes`, one series per module or tenant."""
    key = "u.module" if group == "module" else "coalesce(t.code, '(public)')"
    w = (
        Where()
        .add("u.minute >= date_trunc('minute', now()) - make_interval(mins => {})", minutes)
        .eq("u.tenant_id", tenant_id)
    )
    rows = await uow.rows(
        UsageMinuteSum,
        f"SELECT u.minute, {key} AS series, sum(u.calls) AS calls, sum(u.errors) AS errors,"
        f" sum(u.units)::bigint AS units FROM usage_minute u LEFT JOIN directory_tenant t ON t.id = u.tenant_id"
        f" WHERE {w} GROUP BY 1, 2 ORDER BY 1",
        *w.args,
    )
    start = _minute(dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=minutes - 1)
    labels = [start + dt.timedelta(minutes=i) for i in range(minutes)]
    index = {m: i for i, m in enumerate(labels)}
    series: dict[str, list[int]] = {}
    totals = UsageTotals()
    for r in rows:
        values = series.setdefault(r.series, [0] * minutes)
        i = index.get(_minute(r.minute))
        if i is not None:
            values[i] += r.calls
        totals.calls += r.calls
        totals.errors += r.errors
        totals.units += r.units
    return UsageSeries(labels=[m.isoformat() for m in labels], series=series, totals=totals, group=group)


def _minute(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC).replace(second=0, microsecond=0)


async def pipeline_health(uow: UnitOfWork) -> PipelineHealth:
    """Through the platform's interface (platform/events/health.py)."""
    outbox = await health.outbox_backlog(uow)
    return PipelineHealth(
        consumers=await health.consumer_lag(uow),
        outbox_pending=outbox.pending,
        outbox_oldest_seconds=outbox.oldest_seconds,
        dead_letters=sum(c.n for c in await health.dead_letter_counts(uow)),
        detached=await health.detached_read_models(uow),
    )


async def dead_letters(uow: UnitOfWork, *, limit: int) -> DeadLetters:
    """Events set aside as unreadable or poison (platform/events/poison.py): count per consumer and the latest."""
    per_consumer = await health.dead_letter_counts(uow)
    latest = await health.latest_dead_letters(uow, limit)
    return DeadLetters(total=sum(r.n for r in per_consumer), per_consumer=per_consumer, latest=latest)


SECURITY_ACTIONS = (
    "auth.sign_in_failed",
    "access.forbidden",
    "access.unauthenticated",
    "access.rate-limited",
    "access.not-found",
)


async def security_events(uow: UnitOfWork, *, hours: int, tenant_id: uuid.UUID | None) -> SecurityEvents:
    w = (
        Where()
        .add("occurred_at >= now() - make_interval(hours => {})", hours)
        .add("outcome = 'denied'")
        .eq("tenant_id", tenant_id)
    )
    per_hour = await uow.rows(
        HourCount,
        f"SELECT date_trunc('hour', occurred_at) AS hour, action, count(*) AS n FROM audit_log"
        f" WHERE {w} GROUP BY 1, 2 ORDER BY 1",
        *w.args,
    )
    latest = await uow.rows(
        SecurityEventRow,
        f"SELECT occurred_at, action, actor, target_id, detail FROM audit_log WHERE {w} ORDER BY seq DESC LIMIT 50",
        *w.args,
    )
    return SecurityEvents(per_hour=per_hour, latest=latest)


async def search_audit(
    uow: UnitOfWork,
    *,
    tenant_id: uuid.UUID | None,
    actor: str | None,
    action: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
    offset: int,
) -> AuditPage:
    """`actor` and `action` (a prefix) filter whenever given, even empty."""
    w = Where().eq("tenant_id", tenant_id)
    if actor is not None:
        w.add("actor = {}", actor)
    if action is not None:
        w.add("action LIKE {}", f"{action}%")
    if since is not None:
        w.add("occurred_at >= {}", since)
    if until is not None:
        w.add("occurred_at < {}", until)
    total = await uow.fetchval(f"SELECT count(*) FROM audit_log WHERE {w}", *w.args)
    items = await uow.rows(
        AuditRecord,
        f"SELECT seq, occurred_at, tenant_id, action, actor, actor_kind, target_type, target_id,"
        f" module, outcome, detail, hash FROM audit_log WHERE {w} ORDER BY seq DESC"
        f" LIMIT {int(limit)} OFFSET {int(offset)}",
        *w.args,
    )
    return AuditPage(total=total, items=items)
