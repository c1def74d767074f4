"""The plans API (GOV-14): the survey of the agencies (open, answers, who has not answered) and the
annual operation plan drawn from the answers (JSON, CSV, XLSX; issued as a snapshot)."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Response, Router, get, post, put
from litestar.params import Parameter

from govstat.ops.reports import issue
from govstat.ops.reports.access import PLANS, operator, respondent
from govstat.ops.reports.models import Plan
from govstat.ops.reports.plan import figures as plan
from govstat.ops.reports.plan import survey
from govstat.ops.reports.plan.rows import (
    AskedAgency,
    ResponseDetail,
    SurveyAnswered,
    SurveyCounts,
    SurveyOpened,
    SurveyProgress,
    SurveyRow,
)
from govstat.ops.reports.routes import FiscalYear, as_file, as_json, fy_or_current
from govstat.ops.reports.rows import IssueRow
from govstat.ops.reports.schemas import AgencySurvey, DeadlineIn, IssueIn, ReportOut, ResponseIn, SurveyIn, TargetsAdded
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access
from govstat.platform.security import Principal, Role

BASE = "/api/ops/plans"
Capacity = Annotated[int, Parameter(ge=1, le=1000, description="participants per briefing session")]
ADMIN = access(Role.AGENCY_ADMIN, op=PLANS, subscription=False)


def next_fy(fy: int | None) -> int:
    """A plan is drawn for the coming year unless told otherwise."""
    return fy_or_current(None) + 1 if fy is None else fy


@get(f"{BASE}/surveys", opt=respondent())
async def surveys(uow: UnitOfWork, principal: Principal) -> list[SurveyCounts] | list[SurveyAnswered]:
    """The operator: every survey with its counts. An agency administrator: the surveys its organisation
    was asked, and whether it answered."""
    return await survey.surveys(uow, principal)


@post(f"{BASE}/surveys", opt=operator(PLANS))
async def open_survey(uow: UnitOfWork, data: SurveyIn) -> SurveyOpened:
    """Ask every active agency its planned use of each subsystem and the briefings it wants."""
    return await survey.open_survey(uow, data)


@get(f"{BASE}/surveys/{{survey_id:uuid}}", opt=respondent())
async def get_survey(uow: UnitOfWork, principal: Principal, survey_id: uuid.UUID) -> SurveyProgress | AgencySurvey:
    """The operator: who answered and who has not. An agency: the survey and its own answer."""
    if principal.is_operator:
        return await survey.status(uow, survey_id)
    return AgencySurvey(
        survey=await survey.for_agency(uow, survey_id, principal.tenant_id),
        response=await survey.my_response(uow, principal, survey_id),
    )


@get(f"{BASE}/surveys/{{survey_id:uuid}}/missing", opt=operator(PLANS))
async def missing(uow: UnitOfWork, survey_id: uuid.UUID) -> list[AskedAgency]:
    """The agencies asked that have not answered, with their primary contact."""
    return (await survey.status(uow, survey_id)).missing


@post(f"{BASE}/surveys/{{survey_id:uuid}}/deadline", opt=operator(PLANS), status_code=200)
async def deadline(uow: UnitOfWork, survey_id: uuid.UUID, data: DeadlineIn) -> SurveyRow:
    return await survey.set_deadline(uow, survey_id, data)


@post(f"{BASE}/surveys/{{survey_id:uuid}}/targets", opt=operator(PLANS), status_code=200)
async def add_targets(uow: UnitOfWork, survey_id: uuid.UUID) -> TargetsAdded:
    """Ask the agencies activated since the survey opened as well."""
    return await survey.add_new_agencies(uow, survey_id)


@get(f"{BASE}/surveys/{{survey_id:uuid}}/responses", opt=operator(PLANS))
async def responses(uow: UnitOfWork, survey_id: uuid.UUID) -> list[ResponseDetail]:
    return await survey.responses(uow, survey_id)


@put(f"{BASE}/surveys/{{survey_id:uuid}}/response", opt=ADMIN)
async def answer(uow: UnitOfWork, principal: Principal, survey_id: uuid.UUID, data: ResponseIn) -> ResponseDetail:
    """The organisation's answer (replaces its earlier one until the deadline)."""
    return await survey.answer(uow, principal, survey_id, data)


@get(f"{BASE}/surveys/{{survey_id:uuid}}/response", opt=ADMIN)
async def my_answer(uow: UnitOfWork, principal: Principal, survey_id: uuid.UUID) -> ResponseDetail | None:
    return await survey.my_response(uow, principal, survey_id)


@get(f"{BASE}/responses/{{response_id:uuid}}", opt=respondent())
async def one_response(uow: UnitOfWork, response_id: uuid.UUID) -> ResponseDetail:
    """One answer: any for the operator, only its own for an agency (another's is a 404)."""
    return await survey.response(uow, response_id)


@get(f"{BASE}/plan", opt=operator(PLANS))
async def get_plan(
    uow: UnitOfWork, catalog: Catalog, fy: FiscalYear | None = None, capacity: Capacity = plan.DEFAULT_SESSION_CAPACITY
) -> ReportOut[Plan]:
    """The plan of a year (the coming one by default) drawn from the answers."""
    return as_json(await plan.build(uow, catalog, next_fy(fy), capacity))


@get(f"{BASE}/plan.csv", opt=operator(PLANS))
async def plan_csv(
    uow: UnitOfWork, catalog: Catalog, fy: FiscalYear | None = None, capacity: Capacity = plan.DEFAULT_SESSION_CAPACITY
) -> Response[bytes]:
    return as_file(await plan.build(uow, catalog, next_fy(fy), capacity), "csv")


@get(f"{BASE}/plan.xlsx", opt=operator(PLANS))
async def plan_xlsx(
    uow: UnitOfWork, catalog: Catalog, fy: FiscalYear | None = None, capacity: Capacity = plan.DEFAULT_SESSION_CAPACITY
) -> Response[bytes]:
    return as_file(await plan.build(uow, catalog, next_fy(fy), capacity), "xlsx")


@post(f"{BASE}/plan/issue", opt=operator(PLANS))
async def issue_plan(
    uow: UnitOfWork,
    principal: Principal,
    catalog: Catalog,
    data: IssueIn,
    capacity: Capacity = plan.DEFAULT_SESSION_CAPACITY,
) -> IssueRow:
    """Issue the plan as it stands (a new version each time), optionally naming the liaison meeting
    where it is presented."""
    return await issue.issue(uow, catalog, "plan", data, principal.name, capacity=capacity)


router = Router(
    path="/",
    route_handlers=[
        surveys,
        open_survey,
        get_survey,
        missing,
        deadline,
        add_targets,
        responses,
        answer,
        my_answer,
        one_response,
        get_plan,
        plan_csv,
        plan_xlsx,
        issue_plan,
    ],
    tags=["ops / 運用管理計画"],
)
