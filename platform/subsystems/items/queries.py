"""Reads of the items database: public search (items and published questionnaires) and item pages.
Search folds the query like platform.text.japanese.substring_text folds the rows (kana, kanji readings, widths)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.items.definition import CodeOption
from govstat.platform.subsystems.items.schemas import (
    CodeListDoc,
    ItemDoc,
    ItemHit,
    ItemPage,
    ItemVersionDoc,
    QuestionnaireHit,
    QuestionnairePage,
    UsedIn,
)
from govstat.platform.subsystems.metadata import published as metadata_published
from govstat.platform.subsystems.metadata.published import SurveyRef
from govstat.platform.text.japanese import terms


def _like(w: Where, column: str, q: str) -> Where:
    for t in terms(q):
        escaped = t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        w.add(f"{column} LIKE {{}}", f"%{escaped}%")
    return w


async def search_items(uow: UnitOfWork, q: str, limit: int, offset: int) -> ItemPage:
    w = _like(Where().add("v.version = i.current_version"), "v.search", q)
    base = f"FROM items_item i JOIN items_item_version v ON v.item_id = i.id WHERE {w}"
    total = await uow.fetchval(f"SELECT count(*) {base}", *w.args)
    n = len(w.args)
    rows = await uow.rows(
        ItemHit,
        f"SELECT i.id, v.version, v.label_ja, v.label_en, v.answer_type, v.unit, v.definition_ja {base}"
        f" ORDER BY v.label_ja, i.id LIMIT ${n + 1} OFFSET ${n + 2}",
        *w.args,
        limit,
        offset,
    )
    return ItemPage(total=total, offset=offset, items=rows)


async def search_questionnaires(uow: UnitOfWork, q: str, limit: int, offset: int) -> QuestionnairePage:
    w = _like(Where().add("v.status = 'published'"), "v.search", q)
    base = f"FROM items_questionnaire q JOIN items_questionnaire_version v ON v.questionnaire_id = q.id WHERE {w}"
    total = await uow.fetchval(f"SELECT count(*) {base}", *w.args)
    n = len(w.args)
    rows = await uow.rows(
        QuestionnaireHit,
        f"SELECT q.id::text AS id, v.version, v.title_ja, q.survey, q.cycle, v.respondent_unit {base}"
        f" ORDER BY q.cycle DESC, v.title_ja LIMIT ${n + 1} OFFSET ${n + 2}",
        *w.args,
        limit,
        offset,
    )
    return QuestionnairePage(total=total, offset=offset, items=rows)


async def code_list(uow: UnitOfWork, list_id: str, version: int) -> CodeListDoc | None:
    row = await uow.fetchrow(
        "SELECT code_list_id, version, name_ja, name_en, classification_version, options::text AS options"
        " FROM items_code_list_version WHERE code_list_id = $1 AND version = $2",
        list_id,
        version,
    )
    if row is None:
        return None
    return CodeListDoc(
        id=row["code_list_id"],
        version=row["version"],
        name_ja=row["name_ja"],
        name_en=row["name_en"],
        classification_version=row["classification_version"],
        options=msgspec.json.decode(row["options"], type=list[CodeOption]),
    )


async def item_doc(uow: UnitOfWork, item_id: str) -> ItemDoc:
    head = await uow.fetchrow(
        "SELECT i.id, i.current_version, u.code, u.name_ja FROM items_item i"
        " LEFT JOIN items_definition_unit u ON u.id = i.definition_unit_id WHERE i.id = $1",
        item_id,
    )
    if head is None:
        raise NotFound(f"調査項目 {item_id} は登録されていません / no item {item_id}")
    versions = await uow.rows(
        ItemVersionDoc,
        "SELECT version, label_ja, label_en, definition_ja, definition_en, answer_type, unit, minimum, maximum, max_length,"
        " code_list_id, code_list_version, fixed FROM items_item_version WHERE item_id = $1 ORDER BY version DESC",
        item_id,
    )
    current = versions[0]
    codes = None
    if current.code_list_id is not None:
        latest = await uow.fetchval("SELECT current_version FROM items_code_list WHERE id = $1", current.code_list_id)
        codes = await code_list(uow, current.code_list_id, latest)
    used = await uow.rows(
        UsedIn,
        "SELECT qi.questionnaire_id::text AS questionnaire_id, qi.version, v.status, v.title_ja, q.survey, q.cycle, qi.item_version"
        " FROM items_questionnaire_item qi JOIN items_questionnaire_version v USING (questionnaire_id, version)"
        " JOIN items_questionnaire q ON q.id = qi.questionnaire_id"
        " WHERE qi.item_id = $1 ORDER BY q.cycle DESC, v.title_ja, qi.version DESC",
        item_id,
    )
    return ItemDoc(
        id=head["id"],
        current_version=head["current_version"],
        definition_unit=head["code"],
        definition_unit_name=head["name_ja"],
        versions=versions,
        code_list=codes,
        used_in=used,
    )


class Version(msgspec.Struct, kw_only=True):
    version: int
    status: str
    published_at: dt.datetime | None


async def history(uow: UnitOfWork, questionnaire_id: uuid.UUID) -> list[Version]:
    """The versions of a questionnaire the caller may see (published ones for the public), newest first."""
    return await uow.rows(
        Version,
        "SELECT version, status, published_at FROM items_questionnaire_version WHERE questionnaire_id = $1 ORDER BY version DESC",
        questionnaire_id,
    )


async def metadata_records(uow: UnitOfWork, survey: str) -> list[SurveyRef]:
    """The metadata registry's published records of the survey's statistic (when it names one)."""
    if not re.fullmatch(r"\d{8}", survey):
        return []
    return await metadata_published.surveys_of_statistic(uow, survey)


class Latest(msgspec.Struct, kw_only=True):
    version: int
    status: str
    definition: str  # JSON text


async def latest(uow: UnitOfWork, questionnaire_id: uuid.UUID) -> Latest:
    """The caller's own questionnaire's newest version (its draft, or else its published one)."""
    w = Where().scoped(uow).add("questionnaire_id = {}", questionnaire_id)
    found = await uow.row(
        Latest,
        f"SELECT version, status, definition::text AS definition FROM items_questionnaire_version WHERE {w} ORDER BY version DESC LIMIT 1",
        *w.args,
    )
    if found is None:
        raise NotFound("調査票が見つかりません / questionnaire not found")
    return found


async def item_ids(uow: UnitOfWork, limit: int = 2000) -> list[str]:
    """Registered item ids for the builder's suggestions (the caller's own first)."""
    rows = await uow.fetch(
        "SELECT id FROM items_item ORDER BY (tenant_id IS DISTINCT FROM govstat_scope_tenant()), id LIMIT $1", limit
    )
    return [r["id"] for r in rows]
