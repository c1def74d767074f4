"""The monthly SLA report per module and per tenant (GOV-13, GOV-17).

It reads sla_minute inside the caller's unit of work, so row-level security
decides what is in it: the operator sees every tenant and the platform-wide
rows (public callers, probes); an agency sees only its own tenant's calls.
The tenant filter below says the same thing on purpose (and keeps the plan small).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import msgspec

from govstat.gateway.sla import histogram
from govstat.gateway.sla.figures import Figures, days_of, figures, period_bounds
from govstat.gateway.sla.rows import AlertRow, DaySums, SourceSums, Sums, TenantSums
from govstat.gateway.sla.slo import Slo, default_for, load_slos
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where

NO_TENANT_NAME = "利用機関なし（公開利用・監視）/ no tenant (public callers, probes)"


def _where(start: dt.datetime, end: dt.datetime, module: str | None, tenant_id: uuid.UUID | None, p: str = "") -> Where:
    return (
        Where()
        .add(f"{p}minute >= {{}} AND {p}minute < {{}}", start, end)
        .eq(f"{p}module_key", module)
        .eq(f"{p}tenant_key", tenant_id)
    )


def _sums(p: str = "") -> str:
    return (
        f"sum({p}calls)::bigint AS calls, sum({p}errors)::bigint AS errors, sum({p}slow)::bigint AS slow,"
        f" {histogram.sum_sql(p + 'latency_buckets')} AS buckets"
    )


class DayPoint(msgspec.Struct, kw_only=True):
    day: dt.date
    calls: int = 0
    errors: int = 0
    availability: float | None = None
    p95_ms: float | None = None


class AlertOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    module: str
    rule: str
    severity: str
    started_at: dt.datetime
    resolved_at: dt.datetime | None
    burn_5m: float
    burn_30m: float
    burn_1h: float
    burn_6h: float


def alert_out(a: AlertRow) -> AlertOut:
    return AlertOut(
        id=a.id,
        module=a.module_key,
        rule=a.rule,
        severity=a.severity,
        started_at=a.started_at,
        resolved_at=a.resolved_at,
        burn_5m=a.burn_5m,
        burn_30m=a.burn_30m,
        burn_1h=a.burn_1h,
        burn_6h=a.burn_6h,
    )


class ModuleReport(msgspec.Struct, kw_only=True):
    module: str
    name_ja: str
    name_en: str
    slo: Slo
    total: Figures
    requests: Figures
    probes: Figures
    days: list[DayPoint]
    alerts: list[AlertOut]


class TenantRow(msgspec.Struct, kw_only=True):
    module: str
    tenant_id: uuid.UUID | None  # None: calls without a tenant (public callers, probes)
    tenant_name: str
    figures: Figures


class Report(msgspec.Struct, kw_only=True):
    period: str
    starts: dt.datetime
    ends: dt.datetime
    timezone: str
    scope: str  # platform | tenant
    tenant_id: uuid.UUID | None
    modules: list[ModuleReport]
    tenants: list[TenantRow]


def _fig(row: Sums, slo: Slo) -> Figures:
    return figures(row.calls, row.errors, row.slow, row.buckets, slo)


async def build_report(
    uow: UnitOfWork,
    catalog: Catalog,
    period: str,
    *,
    module: str | None = None,
    tenant_id: uuid.UUID | None = None,
    include: Iterable[str] = (),
) -> Report:
    """`tenant_id` set: that tenant's figures only. `include`: modules listed even without calls."""
    start, end = period_bounds(period)
    w, ws = _where(start, end, module, tenant_id), _where(start, end, module, tenant_id, "s.")
    slos = await load_slos(uow)
    by_source = await uow.rows(
        SourceSums,
        f"SELECT module_key, source, {_sums()} FROM sla_minute WHERE {w} GROUP BY module_key, source",
        *w.args,
    )
    daily = await uow.rows(
        DaySums,
        f"SELECT module_key, (minute AT TIME ZONE 'Asia/Tokyo')::date AS day, {_sums()}"
        f" FROM sla_minute WHERE {w} GROUP BY 1, 2",
        *w.args,
    )
    # The tenant's name through its own RLS: an agency can only ever name itself.
    per_tenant = await uow.rows(
        TenantSums,
        f"SELECT s.module_key, s.tenant_key, t.name_ja, {_sums('s.')} FROM sla_minute s"
        f" LEFT JOIN directory_tenant t ON t.id = s.tenant_key WHERE {ws} GROUP BY 1, 2, 3 ORDER BY 1, 3 NULLS FIRST",
        *ws.args,
    )
    wa = Where().add("started_at < {} AND coalesce(resolved_at, 'infinity') >= {}", end, start).eq("module_key", module)
    alerts = await uow.rows(AlertRow, f"SELECT * FROM sla_alert WHERE {wa} ORDER BY started_at", *wa.args)
    keys = {r.module_key for r in by_source} | set(include)
    if module:
        keys &= {module}
    modules = [
        _module(catalog.names(key), key, slos.get(key) or default_for(key), by_source, daily, alerts, period)
        for key in sorted(keys)
    ]
    tenants = [_tenant_row(r, slos.get(r.module_key) or default_for(r.module_key)) for r in per_tenant]
    return Report(
        period=period,
        starts=start,
        ends=end,
        timezone="Asia/Tokyo",
        scope="tenant" if tenant_id else "platform",
        tenant_id=tenant_id,
        modules=modules,
        tenants=tenants,
    )


def _tenant_row(r: TenantSums, slo: Slo) -> TenantRow:
    if r.tenant_key.int == 0:
        return TenantRow(module=r.module_key, tenant_id=None, tenant_name=NO_TENANT_NAME, figures=_fig(r, slo))
    return TenantRow(
        module=r.module_key,
        tenant_id=r.tenant_key,
        tenant_name=r.name_ja or str(r.tenant_key),
        figures=_fig(r, slo),
    )


def _module(
    names: tuple[str, str],
    key: str,
    slo: Slo,
    by_source: list[SourceSums],
    daily: list[DaySums],
    alerts: list[AlertRow],
    period: str,
) -> ModuleReport:
    rows = [r for r in by_source if r.module_key == key]
    total = Sums(buckets=[0] * histogram.SIZE)
    for r in rows:
        total = Sums(
            calls=total.calls + r.calls,
            errors=total.errors + r.errors,
            slow=total.slow + r.slow,
            buckets=histogram.add(total.buckets, r.buckets),
        )
    source = {r.source: r for r in rows}
    points = {r.day: r for r in daily if r.module_key == key}
    days = []
    for day in days_of(period):
        f = _fig(points[day], slo) if day in points else Figures()
        days.append(DayPoint(day=day, calls=f.calls, errors=f.errors, availability=f.availability, p95_ms=f.p95_ms))
    ja, en = names
    return ModuleReport(
        module=key,
        name_ja=ja,
        name_en=en,
        slo=slo,
        total=_fig(total, slo),
        requests=_fig(source["request"], slo) if "request" in source else Figures(),
        probes=_fig(source["probe"], slo) if "probe" in source else Figures(),
        days=days,
        alerts=[alert_out(a) for a in alerts if a.module_key == key],
    )
