"""Use cases of planned surveys (FRAME-1): an agency registers its survey with the target
population, the planned sample size and its place on the PRN circle (start point, direction)."""

from __future__ import annotations

import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import audit
from govstat.platform.subsystems.frame.rows import SurveyRow
from govstat.platform.subsystems.frame.schemas import SurveyIn


async def create_survey(uow: UnitOfWork, data: SurveyIn) -> SurveyRow:
    if data.period_to < data.period_from:
        raise InvalidInput.field("period_to", "期間の終わりが始まりより前です / the period ends before it starts")
    if data.population.max_employees is not None and data.population.max_employees < data.population.min_employees:
        raise InvalidInput.field("population.max_employees", "最小より小さい値です / below min_employees")
    if uow.scope.tenant_id is None:
        raise InvalidInput.field("tenant", "利用機関として登録してください / register as an agency")
    row = await uow.row(
        SurveyRow,
        "INSERT INTO frame_survey (id, tenant_id, name, period_from, period_to, population, sample_size, start_point,"
        " direction, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *",
        uuid.uuid4(),
        uow.scope.tenant_id,
        data.name,
        data.period_from,
        data.period_to,
        msgspec.json.encode(data.population).decode(),
        data.sample_size,
        data.start_point,
        data.direction,
        uow.scope.actor,
    )
    assert row is not None
    await audit(uow, "frame.survey.registered", tenant_id=row.tenant_id, target_type="frame_survey",
                target_id=row.id, module="frame", name=data.name, sample_size=data.sample_size)  # fmt: skip
    return row


async def survey(uow: UnitOfWork, survey_id: uuid.UUID) -> SurveyRow:
    """The survey if the caller's tenant holds it (the operator sees every one); else 404."""
    w = Where(args=[survey_id]).scoped(uow)
    return await uow.one(SurveyRow, f"SELECT * FROM frame_survey WHERE id = $1 AND {w}", *w.args, what="調査")


async def surveys(uow: UnitOfWork) -> list[SurveyRow]:
    w = Where().scoped(uow)
    return await uow.rows(
        SurveyRow, f"SELECT * FROM frame_survey WHERE {w} ORDER BY created_at DESC LIMIT 500", *w.args
    )
