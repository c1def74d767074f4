"""The register API under /api/frame/register (FRAME-5): the operator's search and a unit's history."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.frame import draws, queries, service
from govstat.platform.subsystems.frame.rows import BurdenRow, DrawRow, Establishment, SelectionRow, SurveyRow
from govstat.platform.subsystems.frame.schemas import Population, SurveyDrawIn, SurveyIn
from govstat.platform.web.deps import set_units
from govstat.platform.web.paging import Listing, Offset

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READERS = (*AGENCY, Role.OPERATOR)
UnitId = Annotated[int, Parameter(ge=1, le=10**15)]


def filters(industry: str, area: str, min_employees: int, max_employees: int | None) -> Population:
    return Population(
        industries=[p for p in industry.split(",") if p.isdigit()][:50],
        areas=[p for p in area.split(",") if p.isdigit()][:50],
        min_employees=min_employees,
        max_employees=max_employees,
    )


@get("/register", opt=access(Role.OPERATOR, op="frame.search"))
async def search(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    q: Annotated[str, Parameter(max_length=100)] = "",
    industry: Annotated[str, Parameter(max_length=200, description="JSIC prefixes, comma-separated")] = "",
    area: Annotated[str, Parameter(max_length=200, description="area code prefixes, comma-separated")] = "",
    min_employees: Annotated[int, Parameter(ge=0, le=1_000_000)] = 0,
    max_employees: Annotated[int | None, Parameter(ge=0, le=1_000_000)] = None,
    status: Annotated[str | None, Parameter(pattern="^(active|dormant|closed)$")] = None,
    as_of: dt.date | None = None,
    limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> Listing[Establishment]:
    """The register as of a day (today by default), filtered by name or corporate number, industry,
    area, size and status. `total` is counted up to 1,000; 1,001 means more than 1,000."""
    pop = filters(industry, area, min_employees, max_employees)
    day = as_of or dt.date.today()
    total, rows = await queries.search(uow, pop, day=day, q=q, status=status, limit=limit, offset=offset)
    set_units(request, len(rows))
    return Listing(total=total, offset=offset, items=rows)


@get("/register/{unit_id:int}", opt=access(Role.OPERATOR, op="frame.read"))
async def unit_versions(uow: UnitOfWork, unit_id: UnitId) -> list[Establishment]:
    """Every version of an establishment (its history), oldest first."""
    return await queries.versions(uow, unit_id)


@get("/register/{unit_id:int}/burden", opt=access(Role.OPERATOR, op="frame.read"))
async def unit_burden(uow: UnitOfWork, unit_id: UnitId) -> list[BurdenRow]:
    """The unit's survey history (調査履歴): the burden ledger, newest first (test draws never appear)."""
    await queries.versions(uow, unit_id)
    return await queries.ledger(uow, unit_id)


@post("/surveys", opt=access(*AGENCY, op="frame.survey", audit=True))
async def create_survey(uow: UnitOfWork, data: SurveyIn) -> SurveyRow:
    """Register a planned survey (統計調査実施予定): period, target population, planned sample size,
    and its coordination (start point and direction on the PRN circle)."""
    return await service.create_survey(uow, data)


@get("/surveys", opt=access(*READERS, op="frame.list"))
async def list_surveys(uow: UnitOfWork) -> list[SurveyRow]:
    return await service.surveys(uow)


@get("/surveys/{survey_id:uuid}", opt=access(*READERS, op="frame.list"))
async def get_survey(uow: UnitOfWork, survey_id: uuid.UUID) -> SurveyRow:
    return await service.survey(uow, survey_id)


@post("/surveys/{survey_id:uuid}/draws", opt=access(Role.OPERATOR, op="frame.draw", audit=True))
async def draw_survey(uow: UnitOfWork, survey_id: uuid.UUID, data: SurveyDrawIn) -> DrawRow:
    """Draw the survey's sample as of a reference date (test draws are stored but never count as burden)."""
    survey = await service.survey(uow, survey_id)
    row, _ = await draws.draw(uow, survey, reference_date=data.reference_date, design=data.design,
                              burden=data.burden, test=data.test, cycle=data.cycle)  # fmt: skip
    return row


@get("/draws/{draw_id:uuid}", opt=access(*READERS, op="frame.list"))
async def get_draw(uow: UnitOfWork, draw_id: uuid.UUID) -> DrawRow:
    return await draws.get(uow, draw_id)


@get("/draws/{draw_id:uuid}/units", opt=access(Role.OPERATOR, op="frame.read"))
async def draw_units(uow: UnitOfWork, draw_id: uuid.UUID) -> list[SelectionRow]:
    """The units the draw looked at, by rank: selected, or passed over with the reason."""
    return await draws.selections(uow, draw_id)


@post("/draws/{draw_id:uuid}/redraw", opt=access(Role.OPERATOR, op="frame.draw"), status_code=200)
async def redraw(uow: UnitOfWork, draw_id: uuid.UUID) -> draws.Redraw:
    """Draw again from the stored specification: the same unit list, years later."""
    return await draws.redraw(uow, draw_id)


@get("/draws/{draw_id:uuid}/why/{unit_id:int}", opt=access(Role.OPERATOR, op="frame.read"))
async def why(uow: UnitOfWork, draw_id: uuid.UUID, unit_id: UnitId) -> draws.Why:
    """Why was this establishment selected? (for the respondent's helpdesk call)"""
    return await draws.why(uow, draw_id, unit_id)


register = Router(
    path="/api/frame",
    tags=["frame / 事業所母集団データベース"],
    route_handlers=[
        search,
        unit_versions,
        unit_burden,
        create_survey,
        list_surveys,
        get_survey,
        draw_survey,
        get_draw,
        draw_units,
        redraw,
        why,
    ],
)
