"""提供分類 (provision classification, TABLES-1): a government statistic's tree of up to three
levels under which its table files are provided. The agency that owns the statistic keeps it."""

from __future__ import annotations

import uuid

import msgspec

from govstat.platform.db.repository import Repository
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict, InvalidInput
from govstat.platform.events.audit import audit
from govstat.platform.subsystems.statdb.masters import ownership_problem
from govstat.platform.subsystems.tables.rows import ProvisionClassRow
from govstat.platform.subsystems.tables.schemas import ClassIn, ClassPatch
from govstat.platform.subsystems.tables.tables import ProvisionClass

MODULE = "tables"


def _repo(uow: UnitOfWork) -> Repository[ProvisionClass, ProvisionClassRow]:
    return uow.repo(ProvisionClass, ProvisionClassRow)


async def tree(uow: UnitOfWork, gov_stat_code: str | None = None) -> list[ProvisionClassRow]:
    """Nodes in tree order (level 1, its children, theirs ...)."""
    where = [ProvisionClass.gov_stat_code == gov_stat_code] if gov_stat_code else []
    rows = await _repo(uow).find(*where, order_by=ProvisionClass.position)
    children: dict[uuid.UUID | None, list[ProvisionClassRow]] = {}
    for r in rows:
        children.setdefault(r.parent_id, []).append(r)
    out: list[ProvisionClassRow] = []

    def walk(parent: uuid.UUID | None) -> None:
        for r in sorted(children.get(parent, []), key=lambda r: (r.gov_stat_code, r.position, r.code)):
            out.append(r)
            walk(r.id)

    walk(None)
    return out


async def create(uow: UnitOfWork, data: ClassIn) -> ProvisionClassRow:
    reason = await ownership_problem(uow, data.gov_stat_code)
    if reason:
        raise InvalidInput.field("gov_stat_code", reason)
    level = 1
    if data.parent_id is not None:
        parent = await _repo(uow).first(ProvisionClass.id == data.parent_id)
        if parent is None or parent.gov_stat_code != data.gov_stat_code:
            raise InvalidInput.field(
                "parent_id", "同じ政府統計の提供分類を指定してください / not a class of this statistic"
            )
        if parent.level >= 3:
            raise InvalidInput.field("parent_id", "提供分類は3階層までです / at most three levels")
        level = parent.level + 1
    row = await _repo(uow).add(id=uuid.uuid4(), level=level, **msgspec.structs.asdict(data))
    await audit(
        uow,
        "tables.class.created",
        tenant_id=row.tenant_id,
        target_type="provision_class",
        target_id=row.id,
        module=MODULE,
        gov_stat_code=data.gov_stat_code,
        code=data.code,
    )
    return row


async def update(uow: UnitOfWork, class_id: uuid.UUID, data: ClassPatch) -> ProvisionClassRow:
    values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    row = await _repo(uow).get(class_id)
    if values:
        row = await _repo(uow).update(class_id, **values)
        await audit(
            uow,
            "tables.class.updated",
            tenant_id=row.tenant_id,
            target_type="provision_class",
            target_id=class_id,
            module=MODULE,
            fields=sorted(values),
        )
    return row


async def delete(uow: UnitOfWork, class_id: uuid.UUID) -> None:
    row = await _repo(uow).get(class_id)
    used = await uow.fetchval("SELECT count(*) FROM table_file WHERE provision_class_id = $1", class_id)
    children = await uow.fetchval("SELECT count(*) FROM provision_class WHERE parent_id = $1", class_id)
    if used or children:
        raise Conflict("統計表ファイルや下位の分類が使っています / still used by table files or child classes")
    await _repo(uow).delete(class_id)
    await audit(
        uow,
        "tables.class.deleted",
        tenant_id=row.tenant_id,
        target_type="provision_class",
        target_id=class_id,
        module=MODULE,
        code=row.code,
    )
