"""Enumerator records (ENUM-1): the owning tenant registers, changes, lists and reads them. Row-level
security keeps them to that tenant (of the cross-tenant scopes only the platform's
processes, never the operator); the routes audit every read."""

from __future__ import annotations

import functools
import unicodedata
import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.enumerators.rows import AssignmentRow, ChangeRow, EnumeratorDetail, EnumeratorRow
from govstat.platform.subsystems.enumerators.schemas import EnumeratorIn

COLUMNS = "e.id, e.tenant_id, e.name, e.name_kana, e.phone, e.email, e.appointed_from, e.appointed_to, e.status,"
COLUMNS += " e.note, e.created_at, e.updated_at"
AREAS = "coalesce((SELECT array_agg(a.area_code ORDER BY a.area_code) FROM enum_assignment a WHERE a.enumerator_id = e.id), '{}') AS areas"
ASSIGNMENT = "a.id, a.enumerator_id, a.survey_name, a.survey_date, a.area_code, a.area_name, a.status, a.updated_at"


def _check(data: EnumeratorIn) -> EnumeratorIn:
    """Full-width letters and half-width kana folded (NFKC): ｺｳﾍﾞ is stored as コウベ."""
    if data.appointed_to < data.appointed_from:
        raise InvalidInput.field(
            "appointed_to", "任期の終了は開始より後にしてください / must not precede appointed_from"
        )
    fold = functools.partial(unicodedata.normalize, "NFKC")
    return msgspec.structs.replace(
        data, name=fold(data.name).strip(), name_kana=fold(data.name_kana).strip(), phone=fold(data.phone)
    )


def _values(data: EnumeratorIn) -> tuple[object, ...]:
    """The record's fields, checked, in the order of the statements' $2 to $9 (create and update)."""
    data = _check(data)
    return (
        data.name,
        data.name_kana,
        data.phone,
        data.email,
        data.appointed_from,
        data.appointed_to,
        data.status,
        data.note,
    )


async def create(uow: UnitOfWork, data: EnumeratorIn) -> EnumeratorRow:
    return await uow.one(
        EnumeratorRow,
        "INSERT INTO enum_enumerator AS e (id, tenant_id, name, name_kana, phone, email, appointed_from, appointed_to,"
        f" status, note) VALUES ($1, govstat_scope_tenant(), $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {COLUMNS}",
        uuid.uuid4(),
        *_values(data),
    )


async def update(uow: UnitOfWork, enumerator_id: uuid.UUID, data: EnumeratorIn) -> EnumeratorRow:
    return await uow.one(
        EnumeratorRow,
        "UPDATE enum_enumerator AS e SET name = $2, name_kana = $3, phone = $4, email = $5, appointed_from = $6,"
        f" appointed_to = $7, status = $8, note = $9, updated_at = now() WHERE e.id = $1 RETURNING {COLUMNS}",
        enumerator_id,
        *_values(data),
        what="enumerator ",
    )


async def listing(
    uow: UnitOfWork, *, status: str | None = None, limit: int = 1000, offset: int = 0
) -> list[EnumeratorRow]:
    where = "e.tenant_id = govstat_scope_tenant()" + (" AND e.status = $1" if status else "")
    return await uow.rows(
        EnumeratorRow,
        f"SELECT {COLUMNS}, {AREAS} FROM enum_enumerator e WHERE {where}"
        f" ORDER BY e.name_kana, e.name, e.id LIMIT {int(limit)} OFFSET {int(offset)}",
        *([status] if status else []),
    )


async def get(uow: UnitOfWork, enumerator_id: uuid.UUID) -> EnumeratorRow:
    return await uow.one(
        EnumeratorRow,
        f"SELECT {COLUMNS}, {AREAS} FROM enum_enumerator e WHERE e.id = $1 AND e.tenant_id = govstat_scope_tenant()",
        enumerator_id,
        what="enumerator ",
    )


async def detail(uow: UnitOfWork, enumerator_id: uuid.UUID) -> EnumeratorDetail:
    row = await get(uow, enumerator_id)
    assignments = await uow.rows(
        AssignmentRow,
        f"SELECT {ASSIGNMENT} FROM enum_assignment a WHERE a.enumerator_id = $1 ORDER BY a.survey_date DESC, a.area_code",
        enumerator_id,
    )
    changes = await uow.rows(
        ChangeRow,
        "SELECT c.id, c.assignment_id, c.old_code, c.new_code, c.effective_on, c.reason, c.changed_by, c.changed_at"
        " FROM enum_assignment_change c JOIN enum_assignment a ON a.id = c.assignment_id"
        " WHERE a.enumerator_id = $1 ORDER BY c.changed_at",
        enumerator_id,
    )
    return EnumeratorDetail(enumerator=row, assignments=assignments, changes=changes)
