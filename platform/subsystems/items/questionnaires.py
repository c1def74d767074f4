"""Use cases of questionnaires (調査票): save a draft definition (from the builder or an upload) and
publish it. A definition is built of registered items only: on save each question's answer spec
(type, unit, range, code list) is taken from the item's current version, and the code lists from the
registry, so nothing about an item is written twice. Publishing fixes the definition and the item
and code list versions it uses; a later edit opens version n+1 while n stays published until n+1
is published (then n is superseded)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import FieldError, Forbidden, InvalidInput, InvalidTransition, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.items.definition import (
    CodeList,
    CodeOption,
    Definition,
    Question,
    check_definition,
    questions,
)
from govstat.platform.subsystems.items.events import QuestionnairePublished
from govstat.platform.subsystems.items.rows import CodeListVersionRow, ItemVersionRow
from govstat.platform.text.japanese import substring_text as index_text

MODULE = "items"


async def resolve(uow: UnitOfWork, definition: Definition) -> Definition:
    """The definition with every question's answer spec and code list from the registry; InvalidInput
    names each unregistered item and each structural problem."""
    qs = questions(definition)
    ids = [q.item_id for q in qs]
    items = {
        r.item_id: r
        for r in await uow.rows(
            ItemVersionRow,
            "SELECT v.* FROM items_item i JOIN items_item_version v ON v.item_id = i.id AND v.version = i.current_version WHERE i.id = ANY($1::text[])",
            ids,
        )
    }
    errors = [
        FieldError(q.item_id, f"「{q.label_ja}」: 未登録の調査項目です / not a registered item")
        for q in qs
        if q.item_id not in items
    ]
    if errors:
        raise InvalidInput("登録されていない調査項目があります / unregistered items", errors=errors)
    bases = {
        (r.item_id, r.version): r
        for r in await uow.rows(
            ItemVersionRow,
            "SELECT * FROM items_item_version WHERE (item_id, version) IN (SELECT * FROM unnest($1::text[], $2::int[]))",
            ids,
            [q.item_version for q in qs],
        )
    }

    def bound(q: Question, name: str) -> Decimal | None:
        """The question's own bound when it narrows the item's (it differs from the bound of the item
        version it was built from); otherwise the item's current bound."""
        r = items[q.item_id]
        own: Decimal | None = getattr(q, name)
        current: Decimal | None = getattr(r, name)
        base = bases.get((q.item_id, q.item_version))
        if own is None or r.answer_type not in ("integer", "decimal") or (base and getattr(base, name) == own):
            return current
        if (r.minimum is not None and own < r.minimum) or (r.maximum is not None and own > r.maximum):
            lo, hi = r.minimum if r.minimum is not None else "", r.maximum if r.maximum is not None else ""
            errors.append(
                FieldError(
                    f"{q.item_id}.{name}", f"調査項目の範囲 {lo}〜{hi} の内側にしてください / within the item's range"
                )
            )
        return own

    list_ids = sorted({r.code_list_id for r in items.values() if r.code_list_id})
    lists = await uow.rows(
        CodeListVersionRow,
        "SELECT v.code_list_id, v.version, v.name_ja, v.name_en, v.classification_version, v.options::text AS options, v.fixed"
        " FROM items_code_list c JOIN items_code_list_version v ON v.code_list_id = c.id AND v.version = c.current_version"
        " WHERE c.id = ANY($1::text[]) ORDER BY c.id",
        list_ids,
    )

    def spec(q: Question) -> Question:
        r = items[q.item_id]
        return msgspec.structs.replace(
            q,
            item_version=r.version,
            label_ja=q.label_ja or r.label_ja,
            label_en=q.label_en or r.label_en,
            answer_type=r.answer_type,
            unit=r.unit,
            minimum=bound(q, "minimum"),
            maximum=bound(q, "maximum"),
            max_length=r.max_length,
            code_list=r.code_list_id,
        )

    sections = tuple(
        msgspec.structs.replace(s, questions=tuple(spec(q) for q in s.questions)) for s in definition.sections
    )
    code_lists = tuple(
        CodeList(
            id=c.code_list_id,
            version=c.version,
            name_ja=c.name_ja,
            name_en=c.name_en,
            classification_version=c.classification_version,
            options=msgspec.json.decode(c.options, type=tuple[CodeOption, ...]),
        )
        for c in lists
    )
    if errors:
        raise InvalidInput("範囲が調査項目の範囲を超えています / a range beyond its item's", errors=errors)
    resolved = msgspec.structs.replace(definition, sections=sections, code_lists=code_lists)
    problems = check_definition(resolved)
    if problems:
        raise InvalidInput("; ".join(problems[:5]), errors=[FieldError("definition", p) for p in problems])
    return resolved


def _search(d: Definition) -> str:
    return index_text(d.title_ja, d.title_en, d.survey, d.cycle, *(q.label_ja for q in questions(d)))


async def save_draft(
    uow: UnitOfWork,
    definition: Definition,
    questionnaire_id: uuid.UUID | None = None,
    *,
    new_id: uuid.UUID | None = None,
) -> Definition:
    """Store the definition as the questionnaire's draft (a new questionnaire, with `new_id` or a
    fresh id, when no questionnaire_id is given)."""
    tenant = uow.scope.tenant_id
    if questionnaire_id is None:
        if tenant is None:
            raise Forbidden("調査票は利用機関が作成します / questionnaires are created by an agency")
        questionnaire_id = new_id or uuid.uuid4()
        await uow.execute(
            "INSERT INTO items_questionnaire (id, tenant_id, survey, cycle) VALUES ($1, $2, $3, $4)",
            questionnaire_id,
            tenant,
            definition.survey,
            definition.cycle,
        )
        version, draft = 1, False
    else:
        owner = await uow.fetchrow("SELECT tenant_id FROM items_questionnaire WHERE id = $1", questionnaire_id)
        if owner is None or (not uow.scope.cross_tenant and owner["tenant_id"] != tenant):
            raise NotFound("調査票が見つかりません / questionnaire not found")
        tenant = owner["tenant_id"]
        row = await uow.fetchrow(
            "SELECT max(version) AS last, bool_or(status = 'draft') AS draft FROM items_questionnaire_version WHERE questionnaire_id = $1",
            questionnaire_id,
        )
        draft = bool(row and row["draft"])
        version = (row["last"] or 0) + (0 if draft else 1) if row else 1
        await uow.execute(
            "UPDATE items_questionnaire SET survey = $2, cycle = $3 WHERE id = $1",
            questionnaire_id,
            definition.survey,
            definition.cycle,
        )
    resolved = await resolve(
        uow, msgspec.structs.replace(definition, questionnaire_id=str(questionnaire_id), version=version)
    )
    args = (
        questionnaire_id,
        version,
        resolved.title_ja,
        resolved.respondent_unit,
        msgspec.json.encode(resolved).decode(),
        _search(resolved),
    )
    if draft:
        await uow.execute(
            "UPDATE items_questionnaire_version SET title_ja = $3, respondent_unit = $4, definition = $5::jsonb, search = $6,"
            " updated_at = now() WHERE questionnaire_id = $1 AND version = $2",
            *args,
        )
    else:
        await uow.execute(
            "INSERT INTO items_questionnaire_version (questionnaire_id, version, tenant_id, title_ja, respondent_unit, definition, search)"
            " VALUES ($1, $2, $7, $3, $4, $5::jsonb, $6)",
            *args,
            tenant,
        )
    await audit(
        uow,
        "items.questionnaire.save",
        tenant_id=tenant,
        target_type="items_questionnaire",
        target_id=str(questionnaire_id),
        module=MODULE,
        version=version,
    )
    return resolved


async def publish(uow: UnitOfWork, questionnaire_id: uuid.UUID) -> Definition:
    """Publish the draft (re-resolved against the registry); the former published version is superseded."""
    row = await uow.fetchrow(
        "SELECT v.version, v.tenant_id, v.definition::text AS definition FROM items_questionnaire_version v"
        " WHERE v.questionnaire_id = $1 AND v.status = 'draft' AND ("
        + ("true" if uow.scope.cross_tenant else "v.tenant_id = govstat_scope_tenant()")
        + ")",
        questionnaire_id,
    )
    if row is None:
        if await uow.fetchval(
            "SELECT 1 FROM items_questionnaire WHERE id = $1 AND (tenant_id = govstat_scope_tenant() OR $2)",
            questionnaire_id,
            uow.scope.cross_tenant,
        ):
            raise InvalidTransition("公開する下書きがありません / no draft to publish")
        raise NotFound("調査票が見つかりません / questionnaire not found")
    definition = await resolve(uow, msgspec.json.decode(row["definition"], type=Definition))
    version, tenant = row["version"], row["tenant_id"]
    former = await uow.fetchval(
        "UPDATE items_questionnaire_version SET status = 'superseded' WHERE questionnaire_id = $1 AND status = 'published' RETURNING version",
        questionnaire_id,
    )
    await uow.execute(
        "UPDATE items_questionnaire_version SET status = 'published', published_at = $3, definition = $4::jsonb, updated_at = now()"
        " WHERE questionnaire_id = $1 AND version = $2",
        questionnaire_id,
        version,
        dt.datetime.now(dt.UTC),
        msgspec.json.encode(definition).decode(),
    )
    qs = questions(definition)
    await uow.execute(
        "INSERT INTO items_questionnaire_item (questionnaire_id, version, tenant_id, position, item_id, item_version)"
        " SELECT $1, $2, $3, p, i, v FROM unnest($4::int[], $5::text[], $6::int[]) AS t(p, i, v)",
        questionnaire_id,
        version,
        tenant,
        list(range(1, len(qs) + 1)),
        [q.item_id for q in qs],
        [q.item_version for q in qs],
    )
    await uow.execute(
        "UPDATE items_item_version SET fixed = true WHERE (item_id, version) IN (SELECT * FROM unnest($1::text[], $2::int[])) AND NOT fixed",
        [q.item_id for q in qs],
        [q.item_version for q in qs],
    )
    await uow.execute(
        "UPDATE items_code_list_version SET fixed = true WHERE (code_list_id, version) IN (SELECT * FROM unnest($1::text[], $2::int[])) AND NOT fixed",
        [c.id for c in definition.code_lists],
        [c.version for c in definition.code_lists],
    )
    await audit(
        uow,
        "items.questionnaire.publish",
        tenant_id=tenant,
        target_type="items_questionnaire",
        target_id=str(questionnaire_id),
        module=MODULE,
        version=version,
    )
    event = QuestionnairePublished(
        questionnaire_id=questionnaire_id,
        version=version,
        survey=definition.survey,
        cycle=definition.cycle,
        superseded_version=former,
    )
    await emit(uow, event, tenant_id=tenant)
    return definition
