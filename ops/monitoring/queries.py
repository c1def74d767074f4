"""Read queries behind the operator's dashboards (monitoring read models)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events import health


async def usage_series(uow: UnitOfWork, *, minutes: int, group: str, tenant_id: uuid.UUID | None) -> dict[str, Any]:
    """Calls per minute for the last `minutes`, one series per module or tenant."""
    key = "u.module" if group == "module" else "coalesce(t.code, '(public)')"
    where, args = ["u.minute >= date_trunc('minute', now()) - make_interval(mins => $1)"], [minutes]
    if tenant_id is not None:
        args.append(tenant_id)
        where.append(f"u.tenant_id = ${len(args)}")
    rows = await uow.fetch(
        f"SELECT u.minute, {key} AS series, sum(u.calls) AS calls, sum(u.errors) AS errors, sum(u.units) AS units"
        f" FROM usage_minute u LEFT JOIN directory_tenant t ON t.id = u.tenant_id WHERE {' AND '.join(where)}"
        " GROUP BY 1, 2 ORDER BY 1",
        *args,
    )
    start = _minute(dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=minutes - 1)
    labels = [start + dt.timedelta(minutes=i) for i in range(minutes)]
    index = {m: i for i, m in enumerate(labels)}
    series: dict[str, list[int]] = {}
    totals = {"calls": 0, "errors": 0, "units": 0}
    for r in rows:
        values = series.setdefault(r["series"], [0] * minutes)
        i = index.get(_minute(r["minute"]))
        if i is not None:
            values[i] += int(r["calls"])
        for k in totals:
            totals[k] += int(r[k])
    return {"labels": [m.isoformat() for m in labels], "series": series, "totals": totals, "group": group}


def _minute(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC).replace(second=0, microsecond=0)


async def pipeline_health(uow: UnitOfWork) -> dict[str, Any]:
    """Through the platform's interface (platform/events/health.py)."""
    outbox = await health.outbox_backlog(uow)
    return {
        "consumers": await health.consumer_lag(uow),
        "outbox_pending": outbox.pending,
        "outbox_oldest_seconds": outbox.oldest_seconds,
        "dead_letters": sum(c.n for c in await health.dead_letter_counts(uow)),
    }


async def dead_letters(uow: UnitOfWork, *, limit: int) -> dict[str, Any]:
    """Events set aside as unreadable or poison (platform/events/poison.py): count per consumer and the latest."""
    per_consumer = await health.dead_letter_counts(uow)
    return {
        "total": sum(r.n for r in per_consumer),
        "per_consumer": per_consumer,
        "latest": await health.latest_dead_letters(uow, limit),
    }


SECURITY_ACTIONS = (
    "auth.sign_in_failed",
    "access.forbidden",
    "access.unauthenticated",
    "access.rate-limited",
    "access.not-found",
)


async def security_events(uow: UnitOfWork, *, hours: int, tenant_id: uuid.UUID | None) -> dict[str, Any]:
    where, args = ["occurred_at >= now() - make_interval(hours => $1)", "outcome = 'denied'"], [hours]
    if tenant_id is not None:
        args.append(tenant_id)
        where.append(f"tenant_id = ${len(args)}")
    cond = " AND ".join(where)
    per_hour = await uow.fetch(
        f"SELECT date_trunc('hour', occurred_at) AS hour, action, count(*) AS n FROM audit_log"
        f" WHERE {cond} GROUP BY 1, 2 ORDER BY 1",
        *args,
    )
    latest = await uow.fetch(
        f"SELECT occurred_at, action, actor, target_id, detail FROM audit_log WHERE {cond} ORDER BY seq DESC LIMIT 50",
        *args,
    )
    return {"per_hour": [dict(r) for r in per_hour], "latest": [dict(r) for r in latest]}


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
) -> dict[str, Any]:
    where, args = ["true"], []
    for column, value, op in (
        ("tenant_id", tenant_id, "="),
        ("actor", actor, "="),
        ("action", action, "LIKE"),
        ("occurred_at", since, ">="),
        ("occurred_at", until, "<"),
    ):
        if value is not None:
            args.append(f"{value}%" if op == "LIKE" else value)
            where.append(f"{column} {op} ${len(args)}")
    cond = " AND ".join(where)
    total = await uow.fetchval(f"SELECT count(*) FROM audit_log WHERE {cond}", *args)
    rows = await uow.fetch(
        f"SELECT seq, occurred_at, tenant_id, action, actor, actor_kind, target_type, target_id,"
        f" module, outcome, detail, hash FROM audit_log WHERE {cond} ORDER BY seq DESC"
        f" LIMIT {int(limit)} OFFSET {int(offset)}",
        *args,
    )
    return {"total": total, "items": [dict(r) for r in rows]}
