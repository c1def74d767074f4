"""A version's content as both the owner and the public read it: its items, the classifications
used and the linked tables (with what the tables' own subsystems say of them now, through their
read interfaces: docs/decisions/0010)."""

from __future__ import annotations

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.metadata.rows import ClassificationRow, ItemRow, LinkRow, RecordRow, VersionRow
from govstat.platform.subsystems.metadata.schemas import AgencyRef, StatisticRef, TableLink, VersionContent
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.tables.published import file_refs

LINKS = """
SELECT position, stats_data_id, table_file_id, note FROM metadata_table_link WHERE version_id = $1 ORDER BY position
"""


def portal_url(stats_data_id: str) -> str:
    return f"/estat/tables/{stats_data_id}"


async def items(uow: UnitOfWork, version_id: uuid.UUID) -> list[ItemRow]:
    return await uow.rows(
        ItemRow,
        "SELECT position, code, name, definition, unit, value_type FROM metadata_item WHERE version_id = $1"
        " ORDER BY position",
        version_id,
    )


def _url(c: ClassificationRow) -> str | None:
    key, code = c.classification_version, c.item_code
    if not key:
        return None
    return f"/classification/versions/{key}/items/{code}" if code else f"/classification/versions/{key}"


async def classifications(uow: UnitOfWork, version_id: uuid.UUID) -> list[ClassificationRow]:
    rows = await uow.rows(
        ClassificationRow,
        "SELECT position, classification_version, classification_name, item_code, item_name, free_text, applies_to, note"
        " FROM metadata_classification WHERE version_id = $1 ORDER BY position",
        version_id,
    )
    for c in rows:
        c.url = _url(c)
    return rows


async def tables(uow: UnitOfWork, version_id: uuid.UUID, *, published_only: bool) -> list[TableLink]:
    """Linked tables with what their own subsystem says of them now. `portal_url` points to the
    table on the e-Stat portal once it is published (a table file: the database table it was
    handed over to)."""
    links = await uow.rows(LinkRow, LINKS, version_id)
    file_ids = [r.table_file_id for r in links if r.table_file_id]
    refs = await statdb.table_refs(
        uow, stats_data_ids=[r.stats_data_id for r in links if r.stats_data_id], source_file_ids=file_ids
    )
    by_id = {t.stats_data_id: t for t in refs}
    by_file = {t.source_file_id: t for t in refs if t.source_file_id}
    files = {f.id: f for f in await file_refs(uow, file_ids)}
    out = []
    for r in links:
        if r.stats_data_id:
            s = by_id.get(r.stats_data_id)
            published = bool(s and s.published)
            link = TableLink(
                position=r.position,
                kind="statdb",
                stats_data_id=r.stats_data_id,
                table_file_id=None,
                title=s.title if s else None,
                table_no=None,
                survey_date=s.survey_date if s else None,
                published=published,
                portal_url=portal_url(r.stats_data_id) if published else None,
                note=r.note,
            )
        else:
            f = files.get(r.table_file_id) if r.table_file_id else None
            h = by_file.get(r.table_file_id) if r.table_file_id else None
            handed = h.stats_data_id if h and h.published else None
            link = TableLink(
                position=r.position,
                kind="table_file",
                stats_data_id=handed,
                table_file_id=r.table_file_id,
                title=f.title if f else None,
                table_no=f.table_no if f else None,
                survey_date=f.survey_date if f else None,
                published=bool(f and f.published),
                portal_url=portal_url(handed) if handed else None,
                note=r.note,
            )
        if link.published or not published_only:
            out.append(link)
    return out


async def version_content(uow: UnitOfWork, v: VersionRow, *, public: bool) -> VersionContent:
    """One version with its content; the public's leaves out unpublished tables."""
    return VersionContent(
        version_id=v.id,
        version=v.version_no,
        status=v.status,
        survey=v.survey(),
        items=await items(uow, v.id),
        classifications=await classifications(uow, v.id),
        tables=await tables(uow, v.id, published_only=public),
    )


def statistic_of(record: RecordRow) -> StatisticRef:
    return StatisticRef(
        code=record.gov_stat_code,
        name=record.statistic_name,
        field_code=record.field_code,
        field_name=record.field_name,
    )


def agency_of(record: RecordRow) -> AgencyRef:
    return AgencyRef(code=record.agency_code, name=record.agency_name)
