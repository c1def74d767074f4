"""Published metadata as everyone sees it: search, the published document of a record (its current
or a former version), the metadata describing a database table or a table file, and the search
form's facets.

Row-level security already hides other tenants' drafts; these reads also name the published
status explicitly, so that a signed-in owner sees here exactly what the public sees."""

from __future__ import annotations

import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.metadata.documents import agency_of, portal_url, statistic_of, version_content
from govstat.platform.subsystems.metadata.queries import RECORD
from govstat.platform.subsystems.metadata.rows import CodeName, HistoryRow, RecordRow, SummaryRow, VersionRow
from govstat.platform.subsystems.metadata.schemas import (
    AgencyRef,
    ByFile,
    ByTable,
    DocLinks,
    PublishedDoc,
    StatisticRef,
    Summary,
    TableOfFile,
    TableOfTable,
)
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.tables.published import file_ref


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


SUMMARY_FROM = """
FROM metadata_version v JOIN metadata_record r ON r.id = v.record_id
JOIN directory_statistic g ON g.code = r.gov_stat_code
"""
SUMMARY = (
    """
SELECT r.id, v.version_no AS version, v.survey_name, v.survey_name_en, v.purpose, v.cycle, v.published_at,
       r.gov_stat_code, g.name_ja AS statistic_name, g.agency_code, g.agency_name, g.field_code,
       coalesce(g.field_name, '') AS field_name"""
    + SUMMARY_FROM
)


def summary(r: SummaryRow) -> Summary:
    return Summary(
        id=r.id,
        version=r.version,
        survey_name=r.survey_name,
        survey_name_en=r.survey_name_en,
        purpose=r.purpose,
        cycle=r.cycle,
        published_at=r.published_at,
        statistic=StatisticRef(
            code=r.gov_stat_code, name=r.statistic_name, field_code=r.field_code, field_name=r.field_name
        ),
        agency=AgencyRef(code=r.agency_code, name=r.agency_name),
        url=f"/metadata/{r.id}",
        api=f"/api/metadata/surveys/{r.id}",
    )


async def search_published(
    uow: UnitOfWork,
    *,
    q: str | None = None,
    agency: str | None = None,
    field: str | None = None,
    gov_stat_code: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[Summary]]:
    """Published metadata (the current version of each record). Every word of `q` must appear in
    the survey's names, purpose, population, the statistic's name or code, or an item's name or
    definition."""
    w = Where().add("v.status = 'published'")
    for term in (q or "").split()[:10]:
        n = w.param(_like(term))
        w.add(
            f"(concat_ws(' ', v.survey_name, v.survey_name_en, v.purpose, v.population, g.name_ja, r.gov_stat_code)"
            f" ILIKE {n} OR EXISTS (SELECT 1 FROM metadata_item i WHERE i.version_id = v.id"
            f" AND (i.name ILIKE {n} OR i.definition ILIKE {n})))"
        )
    w.eq("g.agency_code", agency).eq("g.field_code", field).eq("r.gov_stat_code", gov_stat_code)
    total: int = await uow.fetchval(f"SELECT count(*) {SUMMARY_FROM} WHERE {w}", *w.args)
    rows = await uow.rows(
        SummaryRow,
        f"{SUMMARY} WHERE {w} ORDER BY v.published_at DESC, r.id LIMIT {int(limit)} OFFSET {int(offset)}",
        *w.args,
    )
    return total, [summary(r) for r in rows]


async def published(uow: UnitOfWork, record_id: uuid.UUID, version: int | None = None) -> PublishedDoc:
    """The published document of a record (its current version, or a former published one)."""
    record = await uow.row(RecordRow, f"{RECORD} WHERE r.id = $1", record_id)
    if version is None:
        v = await uow.row(
            VersionRow, "SELECT * FROM metadata_version WHERE record_id = $1 AND status = 'published'", record_id
        )
    else:
        v = await uow.row(
            VersionRow,
            "SELECT * FROM metadata_version WHERE record_id = $1 AND version_no = $2"
            " AND status IN ('published', 'superseded')",
            record_id,
            version,
        )
    if record is None or v is None:
        what = f"{record_id}" + (f" 第{version}版 / version {version}" if version else "")
        raise NotFound(f"公開されたメタデータ {what} が見つかりません / no published metadata {what}")
    history = await uow.rows(
        HistoryRow,
        "SELECT version_no AS version, status, published_at, superseded_at FROM metadata_version"
        " WHERE record_id = $1 AND status IN ('published', 'superseded') ORDER BY version_no",
        record_id,
    )
    base = f"/api/metadata/surveys/{record_id}"
    return PublishedDoc(
        id=record_id,
        statistic=statistic_of(record),
        agency=agency_of(record),
        **msgspec.structs.asdict(await version_content(uow, v, public=True)),
        published_at=v.published_at,
        superseded_at=v.superseded_at,
        history=history,
        links=DocLinks(
            page=f"/metadata/{record_id}", api=base, json=f"{base}/export?format=json", ddi=f"{base}/export?format=ddi"
        ),
    )


async def by_table(uow: UnitOfWork, stats_data_id: str) -> ByTable:
    """The published metadata that describes a database table: linked to it, or to the table file it
    was handed over from (`items`); and the published metadata of the same statistic (`related`).
    The table itself must be one the caller may see (the public: published and due)."""
    table = await statdb.table_ref(uow, stats_data_id)
    if table is None:
        raise NotFound(f"統計表 {stats_data_id} が見つかりません / table {stats_data_id} not found")
    linked = await uow.rows(
        SummaryRow,
        f"""{SUMMARY} WHERE v.status = 'published' AND v.id IN (
              SELECT l.version_id FROM metadata_table_link l
              WHERE l.stats_data_id = $1 OR ($2::uuid IS NOT NULL AND l.table_file_id = $2::uuid))
            ORDER BY v.published_at DESC""",
        stats_data_id,
        table.source_file_id,
    )
    related = await uow.rows(
        SummaryRow,
        f"{SUMMARY} WHERE v.status = 'published' AND r.gov_stat_code = $1"
        f" AND NOT (r.id = ANY($2::uuid[])) ORDER BY v.published_at DESC",
        table.gov_stat_code,
        [r.id for r in linked],
    )
    return ByTable(
        stats_data_id=stats_data_id,
        table=TableOfTable(
            title=table.title,
            gov_stat_code=table.gov_stat_code,
            published=table.published,
            portal_url=portal_url(stats_data_id),
        ),
        items=[summary(r) for r in linked],
        related=[summary(r) for r in related],
    )


async def by_file(uow: UnitOfWork, file_id: uuid.UUID) -> ByFile:
    """The published metadata that links a table file (TABLES-2), or the database table handed over from it."""
    row = await file_ref(uow, file_id)
    if row is None:
        raise NotFound(f"統計表ファイル {file_id} が見つかりません / table file {file_id} not found")
    handed = await statdb.handed_over(uow, file_id)
    linked = await uow.rows(
        SummaryRow,
        f"""{SUMMARY} WHERE v.status = 'published' AND v.id IN (
              SELECT l.version_id FROM metadata_table_link l
              WHERE l.table_file_id = $1 OR ($2::text IS NOT NULL AND l.stats_data_id = $2::text))
            ORDER BY v.published_at DESC""",
        file_id,
        handed,
    )
    return ByFile(
        table_file_id=file_id,
        table=TableOfFile(title=row.title, gov_stat_code=row.gov_stat_code, stats_data_id=handed),
        items=[summary(r) for r in linked],
    )


class Facets(msgspec.Struct, kw_only=True):
    """The search form's choices."""

    agencies: list[CodeName]
    fields: list[CodeName]


async def facets(uow: UnitOfWork) -> Facets:
    """Agencies and fields that have published metadata (the search form's choices)."""
    agencies = await uow.rows(
        CodeName,
        "SELECT DISTINCT g.agency_code AS code, g.agency_name AS name FROM metadata_version v"
        " JOIN metadata_record r ON r.id = v.record_id JOIN directory_statistic g ON g.code = r.gov_stat_code"
        " WHERE v.status = 'published' ORDER BY 1",
    )
    fields = await uow.rows(CodeName, "SELECT code, name_ja AS name FROM directory_field ORDER BY code")
    return Facets(agencies=agencies, fields=fields)
