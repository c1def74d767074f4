"""The annual report to the liaison meeting (担当者会議への報告, GOV-13; 約款 第7 1): each subsystem's
usage by month and by tenant, its availability, and every fault of the year with its handling."""

from __future__ import annotations

from collections.abc import Callable

from govstat.ops.reports import incidents, periods, usage
from govstat.ops.reports.models import AnnualReport
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork

Step = Callable[[str], None] | None
STEPS = 3


async def build(uow: UnitOfWork, catalog: Catalog, fy: int, step: Step = None) -> AnnualReport:
    """`step(name)` is told as each part is gathered (the CLI's progress bar)."""
    tell = step or (lambda name: None)
    months = periods.months(fy)
    subsystems = await usage.year_usage(uow, catalog, fy)
    tell("利用状況 / usage")
    availability = await usage.year_availability(uow, fy)
    tell("可用性 / availability")
    entries = await incidents.year_incidents(uow, fy, usage.subsystem_names(catalog))
    tell("障害 / incidents")
    for s in subsystems:
        s.availability = availability.get(s.key)
        mine = [i for i in entries if i.module_key == s.key]
        s.incidents = len(mine)
        s.outage_minutes = round(sum(i.duration_minutes or 0 for i in mine), 1)
    return AnnualReport(
        fiscal_year=fy,
        months=months,
        generated_at=periods.now(),
        subsystems=subsystems,
        total=usage.add([s.total for s in subsystems]),
        monthly_total=usage.monthly_total(subsystems, months),
        incidents=entries,
        incidents_per_month=incidents.per_month(entries, fy),
        sla_available=bool(availability),
    )
