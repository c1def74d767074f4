"""The SLA now, per module, for the operator's dashboards: availability and error budget over
the SLO window, burn rates over the alert windows, the active alert."""

from __future__ import annotations

import datetime as dt

import msgspec

from govstat.gateway.sla.burn import burn_rates, error_budget_left, firing
from govstat.gateway.sla.report import AlertOut, alert_out
from govstat.gateway.sla.rows import AlertRow, WindowTotal
from govstat.gateway.sla.slo import Slo, default_for, load_slos
from govstat.gateway.sla.windows import utcnow, window_counts
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork

# Each module over its own window_days (366 at most: the bound keeps the scan on the index).
WINDOW_SQL = """
SELECT s.module_key, sum(s.calls)::bigint AS calls, sum(s.errors)::bigint AS errors
FROM sla_minute s LEFT JOIN slo o ON o.module_key = s.module_key
WHERE s.minute >= $1::timestamptz - interval '366 days' AND s.minute < $1
  AND s.minute >= $1::timestamptz - make_interval(days => coalesce(o.window_days, $2))
GROUP BY 1
"""


class ModuleStatus(msgspec.Struct, kw_only=True):
    module: str
    name_ja: str
    name_en: str
    slo: Slo
    calls: int  # over the SLO window (window_days)
    errors: int
    availability: float | None  # %; None: no calls in the window
    error_budget_left: float  # 1 - bad / allowed bad over the window
    burn: dict[str, float]  # burn rates now, per alert window
    firing: str | None  # the burn-rate rule firing now, if any
    alert: AlertOut | None  # the active alert, if any


class Status(msgspec.Struct, kw_only=True):
    at: dt.datetime
    modules: list[ModuleStatus]


async def build_status(uow: UnitOfWork, catalog: Catalog, at: dt.datetime | None = None) -> Status:
    """Platform-wide: needs the operator's (or a system) scope to see every tenant's calls."""
    at = at or utcnow()
    slos = await load_slos(uow)
    totals = {r.module_key: r for r in await uow.rows(WindowTotal, WINDOW_SQL, at, default_for("").window_days)}
    windows = await window_counts(uow, at)
    active = {r.module_key: r for r in await uow.rows(AlertRow, "SELECT * FROM sla_alert WHERE resolved_at IS NULL")}
    modules = []
    for key in sorted(set(slos) | set(catalog.subsystem_keys) | set(active)):
        slo = slos.get(key) or default_for(key)
        calls = totals[key].calls if key in totals else 0
        errors = totals[key].errors if key in totals else 0
        rates = burn_rates(windows.get(key, {}), slo.availability_target)
        rule = firing(rates)
        a = active.get(key)
        ja, en = catalog.names(key)
        modules.append(
            ModuleStatus(
                module=key,
                name_ja=ja,
                name_en=en,
                slo=slo,
                calls=calls,
                errors=errors,
                availability=round(100.0 * (calls - errors) / calls, 6) if calls else None,
                error_budget_left=round(error_budget_left(calls, errors, slo.availability_target), 6),
                burn=rates,
                firing=rule.name if rule else None,
                alert=alert_out(a) if a else None,
            )
        )
    return Status(at=at, modules=modules)
