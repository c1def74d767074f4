"""Survey cycles (ONLINE-3): create with schedule and data key, read, list. One unit of work each."""

from __future__ import annotations

import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import FieldError, InvalidInput, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.online import forms, keys
from govstat.platform.subsystems.online.events import SurveyCreated
from govstat.platform.subsystems.online.rows import SurveyRow
from govstat.platform.subsystems.online.schemas import SurveyIn, SurveyView

MODULE = "online"
COLUMNS = (
    "s.id, s.tenant_id, s.code, s.name_ja, s.name_en, s.cycle, s.gov_stat_code, s.unit_kind, s.questionnaire_id,"
    " s.questionnaire_version, s.opens_at, s.deadline_at, s.reminder_dates, s.retention_until,"
    " s.handed_off_at, s.stats_data_id"
)
COUNTS = (
    ", (SELECT count(*) FROM online_respondent r WHERE r.survey_id = s.id) AS respondents"
    ", (SELECT count(*) FROM online_unit u WHERE u.survey_id = s.id) AS units"
    ", (SELECT count(DISTINCT unit_id) FROM online_submission b WHERE b.survey_id = s.id) AS submitted_units"
)


def check_schedule(data: SurveyIn) -> None:
    errors = []
    if data.deadline_at <= data.opens_at:
        errors.append(
            FieldError("deadline_at", "締切は開始より後にしてください / the deadline must follow the opening")
        )
    if data.retention_until < data.deadline_at.date():
        errors.append(
            FieldError("retention_until", "保存期限は締切以降にしてください / keep answers at least until the deadline")
        )
    for i, day in enumerate(data.reminder_dates):
        if not data.opens_at.date() <= day <= data.deadline_at.date():
            errors.append(
                FieldError(
                    f"reminder_dates[{i}]", "督促日は実施期間内にしてください / reminders fall within the survey period"
                )
            )
    if (data.questionnaire_id is None) != (data.questionnaire_version is None):
        errors.append(
            FieldError("questionnaire_version", "調査票とその版を共に指定してください / give both id and version")
        )
    if errors:
        raise InvalidInput(errors[0].message, errors=errors)


async def create(uow: UnitOfWork, data: SurveyIn) -> SurveyView:
    check_schedule(data)
    tenant_id = uow.scope.tenant_id
    if tenant_id is None:
        raise InvalidInput.field("tenant", "利用機関として操作してください / act as an agency")
    if data.questionnaire_id is not None and data.questionnaire_version is not None:
        await forms.check_questionnaire(uow, data.questionnaire_id, data.questionnaire_version, data.unit_kind)
    survey_id = uuid.uuid4()
    await uow.execute(
        "INSERT INTO online_survey (id, tenant_id, code, name_ja, name_en, cycle, gov_stat_code, unit_kind, questionnaire_id,"
        " questionnaire_version, opens_at, deadline_at, reminder_dates, retention_until, created_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15)",
        survey_id,
        tenant_id,
        data.code,
        data.name_ja,
        data.name_en,
        data.cycle,
        data.gov_stat_code,
        data.unit_kind,
        data.questionnaire_id,
        data.questionnaire_version,
        data.opens_at,
        data.deadline_at,
        msgspec.json.encode(data.reminder_dates).decode(),
        data.retention_until,
        uow.scope.actor,
    )
    await keys.create_data_key(uow, survey_id, tenant_id)
    await emit(uow, SurveyCreated(survey_id=survey_id, code=data.code), tenant_id=tenant_id)
    await audit(
        uow,
        "online.survey_created",
        tenant_id=tenant_id,
        target_type="online_survey",
        target_id=survey_id,
        module=MODULE,
    )
    return await view(uow, survey_id)


def visible(uow: UnitOfWork, w: Where) -> Where:
    """The caller's surveys: its tenant's own, or for an intermediary those granted to it."""
    if uow.scope.role == "intermediary":
        return w.add(
            "s.id IN (SELECT survey_id FROM online_grant WHERE intermediary_tenant_id = govstat_scope_tenant())"
        )
    return w.scoped(uow, "s.")


async def get(uow: UnitOfWork, survey_id: uuid.UUID) -> SurveyRow:
    w = visible(uow, Where(args=[survey_id]))
    row = await uow.row(SurveyRow, f"SELECT {COLUMNS} FROM online_survey s WHERE s.id = $1 AND {w}", *w.args)
    if row is None:
        raise NotFound("調査が見つかりません / no such survey")
    return row


async def view(uow: UnitOfWork, survey_id: uuid.UUID) -> SurveyView:
    w = visible(uow, Where(args=[survey_id]))
    row = await uow.row(SurveyView, f"SELECT {COLUMNS}{COUNTS} FROM online_survey s WHERE s.id = $1 AND {w}", *w.args)
    if row is None:
        raise NotFound("調査が見つかりません / no such survey")
    return row


async def listing(uow: UnitOfWork) -> list[SurveyView]:
    w = visible(uow, Where())
    return await uow.rows(
        SurveyView, f"SELECT {COLUMNS}{COUNTS} FROM online_survey s WHERE {w} ORDER BY s.opens_at DESC LIMIT 500"
    )
