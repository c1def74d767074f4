"""Usage of each subsystem over a fiscal year, from usage_minute (calls, units, errors by month and
by tenant), and its availability from the SLA read model (sla_minute and slo) when there is one.

ops never imports the gateway: the SLA figures are read here with SQL (availability = calls answered
without a server error over all calls, probes included, as the SLA report counts them). Synthetic
probes (principal_kind 'system') are not usage and are left out of the usage figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from govstat.ops.helpdesk.subsystems import SUBSYSTEMS
from govstat.ops.reports import periods
from govstat.ops.reports.models import Availability, Counts, MonthCounts, SubsystemUsage, TenantCounts
from govstat.ops.reports.rows import SlaMonthRow, SloTargetRow, UsageMonthRow, UsageTenantRow
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork

DEFAULT_AVAILABILITY_TARGET = 99.9  # the SLO default when a subsystem has no slo row
PUBLIC = ("", "一般利用者・機関外 / no tenant")
SUMS = (
    "sum(calls)::bigint AS calls, sum(units)::bigint AS units, sum(errors)::bigint AS errors,"
    " sum(client_errors)::bigint AS client_errors"
)
WHERE = "minute >= $1 AND minute < $2 AND principal_kind <> 'system'"


def subsystem_names(catalog: Catalog) -> dict[str, tuple[str, str]]:
    """(ja, en) of every subsystem: the catalog's subsystems, the authentication subsystem (the tenants
    part), then the other subsystems of the system that govstat does not serve yet."""
    names = {key: (ja, key) for key, ja in SUBSYSTEMS.items()}
    names.update({m.key: (m.name_ja, m.name_en) for m in (*catalog.subsystems, catalog.by_key("auth"))})
    return names


def listed_keys(catalog: Catalog, seen: set[str]) -> list[str]:
    """The catalog's subsystems always, and any other subsystem that was used; platform parts (ops,
    gateway) are not subsystems and are left out."""
    keys = list(catalog.subsystem_keys)
    keys += sorted(k for k in seen if k in subsystem_names(catalog) and k not in keys)
    return keys


def _month(month: str, c: Counts | None) -> MonthCounts:
    c = c or Counts()
    return MonthCounts(month=month, calls=c.calls, units=c.units, errors=c.errors, client_errors=c.client_errors)


async def year_usage(uow: UnitOfWork, catalog: Catalog, fy: int, *, with_tenants: bool = True) -> list[SubsystemUsage]:
    start, end = periods.bounds(fy)
    months = periods.months(fy)
    monthly = await uow.rows(
        UsageMonthRow,
        f"SELECT module, to_char(minute AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS month, {SUMS}"
        f" FROM usage_minute WHERE {WHERE} GROUP BY 1, 2",
        start,
        end,
    )
    tenants = (
        await uow.rows(
            UsageTenantRow,
            "SELECT u.module, u.tenant_id, t.code, t.name_ja, sum(u.calls)::bigint AS calls, sum(u.units)::bigint AS units,"
            " sum(u.errors)::bigint AS errors, sum(u.client_errors)::bigint AS client_errors FROM usage_minute u"
            " LEFT JOIN directory_tenant t ON t.id = u.tenant_id WHERE u.minute >= $1 AND u.minute < $2"
            " AND u.principal_kind <> 'system' GROUP BY 1, 2, 3, 4",
            start,
            end,
        )
        if with_tenants
        else []
    )
    by_month: dict[str, dict[str, Counts]] = defaultdict(dict)
    for m in monthly:
        by_month[m.module][m.month] = m
    by_tenant: dict[str, list[TenantCounts]] = defaultdict(list)
    for r in tenants:
        code, name = (r.code, r.name_ja) if r.tenant_id else PUBLIC
        by_tenant[r.module].append(
            TenantCounts(
                tenant_id=str(r.tenant_id) if r.tenant_id else None,
                code=code or "",
                name=name or "",
                calls=r.calls,
                units=r.units,
                errors=r.errors,
                client_errors=r.client_errors,
            )
        )
    names = subsystem_names(catalog)
    out = []
    for key in listed_keys(catalog, set(by_month)):
        per_month = [_month(m, by_month[key].get(m)) for m in months]
        out.append(
            SubsystemUsage(
                key=key,
                name_ja=names[key][0],
                name_en=names[key][1],
                total=add(per_month),
                monthly=per_month,
                tenants=sorted(by_tenant[key], key=lambda t: (-t.calls, t.code)),
            )
        )
    return out


def add(items: Sequence[Counts]) -> Counts:
    total = Counts()
    for c in items:
        total.calls += c.calls
        total.units += c.units
        total.errors += c.errors
        total.client_errors += c.client_errors
    return total


def monthly_total(subsystems: list[SubsystemUsage], months: list[str]) -> list[MonthCounts]:
    return [_month(month, add([s.monthly[i] for s in subsystems])) for i, month in enumerate(months)]


async def year_availability(uow: UnitOfWork, fy: int) -> dict[str, Availability]:
    """Per module: availability over the year and per month, against its SLO target."""
    start, end = periods.bounds(fy)
    months = periods.months(fy)
    rows = await uow.rows(
        SlaMonthRow,
        "SELECT module_key, to_char(minute AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS month,"
        " sum(calls)::bigint AS calls, sum(errors)::bigint AS errors FROM sla_calls"
        " WHERE minute >= $1 AND minute < $2 GROUP BY 1, 2",
        start,
        end,
    )
    targets = {
        r.module_key: r.availability_target
        for r in await uow.rows(SloTargetRow, "SELECT module_key, availability_target FROM slo_target")
    }
    grouped: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for r in rows:
        grouped[r.module_key][r.month] = (r.calls, r.errors)
    out = {}
    for key, per_month in grouped.items():
        calls = sum(c for c, _ in per_month.values())
        errors = sum(e for _, e in per_month.values())
        target = float(targets.get(key, DEFAULT_AVAILABILITY_TARGET))
        value = pct(calls, errors)
        out[key] = Availability(
            calls=calls,
            errors=errors,
            availability=value,
            target=target,
            met=None if value is None else value >= target,
            monthly=[pct(*per_month.get(m, (0, 0))) for m in months],
        )
    return out


def pct(calls: int, errors: int) -> float | None:
    return None if calls <= 0 else round(100.0 * (calls - errors) / calls, 4)
