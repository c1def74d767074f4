"""Use cases of the registry (ITEMS-2): definition units, code lists and survey items with their
answer items. Saving an item or code list whose current version a published questionnaire uses
makes the next version (the published one keeps the version it was built on); otherwise the current
version is edited in place. One unit of work per use case, audited in its transaction."""

from __future__ import annotations

import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Forbidden, InvalidInput, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.classification import published as classification_published
from govstat.platform.subsystems.items.definition import CodeOption
from govstat.platform.subsystems.items.events import ItemVersioned
from govstat.platform.subsystems.items.schemas import ClassificationListIn, CodeListIn, DefinitionUnitIn, ItemIn, Saved
from govstat.platform.text.japanese import substring_text as index_text

MODULE = "items"


def _tenant(uow: UnitOfWork) -> uuid.UUID:
    if uow.scope.tenant_id is None:
        raise Forbidden("調査項目は利用機関の利用者が登録します / items are registered by an agency's users")
    return uow.scope.tenant_id


async def _owner(uow: UnitOfWork, table: str, key: str) -> tuple[uuid.UUID, int] | None:
    """(tenant, current version) of a registry row; refuses another tenant's row as not found."""
    row = await uow.fetchrow(f"SELECT tenant_id, current_version FROM {table} WHERE id = $1", key)
    if row is None:
        return None
    if not uow.scope.cross_tenant and row["tenant_id"] != uow.scope.tenant_id:
        raise NotFound(f"{key} は他の機関の登録です / {key} belongs to another agency")
    return row["tenant_id"], row["current_version"]


async def save_definition_unit(uow: UnitOfWork, data: DefinitionUnitIn) -> str:
    tenant = _tenant(uow)
    unit_id = await uow.fetchval(
        "INSERT INTO items_definition_unit (id, tenant_id, code, name_ja, name_en, description) VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (tenant_id, code) DO UPDATE SET name_ja = EXCLUDED.name_ja, name_en = EXCLUDED.name_en,"
        " description = EXCLUDED.description RETURNING id",
        uuid.uuid4(),
        tenant,
        data.code,
        data.name_ja,
        data.name_en,
        data.description,
    )
    await audit(
        uow,
        "items.definition_unit.save",
        tenant_id=tenant,
        target_type="items_definition_unit",
        target_id=str(unit_id),
        module=MODULE,
    )
    return str(unit_id)


async def save_code_list(uow: UnitOfWork, data: CodeListIn) -> Saved:
    codes = [o.code for o in data.options]
    if not codes or len(set(codes)) != len(codes) or any(not c.strip() for c in codes):
        raise InvalidInput.field("options", "符号は1つ以上、重複なく / at least one code, none repeated or empty")
    found = await _owner(uow, "items_code_list", data.id)
    tenant = found[0] if found else _tenant(uow)
    options = msgspec.json.encode(data.options).decode()
    cols = (data.name_ja, data.name_en, data.classification_version, options)
    if found is None:
        version, new = 1, False
        await uow.execute("INSERT INTO items_code_list (id, tenant_id) VALUES ($1, $2)", data.id, tenant)
    else:
        version = found[1]
        fixed = await uow.fetchval(
            "SELECT fixed FROM items_code_list_version WHERE code_list_id = $1 AND version = $2", data.id, version
        )
        new = bool(fixed)
        if not new:
            await uow.execute(
                "UPDATE items_code_list_version SET name_ja = $3, name_en = $4, classification_version = $5, options = $6::jsonb"
                " WHERE code_list_id = $1 AND version = $2",
                data.id,
                version,
                *cols,
            )
        else:
            version += 1
            await uow.execute("UPDATE items_code_list SET current_version = $2 WHERE id = $1", data.id, version)
    if found is None or new:
        await uow.execute(
            "INSERT INTO items_code_list_version (code_list_id, version, tenant_id, name_ja, name_en, classification_version, options)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)",
            data.id,
            version,
            tenant,
            *cols,
        )
    await audit(
        uow,
        "items.code_list.save",
        tenant_id=tenant,
        target_type="items_code_list",
        target_id=data.id,
        module=MODULE,
        version=version,
    )
    return Saved(id=data.id, version=version, new_version=new)


async def save_item(uow: UnitOfWork, data: ItemIn) -> Saved:
    if (data.answer_type == "code") != (data.code_list_id is not None):
        raise InvalidInput.field(
            "code_list_id", "符号型の回答項目だけが符号表を持ちます / only code answers have a code list"
        )
    if data.minimum is not None and data.maximum is not None and data.minimum > data.maximum:
        raise InvalidInput.field("minimum", "下限が上限を超えています / minimum above maximum")
    code_version = None
    if data.code_list_id is not None:
        code_version = await uow.fetchval(
            "SELECT current_version FROM items_code_list WHERE id = $1", data.code_list_id
        )
        if code_version is None:
            raise InvalidInput.field("code_list_id", f"符号表 {data.code_list_id} は未登録です / unknown code list")
    found = await _owner(uow, "items_item", data.id)
    tenant = found[0] if found else _tenant(uow)
    unit_id = None
    if data.definition_unit:
        unit_id = await uow.fetchval(
            "SELECT id FROM items_definition_unit WHERE tenant_id = $1 AND code = $2", tenant, data.definition_unit
        )
        if unit_id is None:
            raise InvalidInput.field(
                "definition_unit", f"定義単位 {data.definition_unit} は未登録です / unknown definition unit"
            )
    cols = (
        data.label_ja,
        data.label_en,
        data.definition_ja,
        data.definition_en,
        data.answer_type,
        data.unit,
        data.minimum,
        data.maximum,
        data.max_length,
        data.code_list_id,
        code_version,
        index_text(data.id, data.label_ja, data.label_en, data.definition_ja),
    )
    reason = "created"
    if found is None:
        version = 1
        await uow.execute(
            "INSERT INTO items_item (id, tenant_id, definition_unit_id) VALUES ($1, $2, $3)", data.id, tenant, unit_id
        )
    else:
        version = found[1]
        fixed = await uow.fetchval(
            "SELECT fixed FROM items_item_version WHERE item_id = $1 AND version = $2", data.id, version
        )
        reason = "new-version" if fixed else "edited"
        if fixed:
            version += 1
        await uow.execute(
            "UPDATE items_item SET current_version = $2, definition_unit_id = $3 WHERE id = $1",
            data.id,
            version,
            unit_id,
        )
    if reason == "edited":
        await uow.execute(
            "UPDATE items_item_version SET label_ja = $3, label_en = $4, definition_ja = $5, definition_en = $6, answer_type = $7,"
            " unit = $8, minimum = $9, maximum = $10, max_length = $11, code_list_id = $12, code_list_version = $13, search = $14"
            " WHERE item_id = $1 AND version = $2",
            data.id,
            version,
            *cols,
        )
    else:
        await uow.execute(
            "INSERT INTO items_item_version (item_id, version, tenant_id, label_ja, label_en, definition_ja, definition_en, answer_type,"
            " unit, minimum, maximum, max_length, code_list_id, code_list_version, search)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            data.id,
            version,
            tenant,
            *cols,
        )
    await audit(
        uow,
        "items.item.save",
        tenant_id=tenant,
        target_type="items_item",
        target_id=data.id,
        module=MODULE,
        version=version,
    )
    await emit(uow, ItemVersioned(item_id=data.id, version=version, reason=reason), tenant_id=tenant)
    return Saved(id=data.id, version=version, new_version=reason == "new-version")


async def code_list_from_classification(uow: UnitOfWork, data: ClassificationListIn) -> Saved:
    """A code list of one level of a classification version (JSIC, JSOC), linked to that version."""
    names = (await classification_published.versions(uow, [data.version])).get(data.version)
    if names is None:
        raise InvalidInput.field(
            "version", f"分類の版 {data.version} はありません / no classification version {data.version}"
        )
    rows = await classification_published.items_at_level(uow, data.version, data.level)
    if not rows:
        raise InvalidInput.field(
            "level", f"{data.version} に階層 {data.level} の項目はありません / no items at that level"
        )
    options = [CodeOption(code=r.code, label_ja=r.name_ja, label_en=r.name_en) for r in rows]
    name = data.name_ja or f"{names.name_ja}（{names.revision_ja}）"
    return await save_code_list(
        uow, CodeListIn(id=data.id, name_ja=name, classification_version=data.version, options=options)
    )
