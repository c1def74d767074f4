"""Masters of the authentication subsystem (AUTH-2): agencies, divisions, systems,
statistical fields and government statistics. Shared reference data kept by the operator."""
from __future__ import annotations

import uuid
from typing import Any

import msgspec
from piccolo.table import Table

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit
from govstat.tenants import schemas
from govstat.tenants.tables import Agency, Division, GovStatistic, StatField, SystemMaster

MASTERS: dict[str, tuple[type[Table], type[msgspec.Struct]]] = {
    "agencies": (Agency, schemas.AgencyIn),
    "divisions": (Division, schemas.DivisionIn),
    "systems": (SystemMaster, schemas.SystemIn),
    "stat-fields": (StatField, schemas.StatFieldIn),
    "statistics": (GovStatistic, schemas.GovStatisticIn),
}


async def list_master(uow: UnitOfWork, kind: str) -> list[dict[str, Any]]:
    table, _ = MASTERS[kind]
    pk = table._meta.primary_key
    return await uow.repo(table).find(order_by=table.code if any(c._meta.name == "code" for c in table._meta.columns) else pk)


async def upsert_master(uow: UnitOfWork, kind: str, data: msgspec.Struct) -> dict[str, Any]:
    table, _ = MASTERS[kind]
    values = msgspec.structs.asdict(data)
    repo = uow.repo(table)
    if table is Division:
        existing = await repo.first(Division.agency_code == values["agency_code"], Division.code == values["code"])
        row = await (repo.update(existing["id"], **values) if existing else repo.add(id=uuid.uuid4(), **values))
    else:
        existing = await repo.first(table._meta.primary_key == values["code"])
        row = await (repo.update(values["code"], **values) if existing else repo.add(**values))
    await audit(uow, f"master.{kind}.{'updated' if existing else 'created'}", tenant_id=None, target_type=kind,
                target_id=row.get("code") or row.get("id"), module="auth")
    return row


async def delete_master(uow: UnitOfWork, kind: str, key: str) -> None:
    table, _ = MASTERS[kind]
    await uow.repo(table).delete(uuid.UUID(key) if table is Division else key)
    await audit(uow, f"master.{kind}.deleted", tenant_id=None, target_type=kind, target_id=key, module="auth")
