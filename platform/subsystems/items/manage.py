"""What the maintenance page shows (the caller's definition units, code lists, items and
questionnaires; the operator sees every agency's) and the parsing of its plain-text code list form."""

from __future__ import annotations

import csv
import io
import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import own
from govstat.platform.errors import InvalidInput


class UnitRow(msgspec.Struct, kw_only=True):
    code: str
    name_ja: str
    name_en: str


class ListRow(msgspec.Struct, kw_only=True):
    id: str
    version: int
    name_ja: str
    codes: int
    fixed: bool


class ItemRow(msgspec.Struct, kw_only=True):
    id: str
    version: int
    label_ja: str
    answer_type: str
    unit: str
    fixed: bool


class QuestionnaireRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    version: int
    status: str
    title_ja: str
    survey: str
    cycle: str


class Overview(msgspec.Struct, kw_only=True):
    units: list[UnitRow]
    lists: list[ListRow]
    items: list[ItemRow]
    questionnaires: list[QuestionnaireRow]


async def overview(uow: UnitOfWork, limit: int = 500) -> Overview:
    scope = own(uow.scope)
    mine = own(uow.scope, "i.")
    return Overview(
        units=await uow.rows(
            UnitRow,
            f"SELECT code, name_ja, name_en FROM items_definition_unit WHERE {scope} ORDER BY code LIMIT $1",
            limit,
        ),
        lists=await uow.rows(
            ListRow,
            "SELECT c.id, v.version, v.name_ja, jsonb_array_length(v.options) AS codes, v.fixed FROM items_code_list c"
            f" JOIN items_code_list_version v ON v.code_list_id = c.id AND v.version = c.current_version WHERE {own(uow.scope, 'c.')}"
            " ORDER BY c.id LIMIT $1",
            limit,
        ),
        items=await uow.rows(
            ItemRow,
            "SELECT i.id, v.version, v.label_ja, v.answer_type, v.unit, v.fixed FROM items_item i"
            f" JOIN items_item_version v ON v.item_id = i.id AND v.version = i.current_version WHERE {mine} ORDER BY i.id LIMIT $1",
            limit,
        ),
        questionnaires=await uow.rows(
            QuestionnaireRow,
            "SELECT q.id, v.version, v.status, v.title_ja, q.survey, q.cycle FROM items_questionnaire q"
            f" JOIN items_questionnaire_version v ON v.questionnaire_id = q.id WHERE {own(uow.scope, 'q.')}"
            " AND v.status <> 'superseded' ORDER BY q.cycle DESC, v.title_ja, v.version DESC LIMIT $1",
            limit,
        ),
    )


def code_list_body(values: dict[str, str]) -> dict[str, object]:
    """The code list form: id, names, classification version, and one code a line ("1,男,Male")."""
    options = []
    for n, row in enumerate(csv.reader(io.StringIO(values.get("options", ""))), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise InvalidInput.field(
                "options", f"{n}行目: 「符号,名称[,英語名]」の形で / line {n}: code,label[,English label]"
            )
        options.append({"code": cells[0], "label_ja": cells[1], "label_en": cells[2] if len(cells) > 2 else ""})
    body: dict[str, object] = {k: values.get(k, "") for k in ("id", "name_ja", "name_en")}
    if values.get("classification_version"):
        body["classification_version"] = values["classification_version"]
    body["options"] = options
    return body
