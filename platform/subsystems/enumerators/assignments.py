"""Survey area assignments (ENUM-1): an area is a standard area code valid on the survey date (the
area module's read interface, platform/subsystems/area/published.py). When a municipality merges
away, its assignments follow it forward through the area history (廃置分合等): each step to the
successor code is recorded in enum_assignment_change; a split (several successors) is left for a
person to decide (status 'review'). Run by the daily job for every tenant, or on demand."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import emit
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.enumerators import service
from govstat.platform.subsystems.enumerators.events import AssignmentMoved
from govstat.platform.subsystems.enumerators.rows import AssignmentRow, FollowResult
from govstat.platform.subsystems.enumerators.schemas import AssignmentIn


class _Active(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    survey_date: dt.date
    area_code: str


async def assign(uow: UnitOfWork, enumerator_id: uuid.UUID, data: AssignmentIn) -> AssignmentRow:
    await service.get(uow, enumerator_id)
    found = (await area.valid_on(uow, data.survey_date)).get(data.area_code)
    if found is None:
        raise InvalidInput.field(
            "area_code",
            f"{data.area_code} は {data.survey_date} に有効な標準地域コードではありません / not valid on that date",
        )
    return await uow.one(
        AssignmentRow,
        "INSERT INTO enum_assignment AS a (id, tenant_id, enumerator_id, survey_name, survey_date, area_code, area_name)"
        f" VALUES ($1, govstat_scope_tenant(), $2, $3, $4, $5, $6) RETURNING {service.ASSIGNMENT}",
        uuid.uuid4(),
        enumerator_id,
        data.survey_name,
        data.survey_date,
        data.area_code,
        f"{found.desig_name}{found.name}",
    )


def today() -> dt.date:
    return dt.datetime.now(JST).date()


async def follow(uow: UnitOfWork, as_of: dt.date | None = None) -> FollowResult:
    """Move every active assignment the scope sees whose area no longer exists on `as_of`."""
    day = as_of or today()
    valid = await area.valid_on(uow, day)
    stale = [
        a
        for a in await uow.rows(
            _Active, "SELECT id, tenant_id, survey_date, area_code FROM enum_assignment WHERE status = 'active'"
        )
        if a.area_code not in valid
    ]
    moved = review = 0
    history = await area.successions(uow, min(a.survey_date for a in stale), day) if stale else []
    for a in stale:
        went = area.follow(a.area_code, history, a.survey_date)
        code = went.code
        steps = [(s.old_code, s.new_code, s.effective_on) for s in went.steps]
        if code not in valid:
            review += 1
            await uow.execute("UPDATE enum_assignment SET status = 'review', updated_at = now() WHERE id = $1", a.id)
            continue
        moved += 1
        current = valid[code]
        await uow.execute(
            "UPDATE enum_assignment SET area_code = $2, area_name = $3, updated_at = now() WHERE id = $1",
            a.id,
            code,
            f"{current.desig_name}{current.name}",
        )
        for old, new, effective in steps:
            await uow.execute(
                "INSERT INTO enum_assignment_change (id, tenant_id, assignment_id, old_code, new_code, effective_on,"
                " reason, changed_by) VALUES ($1, $2, $3, $4, $5, $6, '廃置分合等 / municipal merger', $7)"
                " ON CONFLICT DO NOTHING",
                uuid.uuid4(),
                a.tenant_id,
                a.id,
                old,
                new,
                effective,
                uow.scope.actor,
            )
            await emit(
                uow,
                AssignmentMoved(assignment_id=a.id, old_code=old, new_code=new, effective_on=effective),
                tenant_id=a.tenant_id,
            )
    return FollowResult(as_of=day, moved=moved, review=review)
