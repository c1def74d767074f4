"""Published metadata as everyone sees it: search, the published document of a record (its current
or a former version), the metadata describing a database table or a table file, and the search
form's facets.

Row-level security already hides other tenants' drafts; these reads also name the published
status explicitly, so that a signed-in owner sees here exactly what the public sees."""

from __future__ import annotations

import uuid
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.metadata.queries import RECORD, portal_url, statistic, version_doc
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


def summary(row: Any) -> dict[str, Any]:
    r = dict(row)
    return {
        "id": r["id"],
        "version": r["version"],
        "survey_name": r["survey_name"],
        "survey_name_en": r["survey_name_en"],
        "purpose": r["purpose"],
        "cycle": r["cycle"],
        "published_at": r["published_at"],
        "statistic": {
            "code": r["gov_stat_code"],
            "name": r["statistic_name"],
            "field_code": r["field_code"],
            "field_name": r["field_name"],
        },
        "agency": {"code": r["agency_code"], "name": r["agency_name"]},
        "url": f"/metadata/{r['id']}",
        "api": f"/api/metadata/surveys/{r['id']}",
    }


async def search_published(
    uow: UnitOfWork,
    *,
    q: str | None = None,
    agency: str | None = None,
    field: str | None = None,
    gov_stat_code: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Published metadata (the current version of each record). Every word of `q` must appear in
    the survey's names, purpose, population, the statistic's name or code, or an item's name or
    definition."""
    where, args = ["v.status = 'published'"], []
    for term in (q or "").split()[:10]:
        args.append(_like(term))
        n = len(args)
        where.append(
            f"(concat_ws(' ', v.survey_name, v.survey_name_en, v.purpose, v.population, g.name_ja, r.gov_stat_code)"
            f" ILIKE ${n} OR EXISTS (SELECT 1 FROM metadata_item i WHERE i.version_id = v.id"
            f" AND (i.name ILIKE ${n} OR i.definition ILIKE ${n})))"
        )
    for column, value in (("g.agency_code", agency), ("g.field_code", field), ("r.gov_stat_code", gov_stat_code)):
        if value:
            args.append(value)
            where.append(f"{column} = ${len(args)}")
    sql_where = " AND ".join(where)
    total = await uow.fetchval(f"SELECT count(*) {SUMMARY_FROM} WHERE {sql_where}", *args)
    rows = await uow.fetch(
        f"{SUMMARY} WHERE {sql_where} ORDER BY v.published_at DESC, r.id LIMIT {int(limit)} OFFSET {int(offset)}", *args
    )
    return total, [summary(r) for r in rows]


async def published(uow: UnitOfWork, record_id: uuid.UUID, version: int | None = None) -> dict[str, Any]:
    """The published document of a record (its current version, or a former published one)."""
    record = await uow.fetchrow(f"{RECORD} WHERE r.id = $1", record_id)
    if version is None:
        v = await uow.fetchrow(
            "SELECT * FROM metadata_version WHERE record_id = $1 AND status = 'published'", record_id
        )
    else:
        v = await uow.fetchrow(
            "SELECT * FROM metadata_version WHERE record_id = $1 AND version_no = $2"
            " AND status IN ('published', 'superseded')",
            record_id,
            version,
        )
    if record is None or v is None:
        what = f"{record_id}" + (f" 第{version}版 / version {version}" if version else "")
        raise NotFound(f"公開されたメタデータ {what} が見つかりません / no published metadata {what}")
    history = await uow.fetch(
        "SELECT version_no AS version, status, published_at, superseded_at FROM metadata_version"
        " WHERE record_id = $1 AND status IN ('published', 'superseded') ORDER BY version_no",
        record_id,
    )
    base = f"/api/metadata/surveys/{record_id}"
    return {
        "id": record_id,
        **statistic(dict(record)),
        **await version_doc(uow, dict(v), public=True),
        "history": [dict(h) for h in history],
        "links": {
            "page": f"/metadata/{record_id}",
            "api": base,
            "json": f"{base}/export?format=json",
            "ddi": f"{base}/export?format=ddi",
        },
    }


async def by_table(uow: UnitOfWork, stats_data_id: str) -> dict[str, Any]:
    """The published metadata that describes a database table: linked to it, or to the table file it
    was handed over from (`items`); and the published metadata of the same statistic (`related`).
    The table itself must be one the caller may see (the public: published and due)."""
    table = await statdb.table_ref(uow, stats_data_id)
    if table is None:
        raise NotFound(f"統計表 {stats_data_id} が見つかりません / table {stats_data_id} not found")
    linked = await uow.fetch(
        f"""{SUMMARY} WHERE v.status = 'published' AND v.id IN (
              SELECT l.version_id FROM metadata_table_link l
              WHERE l.stats_data_id = $1 OR ($2::uuid IS NOT NULL AND l.table_file_id = $2::uuid))
            ORDER BY v.published_at DESC""",
        stats_data_id,
        table.source_file_id,
    )
    ids = [r["id"] for r in linked]
    related = await uow.fetch(
        f"{SUMMARY} WHERE v.status = 'published' AND r.gov_stat_code = $1"
        f" AND NOT (r.id = ANY($2::uuid[])) ORDER BY v.published_at DESC",
        table.gov_stat_code,
        ids,
    )
    return {
        "stats_data_id": stats_data_id,
        "table": {
            "title": table.title,
            "gov_stat_code": table.gov_stat_code,
            "published": table.published,
            "portal_url": portal_url(stats_data_id),
        },
        "items": [summary(r) for r in linked],
        "related": [summary(r) for r in related],
    }


async def by_file(uow: UnitOfWork, file_id: uuid.UUID) -> dict[str, Any]:
    """The published metadata that links a table file (TABLES-2), or the database table handed over from it."""
    row = await file_ref(uow, file_id)
    if row is None:
        raise NotFound(f"統計表ファイル {file_id} が見つかりません / table file {file_id} not found")
    handed = await statdb.handed_over(uow, file_id)
    linked = await uow.fetch(
        f"""{SUMMARY} WHERE v.status = 'published' AND v.id IN (
              SELECT l.version_id FROM metadata_table_link l
              WHERE l.table_file_id = $1 OR ($2::text IS NOT NULL AND l.stats_data_id = $2::text))
            ORDER BY v.published_at DESC""",
        file_id,
        handed,
    )
    return {
        "table_file_id": file_id,
        "table": {"title": row.title, "gov_stat_code": row.gov_stat_code, "stats_data_id": handed},
        "items": [summary(r) for r in linked],
    }


async def facets(uow: UnitOfWork) -> dict[str, list[dict[str, Any]]]:
    """Agencies and fields that have published metadata (the search form's choices)."""
    agencies = await uow.fetch(
        "SELECT DISTINCT g.agency_code AS code, g.agency_name AS name FROM metadata_version v"
        " JOIN metadata_record r ON r.id = v.record_id JOIN directory_statistic g ON g.code = r.gov_stat_code"
        " WHERE v.status = 'published' ORDER BY 1"
    )
    fields = await uow.fetch("SELECT code, name_ja AS name FROM directory_field ORDER BY code")
    return {"agencies": [dict(r) for r in agencies], "fields": [dict(r) for r in fields]}
