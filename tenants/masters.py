"""Masters of the authentication subsystem (AUTH-2): agencies, divisions, systems,
statistical fields and government statistics. Shared reference data kept by the operator."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import msgspec
from piccolo.table import Table

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict, InvalidInput, NotFound
from govstat.platform.events.audit import audit
from govstat.tenants import rows, schemas
from govstat.tenants.tables import Agency, Division, GovStatistic, StatField, SystemMaster

# kind -> (table, what the operator sends, the row answered)
MASTERS: dict[str, tuple[type[Table], type[msgspec.Struct], type[rows.MasterRow]]] = {
    "agencies": (Agency, schemas.AgencyIn, rows.AgencyRow),
    "divisions": (Division, schemas.DivisionIn, rows.DivisionRow),
    "systems": (SystemMaster, schemas.SystemIn, rows.SystemRow),
    "stat-fields": (StatField, schemas.StatFieldIn, rows.StatFieldRow),
    "statistics": (GovStatistic, schemas.GovStatisticIn, rows.GovStatisticRow),
}


async def list_master(uow: UnitOfWork, kind: str) -> list[rows.MasterRow]:
    table, _, row_type = MASTERS[kind]
    pk = table._meta.primary_key
    return await uow.repo(table, row_type).find(
        order_by=table.code if any(c._meta.name == "code" for c in table._meta.columns) else pk
    )


async def upsert_master(uow: UnitOfWork, kind: str, data: msgspec.Struct) -> rows.MasterRow:
    table, _, row_type = MASTERS[kind]
    values = msgspec.structs.asdict(data)
    repo = uow.repo(table, row_type)
    try:
        if table is Division:
            existing = await repo.first(Division.agency_code == values["agency_code"], Division.code == values["code"])
            row = await (repo.update(existing.id, **values) if existing else repo.add(id=uuid.uuid4(), **values))
        else:
            existing = await repo.first(table._meta.primary_key == values["code"])
            row = await (repo.update(values["code"], **values) if existing else repo.add(**values))
    except asyncpg.ForeignKeyViolationError as exc:
        # name the field, e.g. gov_statistic_field_code_fkey -> field_code
        field = next((k for k in values if exc.constraint_name == f"{table._meta.tablename}_{k}_fkey"), "body")
        raise InvalidInput.field(field, f"参照先が存在しません / no such {field}: {values.get(field)!r}") from None
    await audit(
        uow,
        f"master.{kind}.{'updated' if existing else 'created'}",
        tenant_id=None,
        target_type=kind,
        target_id=row.id if isinstance(row, rows.DivisionRow) else row.code,
        module="auth",
    )  # as delete names it
    return row


async def delete_master(uow: UnitOfWork, kind: str, key: str) -> None:
    table, _, _ = MASTERS[kind]
    pk: Any = key
    if table is Division:
        try:
            pk = uuid.UUID(key)
        except ValueError:
            raise NotFound(f"{kind} {key} が見つかりません / not found") from None
    try:
        await uow.repo(table).delete(pk)
    except asyncpg.ForeignKeyViolationError as exc:
        # still referenced (a division, a statistic, a tenant): a conflict, not a bad reference in the input
        raise Conflict(
            f"{kind} {key} は参照されているため削除できません / still referenced ({exc.constraint_name})",
            constraint=exc.constraint_name,
        ) from None
    await audit(uow, f"master.{kind}.deleted", tenant_id=None, target_type=kind, target_id=key, module="auth")
