"""SLA report and status: JSON for systems and dashboards, a page for people (GOV-13, GOV-17, PLAT-4).

The operator sees every module and tenant; agency admins and staff see their own
tenant's figures only (row-level security and the tenant filter agree). The
status of the whole platform is for the operator's dashboards.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, get

from govstat.gateway.sla import charts
from govstat.gateway.sla.figures import parse_period
from govstat.gateway.sla.report import Report, build_report
from govstat.gateway.sla.status import Status, build_status
from govstat.gateway.subscriptions import tenant_profile
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Forbidden, InvalidInput
from govstat.platform.module import Operation, access
from govstat.platform.security import Role
from govstat.platform.web.deps import principal_of
from govstat.platform.web.pages import page

READERS = (Role.OPERATOR, Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
MODULE_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")

OPERATIONS = (
    Operation("sla.report", "SLA月次報告の参照"),
    Operation("sla.page", "SLA月次報告画面"),
    Operation("sla.status", "SLA現況の参照（運用監視）"),
)


async def _report(request: Request, uow: UnitOfWork, catalog: Catalog, period: str, module: str) -> Report:
    period = parse_period(period)
    if module and not MODULE_KEY.match(module):
        raise InvalidInput.field("module", "モジュールキーが不正です / not a module key")
    p = principal_of(request)
    if p.is_operator:
        return await build_report(uow, catalog, period, module=module or None, include=catalog.subsystem_keys)
    if p.tenant_id is None:
        raise Forbidden("利用機関に属していません / no organisation")
    profile = await tenant_profile(p.tenant_id)
    return await build_report(
        uow, catalog, period, module=module or None, tenant_id=p.tenant_id, include=profile.modules
    )


@get("/api/sla/report", opt=access(*READERS, op="sla.report", subscription=False))
async def report_api(request: Request, uow: UnitOfWork, catalog: Catalog, period: str = "", module: str = "") -> Report:
    """Monthly SLA report (JST month `period=YYYY-MM`, optionally one `module`)."""
    return await _report(request, uow, catalog, period, module)


@get("/api/sla/status", opt=access(Role.OPERATOR, op="sla.status", subscription=False))
async def status_api(uow: UnitOfWork, catalog: Catalog) -> Status:
    """Per module now: availability and error budget left over the SLO window, burn rates, active alert."""
    return await build_status(uow, catalog)


@get("/sla", opt=access(*READERS, op="sla.page", subscription=False), include_in_schema=False)
async def sla_page(request: Request, uow: UnitOfWork, catalog: Catalog, period: str = "", module: str = "") -> Any:
    error = ""
    try:
        report = await _report(request, uow, catalog, period, module)
    except InvalidInput as exc:
        error, period, module = exc.detail, "", ""
        report = await _report(request, uow, catalog, "", "")
    drawn = {}
    for m in report.modules:
        labels = [d.day.strftime("%m/%d") for d in m.days]
        drawn[m.module] = (
            charts.availability_chart(labels, [d.availability for d in m.days], m.slo.availability_target),
            charts.p95_chart(labels, [d.p95_ms for d in m.days], m.slo.latency_threshold_ms),
        )
    return page(
        request,
        "sla/report.html",
        report=report,
        charts=drawn,
        module=module,
        error=error,
        status_code=422 if error else 200,
    )


ROUTERS = (report_api, status_api, sla_page)
