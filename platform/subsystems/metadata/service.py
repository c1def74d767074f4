"""Use cases of the statistical metadata registry (METADATA-1): register, update, finalise (確定),
approve (承認) and send back (差戻し). One unit of work per use case; each change is audited in the
same transaction.

A record's versions: draft -> finalised (the agency) -> published (the operator approves) ->
superseded (when a later version is approved). Changing a record whose current version is
published opens a new draft (version n+1) while version n stays published; the operator's
approval of n+1 supersedes n in the same transaction."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.metadata import content, documents, queries
from govstat.platform.subsystems.metadata.events import SurveyFinalised, SurveyPublished
from govstat.platform.subsystems.metadata.rows import ClassificationRow, Survey, TableLinkIds
from govstat.platform.subsystems.metadata.schemas import (
    SURVEY_FIELDS,
    ClassificationIn,
    RecordView,
    SurveyIn,
    SurveyPatch,
    TableLinkIn,
    given,
)

MODULE = "metadata"
TARGET = "metadata_record"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def create(uow: UnitOfWork, data: SurveyIn) -> RecordView:
    """A new record and its version 1 (a draft), for a statistic of the caller's own agency."""
    problems = content.Problems()
    await content.check_statistic(uow, data.gov_stat_code, problems)
    fields = Survey(**{f: getattr(data, f) for f in SURVEY_FIELDS})
    content.check_period(fields, problems)
    content.check_items(data.items, problems)
    classes = await content.resolve_classifications(uow, data.classifications, {i.name for i in data.items}, problems)
    await content.check_tables(uow, data.tables, data.gov_stat_code, problems)
    problems.raise_if_any()
    tenant_id = uow.scope.tenant_id
    assert tenant_id is not None  # check_statistic refused a scope without a tenant
    record_id, version_id = uuid.uuid4(), uuid.uuid4()
    await uow.execute(
        "INSERT INTO metadata_record (id, tenant_id, gov_stat_code, created_by) VALUES ($1, $2, $3, $4)",
        record_id,
        tenant_id,
        data.gov_stat_code,
        uow.scope.actor,
    )
    await _insert_version(uow, version_id, record_id, tenant_id, 1, fields)
    await content.write_items(uow, version_id, tenant_id, data.items)
    await content.write_classifications(uow, version_id, tenant_id, classes)
    await content.write_tables(uow, version_id, tenant_id, data.tables)
    await audit(
        uow,
        "metadata.survey.created",
        tenant_id=tenant_id,
        target_type=TARGET,
        target_id=record_id,
        module=MODULE,
        version=1,
        gov_stat_code=data.gov_stat_code,
        survey_name=data.survey_name,
        items=len(data.items),
        classifications=len(classes),
        tables=len(data.tables),
    )
    return await queries.record_view(uow, record_id)


async def _insert_version(
    uow: UnitOfWork,
    version_id: uuid.UUID,
    record_id: uuid.UUID,
    tenant_id: uuid.UUID,
    version_no: int,
    fields: Survey,
) -> None:
    cols = ", ".join(SURVEY_FIELDS)
    marks = ", ".join(f"${n}" for n in range(6, 6 + len(SURVEY_FIELDS)))
    await uow.execute(
        f"INSERT INTO metadata_version (id, record_id, tenant_id, version_no, created_by, {cols})"
        f" VALUES ($1, $2, $3, $4, $5, {marks})",
        version_id,
        record_id,
        tenant_id,
        version_no,
        uow.scope.actor,
        *[getattr(fields, f) for f in SURVEY_FIELDS],
    )


async def update(uow: UnitOfWork, record_id: uuid.UUID, patch: SurveyPatch) -> RecordView:
    """Change the open draft. If the record has no open version (its current version is published),
    the change opens version n+1 as a draft, carrying over what the patch does not change; the
    published version stays what the public sees until the new one is approved. A finalised
    version waits for the operator: changing it is refused (409)."""
    changes = given(patch)
    if not changes:
        raise InvalidInput.field("body", "変更する項目を指定してください / nothing to change")
    record = await queries.record_row(uow, record_id, for_update=True)
    opened = await queries.open_version(uow, record_id, for_update=True)
    if opened is not None and opened.status != "draft":
        raise InvalidTransition(
            f"第{opened.version_no}版は確定済みで承認待ちです。変更は差戻し後にできます"
            f" / version {opened.version_no} is finalised and awaits approval: it can be"
            " changed once the operator sends it back"
        )
    base = opened or await queries.published_version(uow, record_id)
    if base is None:  # cannot happen: a record always has an open or a published version
        raise NotFound(f"メタデータ {record_id} の版がありません / metadata {record_id} has no version")
    fields = msgspec.structs.replace(base.survey(), **{f: getattr(patch, f) for f in changes if f in SURVEY_FIELDS})
    problems = content.Problems()
    content.check_period(fields, problems)
    new_items = patch.items if isinstance(patch.items, list) else None
    if new_items is not None:
        content.check_items(new_items, problems)
    item_names = (
        {i.name for i in new_items} if new_items is not None else {i.name for i in await documents.items(uow, base.id)}
    )
    new_classes: list[ClassificationIn] | None = (
        patch.classifications if isinstance(patch.classifications, list) else None
    )
    new_tables: list[TableLinkIn] | None = patch.tables if isinstance(patch.tables, list) else None
    classes: list[ClassificationRow] | None = None
    if new_classes is not None:
        classes = await content.resolve_classifications(uow, new_classes, item_names, problems)
    elif new_items is not None:  # the kept classifications must still name existing items
        for c in await documents.classifications(uow, base.id):
            if c.applies_to and c.applies_to not in item_names:
                problems.add(
                    f"classifications[{c.position - 1}].applies_to",
                    f"項目「{c.applies_to}」がなくなります / no item named {c.applies_to!r} any more",
                )
    if new_tables is not None:
        await content.check_tables(uow, new_tables, record.gov_stat_code, problems)
    problems.raise_if_any()

    tenant_id = record.tenant_id
    if opened is not None:
        version_id, version_no, new_version = opened.id, opened.version_no, False
        sets = ", ".join(f"{f} = ${n}" for n, f in enumerate(SURVEY_FIELDS, 2))
        await uow.execute(
            f"UPDATE metadata_version SET {sets}, updated_at = now() WHERE id = $1",
            version_id,
            *[getattr(fields, f) for f in SURVEY_FIELDS],
        )
    else:
        version_id, new_version = uuid.uuid4(), True
        version_no = int(
            await uow.fetchval("SELECT max(version_no) + 1 FROM metadata_version WHERE record_id = $1", record_id)
        )
        await _insert_version(uow, version_id, record_id, tenant_id, version_no, fields)
        keep = [
            t
            for t, k in (
                ("metadata_item", "items"),
                ("metadata_classification", "classifications"),
                ("metadata_table_link", "tables"),
            )
            if k not in changes
        ]
        await content.copy_content(uow, base.id, version_id, keep)
    if new_items is not None:
        await content.write_items(uow, version_id, tenant_id, new_items)
    if classes is not None:
        await content.write_classifications(uow, version_id, tenant_id, classes)
    if new_tables is not None:
        await content.write_tables(uow, version_id, tenant_id, new_tables)
    await audit(
        uow,
        "metadata.survey.updated",
        tenant_id=tenant_id,
        target_type=TARGET,
        target_id=record_id,
        module=MODULE,
        version=version_no,
        new_version=new_version,
        fields=sorted(changes),
    )
    return await queries.record_view(uow, record_id)


async def finalise(uow: UnitOfWork, record_id: uuid.UUID) -> RecordView:
    """確定: the agency fixes the draft's content and asks the operator to approve it. The draft must
    be complete (purpose, legal basis, population, cycle, method and at least one item)."""
    record = await queries.record_row(uow, record_id, for_update=True)
    opened = await queries.open_version(uow, record_id, for_update=True)
    if opened is None or opened.status != "draft":
        state = opened.status if opened else "published"
        raise InvalidTransition(
            f"確定できるのは下書きだけです（現在: {queries.STATUS_NAMES[state]}）"
            f" / only a draft is finalised (it is {state})"
        )
    problems = content.Problems()
    content.check_complete(opened, len(await documents.items(uow, opened.id)), problems)
    problems.raise_if_any()
    await uow.execute(
        "UPDATE metadata_version SET status = 'finalised', finalised_at = now(), finalised_by = $2,"
        " updated_at = now() WHERE id = $1",
        opened.id,
        uow.scope.actor,
    )
    await audit(
        uow,
        "metadata.survey.finalised",
        tenant_id=record.tenant_id,
        target_type=TARGET,
        target_id=record_id,
        module=MODULE,
        version=opened.version_no,
    )
    await emit(
        uow,
        SurveyFinalised(
            record_id=record_id,
            version=opened.version_no,
            gov_stat_code=record.gov_stat_code,
            survey_name=opened.survey_name,
        ),
        tenant_id=record.tenant_id,
    )
    return await queries.record_view(uow, record_id)


async def approve(uow: UnitOfWork, record_id: uuid.UUID) -> RecordView:
    """承認: the operator publishes the finalised version; the version published before it, if any,
    is superseded in the same transaction (the public never sees none, never two)."""
    record = await queries.record_row(uow, record_id, for_update=True)
    opened = await queries.open_version(uow, record_id, for_update=True)
    if opened is None or opened.status != "finalised":
        state = opened.status if opened else "published"
        raise InvalidTransition(
            f"承認できるのは確定済みの版だけです（現在: {queries.STATUS_NAMES[state]}）"
            f" / only a finalised version is approved (it is {state})"
        )
    previous = await queries.published_version(uow, record_id, for_update=True)
    now = _now()
    if previous is not None:
        await uow.execute(
            "UPDATE metadata_version SET status = 'superseded', superseded_at = $2, updated_at = $2 WHERE id = $1",
            previous.id,
            now,
        )
    await uow.execute(
        "UPDATE metadata_version SET status = 'published', approved_at = $2, approved_by = $3,"
        " published_at = $2, review_note = '', updated_at = $2 WHERE id = $1",
        opened.id,
        now,
        uow.scope.actor,
    )
    links = await uow.rows(
        TableLinkIds,
        "SELECT stats_data_id, table_file_id FROM metadata_table_link WHERE version_id = $1 ORDER BY position",
        opened.id,
    )
    await audit(
        uow,
        "metadata.survey.approved",
        tenant_id=record.tenant_id,
        target_type=TARGET,
        target_id=record_id,
        module=MODULE,
        version=opened.version_no,
        superseded_version=previous.version_no if previous else None,
    )
    await emit(
        uow,
        SurveyPublished(
            record_id=record_id,
            version=opened.version_no,
            gov_stat_code=record.gov_stat_code,
            survey_name=opened.survey_name,
            stats_data_ids=[l.stats_data_id for l in links if l.stats_data_id],
            table_file_ids=[l.table_file_id for l in links if l.table_file_id],
        ),
        tenant_id=record.tenant_id,
    )
    return await queries.record_view(uow, record_id)


async def reject(uow: UnitOfWork, record_id: uuid.UUID, reason: str) -> RecordView:
    """差戻し: the operator sends a finalised version back to the agency as a draft, with the reason."""
    record = await queries.record_row(uow, record_id, for_update=True)
    opened = await queries.open_version(uow, record_id, for_update=True)
    if opened is None or opened.status != "finalised":
        state = opened.status if opened else "published"
        raise InvalidTransition(
            f"差し戻せるのは確定済みの版だけです（現在: {queries.STATUS_NAMES[state]}）"
            f" / only a finalised version is sent back (it is {state})"
        )
    await uow.execute(
        "UPDATE metadata_version SET status = 'draft', finalised_at = NULL, finalised_by = NULL,"
        " review_note = $2, updated_at = now() WHERE id = $1",
        opened.id,
        reason,
    )
    await audit(
        uow,
        "metadata.survey.rejected",
        tenant_id=record.tenant_id,
        target_type=TARGET,
        target_id=record_id,
        module=MODULE,
        version=opened.version_no,
        reason=reason,
    )
    return await queries.record_view(uow, record_id)
