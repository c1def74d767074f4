"""The survey behind the annual operation plan (GOV-14; 約款 第8): before the year the operator asks every
active agency its planned use of each subsystem and the briefings it wants; each agency answers once
(its administrators may replace the answer until the deadline); the operator sees who has not answered.

An agency reaches only its own invitation and answer: row-level security on the targets and answers,
and the repositories' tenant filter, make another agency's answer a 404.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.ops.helpdesk.subsystems import check_subsystem
from govstat.ops.reports import periods
from govstat.ops.reports.plan.rows import (
    AskedAgency,
    ResponseDetail,
    ResponseRow,
    SurveyAnswered,
    SurveyCounts,
    SurveyOpened,
    SurveyProgress,
    SurveyRow,
    UseRow,
    WishRow,
)
from govstat.ops.reports.schemas import DeadlineIn, ResponseIn, SurveyIn, TargetsAdded
from govstat.ops.reports.tables import PlanResponse, PlanSurvey
from govstat.platform.db.repository import Repository
from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition, NotFound
from govstat.platform.events.audit import audit
from govstat.platform.security import Principal

ASKED = "SELECT t.id FROM directory_tenant t WHERE t.status = 'active' AND t.kind <> 'operator'"
SURVEY = columns(SurveyRow, "s.")


def _surveys(uow: UnitOfWork) -> Repository[PlanSurvey, SurveyRow]:
    return uow.repo(PlanSurvey, SurveyRow)


def _responses(uow: UnitOfWork) -> Repository[PlanResponse, ResponseRow]:
    return uow.repo(PlanResponse, ResponseRow)


def _aware(field: str, value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise InvalidInput.field(field, "タイムゾーンを付けてください / give the time zone, e.g. +09:00")
    if value <= periods.now():
        raise InvalidInput.field(field, "未来の日時にしてください / must be in the future")
    return value


async def open_survey(uow: UnitOfWork, data: SurveyIn) -> SurveyOpened:
    if data.fiscal_year < periods.current_fiscal_year():
        raise InvalidInput.field("fiscal_year", "過ぎた年度の計画は照会できません / that year is over")
    deadline = _aware("deadline", data.deadline)
    survey = await _surveys(uow).add(
        id=uuid.uuid4(),
        fiscal_year=data.fiscal_year,
        title=data.title,
        message=data.message,
        deadline=deadline,
        opened_by=uow.scope.actor,
        opened_at=periods.now(),
    )
    asked = await _add_targets(uow, survey.id)
    await audit(
        uow,
        "plan.survey_opened",
        tenant_id=None,
        target_type="plan_survey",
        target_id=survey.id,
        module="ops",
        fiscal_year=data.fiscal_year,
        deadline=deadline.isoformat(),
        asked=asked,
    )
    return SurveyOpened(**msgspec.structs.asdict(survey), asked=asked)


async def _add_targets(uow: UnitOfWork, survey_id: uuid.UUID) -> int:
    added: int = await uow.fetchval(
        f"WITH added AS (INSERT INTO plan_survey_target (survey_id, tenant_id) SELECT $1, id FROM ({ASKED}) a"
        " ON CONFLICT DO NOTHING RETURNING tenant_id) SELECT count(*)::int FROM added",
        survey_id,
    )
    return added


async def add_new_agencies(uow: UnitOfWork, survey_id: uuid.UUID) -> TargetsAdded:
    """Ask the agencies activated since the survey opened as well."""
    await _surveys(uow).get(survey_id)
    added = await _add_targets(uow, survey_id)
    await audit(
        uow,
        "plan.survey_targets_added",
        tenant_id=None,
        target_type="plan_survey",
        target_id=survey_id,
        module="ops",
        added=added,
    )
    return TargetsAdded(added=added)


async def set_deadline(uow: UnitOfWork, survey_id: uuid.UUID, data: DeadlineIn) -> SurveyRow:
    await _surveys(uow).get(survey_id, for_update=True)
    row = await _surveys(uow).update(survey_id, deadline=_aware("deadline", data.deadline))
    await audit(
        uow,
        "plan.survey_deadline_changed",
        tenant_id=None,
        target_type="plan_survey",
        target_id=survey_id,
        module="ops",
        deadline=data.deadline.isoformat(),
    )
    return row


async def survey_for_year(uow: UnitOfWork, fy: int) -> SurveyRow | None:
    return await _surveys(uow).first(PlanSurvey.fiscal_year == fy)


async def status(uow: UnitOfWork, survey_id: uuid.UUID) -> SurveyProgress:
    """The operator's view: who was asked, who answered and when, who has not (with the primary
    contact to chase)."""
    survey = await _surveys(uow).get(survey_id)
    agencies = await uow.rows(
        AskedAgency,
        "SELECT t.id AS tenant_id, t.code, t.name_ja, t.kind, r.id AS response_id, r.updated_at AS answered_at,"
        " r.revision, c.name AS contact_name, c.email AS contact_email FROM plan_survey_target g"
        " JOIN directory_tenant t ON t.id = g.tenant_id LEFT JOIN plan_response r ON r.survey_id = g.survey_id"
        " AND r.tenant_id = g.tenant_id LEFT JOIN directory_contact c ON c.tenant_id = t.id AND c.role = 'primary'"
        " WHERE g.survey_id = $1 ORDER BY t.kind, t.code",
        survey_id,
    )
    return SurveyProgress(
        **msgspec.structs.asdict(survey),
        asked=len(agencies),
        answered=[a for a in agencies if a.response_id],
        missing=[a for a in agencies if not a.response_id],
        open=survey.deadline > periods.now(),
    )


async def surveys(uow: UnitOfWork, principal: Principal) -> list[SurveyCounts] | list[SurveyAnswered]:
    """The operator: every survey. An agency: the surveys it was asked, with whether it answered."""
    if principal.is_operator:
        return await uow.rows(
            SurveyCounts,
            f"SELECT {SURVEY}, (SELECT count(*) FROM plan_survey_target g WHERE g.survey_id = s.id) AS asked,"
            " (SELECT count(*) FROM plan_response r WHERE r.survey_id = s.id) AS answered"
            " FROM plan_survey s ORDER BY s.fiscal_year DESC",
        )
    return await uow.rows(
        SurveyAnswered,
        f"SELECT {SURVEY}, r.id AS response_id, r.updated_at AS answered_at FROM plan_survey s"
        " JOIN plan_survey_target g ON g.survey_id = s.id AND g.tenant_id = $1"
        " LEFT JOIN plan_response r ON r.survey_id = s.id AND r.tenant_id = $1 ORDER BY s.fiscal_year DESC",
        principal.tenant_id,
    )


async def for_agency(uow: UnitOfWork, survey_id: uuid.UUID, tenant_id: uuid.UUID | None) -> SurveyRow:
    """The survey, if this agency was asked; 404 otherwise (as if it did not exist)."""
    survey = await _surveys(uow).get(survey_id)
    if tenant_id is None or not await uow.fetchval(
        "SELECT 1 FROM plan_survey_target WHERE survey_id = $1 AND tenant_id = $2", survey_id, tenant_id
    ):
        raise NotFound(f"plan_survey {survey_id} が見つかりません / not found")
    return survey


def check(data: ResponseIn) -> None:
    seen: set[str] = set()
    for i, use in enumerate(data.uses):
        check_subsystem(f"uses[{i}].module_key", use.module_key)
        if use.module_key in seen:
            raise InvalidInput.field(f"uses[{i}].module_key", "同じサブシステムが重複しています / listed twice")
        seen.add(use.module_key)
        if use.peak_calls_per_month is not None and not use.heavy_months:
            raise InvalidInput.field(
                f"uses[{i}].heavy_months", "繁忙月の呼出し数には繁忙月が必要です / peak calls need the heavy months"
            )
    for i, wish in enumerate(data.briefings):
        check_subsystem(f"briefings[{i}].module_key", wish.module_key)


async def answer(uow: UnitOfWork, principal: Principal, survey_id: uuid.UUID, data: ResponseIn) -> ResponseDetail:
    """The agency's answer, given by one of its administrators; replaces its earlier answer."""
    survey = await for_agency(uow, survey_id, principal.tenant_id)
    if survey.deadline <= periods.now():
        raise InvalidTransition("回答期限を過ぎています / the deadline has passed", deadline=survey.deadline)
    check(data)
    tenant_id = principal.tenant_id
    row = await uow.one(
        ResponseRow,
        "INSERT INTO plan_response AS r (id, survey_id, tenant_id, comments, submitted_by) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (survey_id, tenant_id) DO UPDATE SET comments = excluded.comments, revision = r.revision + 1,"
        f" submitted_by = excluded.submitted_by, updated_at = now() RETURNING {columns(ResponseRow)}",
        uuid.uuid4(),
        survey_id,
        tenant_id,
        data.comments,
        principal.subject,
    )
    response_id = row.id
    await uow.execute("DELETE FROM plan_response_use WHERE response_id = $1", response_id)
    await uow.execute("DELETE FROM plan_response_briefing WHERE response_id = $1", response_id)
    for use in data.uses:
        await uow.execute(
            "INSERT INTO plan_response_use (response_id, tenant_id, module_key, level, calls_per_month,"
            " peak_calls_per_month, heavy_months) VALUES ($1, $2, $3, $4, $5, $6, $7::smallint[])",
            response_id,
            tenant_id,
            use.module_key,
            use.level,
            use.calls_per_month,
            use.peak_calls_per_month,
            sorted(set(use.heavy_months)),
        )
    for wish in data.briefings:
        await uow.execute(
            "INSERT INTO plan_response_briefing (id, response_id, tenant_id, module_key, preferred_month, participants,"
            " note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            uuid.uuid4(),
            response_id,
            tenant_id,
            wish.module_key,
            wish.preferred_month,
            wish.participants,
            wish.note,
        )
    await audit(
        uow,
        "plan.response_submitted",
        tenant_id=tenant_id,
        target_type="plan_response",
        target_id=response_id,
        module="ops",
        survey_id=survey_id,
        revision=row.revision,
        uses=len(data.uses),
        briefings=len(data.briefings),
    )
    return await response(uow, response_id)


async def response(uow: UnitOfWork, response_id: uuid.UUID) -> ResponseDetail:
    """One answer with its planned uses and wanted briefings (the repository scopes it to the caller's
    tenant: another agency's answer is a 404)."""
    row = await _responses(uow).get(response_id)
    uses = await uow.rows(
        UseRow,
        f"SELECT {columns(UseRow)} FROM plan_response_use WHERE response_id = $1 ORDER BY module_key",
        response_id,
    )
    wishes = await uow.rows(
        WishRow,
        f"SELECT {columns(WishRow)} FROM plan_response_briefing WHERE response_id = $1"
        " ORDER BY preferred_month, module_key",
        response_id,
    )
    return ResponseDetail(**msgspec.structs.asdict(row), uses=uses, briefings=wishes)


async def my_response(uow: UnitOfWork, principal: Principal, survey_id: uuid.UUID) -> ResponseDetail | None:
    await for_agency(uow, survey_id, principal.tenant_id)
    row = await _responses(uow).first(PlanResponse.survey_id == survey_id)
    return None if row is None else await response(uow, row.id)


async def responses(uow: UnitOfWork, survey_id: uuid.UUID) -> list[ResponseDetail]:
    """Every answer (the operator)."""
    await _surveys(uow).get(survey_id)
    rows = await _responses(uow).find(PlanResponse.survey_id == survey_id, order_by=PlanResponse.submitted_at)
    return [await response(uow, r.id) for r in rows]
