"""The reports API (GOV-13): /api/ops/reports/{annual,mic}[.csv|.xlsx]?fy=YYYY for the figures as they
stand, issue to keep them, and the issued versions as JSON, CSV or XLSX."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal, TypeVar

from litestar import Response, Router, get, post
from litestar.params import Parameter

from govstat.ops.reports import issue, periods
from govstat.ops.reports.access import REPORTS, operator, oversight, reading
from govstat.ops.reports.annual import figures as annual_figures
from govstat.ops.reports.files import render
from govstat.ops.reports.mic import figures as mic_figures
from govstat.ops.reports.models import AnnualReport, MicReport, Report
from govstat.ops.reports.rows import IssueRow
from govstat.ops.reports.schemas import IssueIn, LinkIn, ReportOut
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.security import Principal

BASE = "/api/ops/reports"
FiscalYear = Annotated[int, Parameter(ge=2000, le=2100, description="年度 (April-March); the current one when omitted")]
Kind = Literal["annual", "mic", "plan"]
R = TypeVar("R", bound=Report)


def fy_or_current(fy: int | None) -> int:
    return periods.current_fiscal_year() if fy is None else fy


def as_json(report: R, info: IssueRow | None = None) -> ReportOut[R]:
    return ReportOut(issue=info, report=report)


def as_file(report: Report, fmt: str, version: int | None = None) -> Response[bytes]:
    return Response(
        render.render(report, fmt, version),
        media_type=render.MEDIA[fmt],
        headers={"content-disposition": f'attachment; filename="{render.file_name(report, fmt, version)}"'},
    )


# --- the figures as they stand ------------------------------------------------------------------------


@get(f"{BASE}/annual", opt=operator(REPORTS))
async def annual(uow: UnitOfWork, catalog: Catalog, fy: FiscalYear | None = None) -> ReportOut[AnnualReport]:
    """The annual report to the liaison meeting: usage by subsystem, month and tenant, availability,
    and every incident of the year with its handling."""
    return as_json(await annual_figures.build(uow, catalog, fy_or_current(fy)))


@get(f"{BASE}/annual.csv", opt=operator(REPORTS))
async def annual_csv(uow: UnitOfWork, catalog: Catalog, fy: FiscalYear | None = None) -> Response[bytes]:
    return as_file(await annual_figures.build(uow, catalog, fy_or_current(fy)), "csv")


@get(f"{BASE}/annual.xlsx", opt=operator(REPORTS))
async def annual_xlsx(uow: UnitOfWork, catalog: Catalog, fy: FiscalYear | None = None) -> Response[bytes]:
    return as_file(await annual_figures.build(uow, catalog, fy_or_current(fy)), "xlsx")


@get(f"{BASE}/mic", opt=oversight())
async def mic(
    uow: UnitOfWork, principal: Principal, catalog: Catalog, fy: FiscalYear | None = None
) -> ReportOut[MicReport]:
    """The operations report to MIC: tenants, contracts, usage, incidents, helpdesk, briefings."""
    async with reading(uow, principal) as r:
        return as_json(await mic_figures.build(r, catalog, fy_or_current(fy)))


@get(f"{BASE}/mic.csv", opt=oversight())
async def mic_csv(
    uow: UnitOfWork, principal: Principal, catalog: Catalog, fy: FiscalYear | None = None
) -> Response[bytes]:
    async with reading(uow, principal) as r:
        return as_file(await mic_figures.build(r, catalog, fy_or_current(fy)), "csv")


@get(f"{BASE}/mic.xlsx", opt=oversight())
async def mic_xlsx(
    uow: UnitOfWork, principal: Principal, catalog: Catalog, fy: FiscalYear | None = None
) -> Response[bytes]:
    async with reading(uow, principal) as r:
        return as_file(await mic_figures.build(r, catalog, fy_or_current(fy)), "xlsx")


# --- issuing and issued versions ----------------------------------------------------------------------


@post(f"{BASE}/{{kind:str}}/issue", opt=operator(REPORTS))
async def issue_report(uow: UnitOfWork, principal: Principal, catalog: Catalog, kind: str, data: IssueIn) -> IssueRow:
    """Keep the report (`annual` or `mic`) of a year as it stands now: a new version each time."""
    if kind not in ("annual", "mic"):
        raise NotFound(f"report {kind!r} が見つかりません / no such report")
    return await issue.issue(uow, catalog, kind, data, principal.name)


@get(f"{BASE}/issued", opt=oversight())
async def issued(
    uow: UnitOfWork, principal: Principal, kind: Kind | None = None, fy: FiscalYear | None = None
) -> list[IssueRow]:
    """Issued reports and plans, newest year first (without their figures)."""
    async with reading(uow, principal) as r:
        return await issue.listing(r, kind, fy)


@get(f"{BASE}/issued/{{issue_id:uuid}}", opt=oversight())
async def issued_one(uow: UnitOfWork, principal: Principal, issue_id: uuid.UUID) -> ReportOut[Any]:
    async with reading(uow, principal) as r:
        info, report = await issue.load(r, issue_id)
    return as_json(report, info)


@get(f"{BASE}/issued/{{issue_id:uuid}}/{{fmt:str}}", opt=oversight())
async def issued_file(uow: UnitOfWork, principal: Principal, issue_id: uuid.UUID, fmt: str) -> Response[bytes]:
    if fmt not in render.MEDIA:
        raise NotFound(f"format {fmt!r}: csv または xlsx / csv or xlsx")
    async with reading(uow, principal) as r:
        info, report = await issue.load(r, issue_id)
    return as_file(report, fmt, info.version)


@post(f"{BASE}/issued/{{issue_id:uuid}}/meeting", opt=operator(REPORTS), status_code=200)
async def link(uow: UnitOfWork, issue_id: uuid.UUID, data: LinkIn) -> IssueRow:
    """Record the liaison meeting where the issued report or plan was reported (once)."""
    return await issue.link_meeting(uow, issue_id, data.liaison_meeting_id)


router = Router(
    path="/",
    route_handlers=[
        annual,
        annual_csv,
        annual_xlsx,
        mic,
        mic_csv,
        mic_xlsx,
        issue_report,
        issued,
        issued_one,
        issued_file,
        link,
    ],
    tags=["ops / 年次報告"],
)
