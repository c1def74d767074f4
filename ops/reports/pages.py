"""Report and plan pages: /ops/reports (index), /ops/reports/annual, /ops/reports/mic, an issued version
at /ops/reports/issued/<id>, and the plan at /ops/plans. Charts are drawn by Chart.js from JSON
embedded in the page (charts.py)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get
from litestar.params import Parameter

from govstat.ops.reports import charts, issue, labels, periods
from govstat.ops.reports.access import PLANS, REPORTS, operator, oversight, reading
from govstat.ops.reports.annual import figures as annual_figures
from govstat.ops.reports.files import render
from govstat.ops.reports.files.sheets import jst
from govstat.ops.reports.mic import figures as mic_figures
from govstat.ops.reports.models import Report
from govstat.ops.reports.plan import figures as plan
from govstat.ops.reports.rows import IssueRow
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Principal
from govstat.platform.web.pages import page

FiscalYear = Annotated[int, Parameter(ge=2000, le=2100)]
TEMPLATES = {"annual": "reports/annual.html", "mic": "reports/mic.html", "plan": "reports/plan.html"}


def num(value: float | None) -> str:
    return "—" if value is None else f"{value:,}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}%"


def minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f} 分"


HELPERS: dict[str, Any] = {
    "jst": jst,
    "labels": labels,
    "month_header": labels.month_header,
    "era": periods.era,
    "num": num,
    "pct": pct,
    "minutes": minutes,
}


def show(request: Request[Any, Any, Any], report: Report, info: IssueRow | None, **extra: Any) -> Any:
    return page(
        request,
        TEMPLATES[report.kind],
        report=report,
        issue=info,
        title=render.title(report, info.version if info else None),
        charts=msgspec.to_builtins(charts.of(report)),  # the page's JSON (tojson writes builtins only)
        **HELPERS,
        **extra,
    )


@get("/ops/reports", opt=oversight(), include_in_schema=False)
async def index(request: Request[Any, Any, Any], uow: UnitOfWork, principal: Principal) -> Any:
    async with reading(uow, principal) as r:
        issued = await issue.listing(r)
    current = periods.current_fiscal_year()
    return page(
        request,
        "reports/index.html",
        issued=issued,
        years=[current, current - 1, current - 2],
        next_fy=current + 1,
        is_operator=principal.is_operator,
        **HELPERS,
    )


@get("/ops/reports/annual", opt=operator(REPORTS), include_in_schema=False)
async def annual(
    request: Request[Any, Any, Any], uow: UnitOfWork, catalog: Catalog, fy: FiscalYear | None = None
) -> Any:
    fy = periods.current_fiscal_year() if fy is None else fy
    report = await annual_figures.build(uow, catalog, fy)
    return show(request, report, None, meetings=await issue.meetings(uow), can_issue=True)


@get("/ops/reports/mic", opt=oversight(), include_in_schema=False)
async def mic(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    principal: Principal,
    catalog: Catalog,
    fy: FiscalYear | None = None,
) -> Any:
    fy = periods.current_fiscal_year() if fy is None else fy
    async with reading(uow, principal) as r:
        report = await mic_figures.build(r, catalog, fy)
    return show(request, report, None, meetings=[], can_issue=principal.is_operator)


@get("/ops/reports/issued/{issue_id:uuid}", opt=oversight(), include_in_schema=False)
async def issued(request: Request[Any, Any, Any], uow: UnitOfWork, principal: Principal, issue_id: uuid.UUID) -> Any:
    async with reading(uow, principal) as r:
        info, report = await issue.load(r, issue_id)
        versions = await issue.listing(r, info.kind, info.fiscal_year)
    return show(request, report, info, versions=versions, meetings=[], can_issue=False)


@get("/ops/plans", opt=operator(PLANS), include_in_schema=False)
async def plan_page(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    catalog: Catalog,
    fy: FiscalYear | None = None,
    capacity: Annotated[int, Parameter(ge=1, le=1000)] = plan.DEFAULT_SESSION_CAPACITY,
) -> Any:
    fy = periods.current_fiscal_year() + 1 if fy is None else fy
    return show(
        request,
        await plan.build(uow, catalog, fy, capacity),
        None,
        meetings=await issue.meetings(uow),
        can_issue=True,
        capacity=capacity,
    )


router = Router(path="/", route_handlers=[index, annual, mic, issued, plan_page], tags=["ops / 年次報告"])
