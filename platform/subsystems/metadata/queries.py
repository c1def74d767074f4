"""Read queries of the metadata registry: records as their owner (and the operator) sees them,
published metadata as everyone sees it, and the linkage between metadata and tables.

Row-level security already hides other tenants' drafts; the public reads below also name the
published status explicitly, so that a signed-in owner sees on the public side exactly what the
public sees."""

from __future__ import annotations

import uuid
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.metadata.schemas import SURVEY_FIELDS

PUBLIC_STATUSES = ("published", "superseded")
STATUS_NAMES = {
    "draft": "下書き / draft",
    "finalised": "確定（承認待ち）/ finalised",
    "published": "公開中 / published",
    "superseded": "旧版 / superseded",
}
VALUE_TYPES = {
    "integer": "整数 / integer",
    "decimal": "数値（小数）/ decimal",
    "text": "文字列 / text",
    "code": "コード / code",
    "date": "日付 / date",
    "boolean": "真偽 / boolean",
}

RECORD = """
SELECT r.id, r.tenant_id, r.gov_stat_code, r.created_by, r.created_at, g.name_ja AS statistic_name, g.agency_code,
       a.name_ja AS agency_name, g.field_code, coalesce(f.name_ja, '') AS field_name, g.cycle AS statistic_cycle
FROM metadata_record r JOIN gov_statistic g ON g.code = r.gov_stat_code JOIN agency a ON a.code = g.agency_code
LEFT JOIN stat_field f ON f.code = g.field_code
"""

LINKS = """
SELECT l.position, l.stats_data_id, l.table_file_id, l.note,
       s.title AS table_title, s.survey_date AS table_survey_date,
       (s.status = 'published' AND s.publish_at <= now()) AS table_published,
       f.title AS file_title, f.table_no AS file_table_no, f.survey_date AS file_survey_date,
       (f.status = 'published' AND f.publish_at <= now()) AS file_published,
       h.stats_data_id AS handed_over_id, (h.status = 'published' AND h.publish_at <= now()) AS handed_over_published
FROM metadata_table_link l
LEFT JOIN stat_table s ON s.stats_data_id = l.stats_data_id
LEFT JOIN table_file f ON f.id = l.table_file_id
LEFT JOIN stat_table h ON h.source_file_id = l.table_file_id
WHERE l.version_id = $1 ORDER BY l.position
"""


def own(uow: UnitOfWork, alias: str = "r.") -> str:
    """The caller's own records (every record for the operator)."""
    return "true" if uow.scope.cross_tenant else f"{alias}tenant_id = govstat_scope_tenant()"


def portal_url(stats_data_id: str) -> str:
    return f"/estat/tables/{stats_data_id}"


async def record_row(uow: UnitOfWork, record_id: uuid.UUID, *, for_update: bool = False) -> dict[str, Any]:
    """The record if it is the caller's own (the operator: any); another tenant's answers 404,
    published or not."""
    row = await uow.fetchrow(
        f"{RECORD} WHERE r.id = $1 AND {own(uow)}" + (" FOR UPDATE OF r" if for_update else ""), record_id
    )
    if row is None:
        raise NotFound(f"メタデータ {record_id} が見つかりません / metadata {record_id} not found")
    return dict(row)


async def versions(uow: UnitOfWork, record_id: uuid.UUID) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in await uow.fetch("SELECT * FROM metadata_version WHERE record_id = $1 ORDER BY version_no", record_id)
    ]


async def open_version(uow: UnitOfWork, record_id: uuid.UUID, *, for_update: bool = False) -> dict[str, Any] | None:
    row = await uow.fetchrow(
        "SELECT * FROM metadata_version WHERE record_id = $1 AND status IN ('draft', 'finalised')"
        + (" FOR UPDATE" if for_update else ""),
        record_id,
    )
    return dict(row) if row else None


async def published_version(
    uow: UnitOfWork, record_id: uuid.UUID, *, for_update: bool = False
) -> dict[str, Any] | None:
    row = await uow.fetchrow(
        "SELECT * FROM metadata_version WHERE record_id = $1 AND status = 'published'"
        + (" FOR UPDATE" if for_update else ""),
        record_id,
    )
    return dict(row) if row else None


async def items(uow: UnitOfWork, version_id: uuid.UUID) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in await uow.fetch(
            "SELECT position, code, name, definition, unit, value_type FROM metadata_item WHERE version_id = $1"
            " ORDER BY position",
            version_id,
        )
    ]


async def classifications(uow: UnitOfWork, version_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await uow.fetch(
        "SELECT position, classification_version, classification_name, item_code, item_name, free_text, applies_to, note"
        " FROM metadata_classification WHERE version_id = $1 ORDER BY position",
        version_id,
    )
    out = []
    for r in rows:
        d = dict(r)
        key, code = d["classification_version"], d["item_code"]
        d["url"] = (
            (f"/classification/versions/{key}/items/{code}" if code else f"/classification/versions/{key}")
            if key
            else None
        )
        out.append(d)
    return out


async def tables(uow: UnitOfWork, version_id: uuid.UUID, *, published_only: bool) -> list[dict[str, Any]]:
    """Linked tables with what their own subsystem says of them now. `portal_url` points to the
    table on the e-Stat portal once it is published (a table file: the database table it was
    handed over to)."""
    out = []
    for r in await uow.fetch(LINKS, version_id):
        if r["stats_data_id"]:
            published = bool(r["table_published"])
            link = {
                "kind": "statdb",
                "stats_data_id": r["stats_data_id"],
                "table_file_id": None,
                "title": r["table_title"],
                "table_no": None,
                "survey_date": r["table_survey_date"],
                "published": published,
                "portal_url": portal_url(r["stats_data_id"]) if published else None,
            }
        else:
            published = bool(r["file_published"])
            handed = r["handed_over_id"] if r["handed_over_published"] else None
            link = {
                "kind": "table_file",
                "stats_data_id": handed,
                "table_file_id": r["table_file_id"],
                "title": r["file_title"],
                "table_no": r["file_table_no"],
                "survey_date": r["file_survey_date"],
                "published": published,
                "portal_url": portal_url(handed) if handed else None,
            }
        if published_only and not link["published"]:
            continue
        out.append({"position": r["position"], **link, "note": r["note"]})
    return out


LIFECYCLE = (
    "finalised_at",
    "finalised_by",
    "approved_at",
    "approved_by",
    "published_at",
    "superseded_at",
    "review_note",
    "created_by",
    "created_at",
    "updated_at",
)


async def version_doc(uow: UnitOfWork, v: dict[str, Any], *, public: bool) -> dict[str, Any]:
    """One version with its content. The public document leaves out who did what and unpublished tables."""
    doc: dict[str, Any] = {
        "version_id": v["id"],
        "version": v["version_no"],
        "status": v["status"],
        "survey": {f: v[f] for f in SURVEY_FIELDS},
        "items": await items(uow, v["id"]),
        "classifications": await classifications(uow, v["id"]),
        "tables": await tables(uow, v["id"], published_only=public),
    }
    if public:
        doc.update(published_at=v["published_at"], superseded_at=v["superseded_at"])
    else:
        doc.update({k: v[k] for k in LIFECYCLE})
    return doc


def statistic(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "statistic": {
            "code": record["gov_stat_code"],
            "name": record["statistic_name"],
            "field_code": record["field_code"],
            "field_name": record["field_name"],
        },
        "agency": {"code": record["agency_code"], "name": record["agency_name"]},
    }


async def record_view(uow: UnitOfWork, record_id: uuid.UUID) -> dict[str, Any]:
    """The owner's (or operator's) view: the published version and the open one (draft or finalised)."""
    record = await record_row(uow, record_id)
    all_versions = await versions(uow, record_id)
    current = next((v for v in all_versions if v["status"] == "published"), None)
    opened = next((v for v in all_versions if v["status"] in ("draft", "finalised")), None)
    return {
        "id": record["id"],
        "tenant_id": record["tenant_id"],
        **statistic(record),
        "created_at": record["created_at"],
        "created_by": record["created_by"],
        "published": await version_doc(uow, current, public=False) if current else None,
        "open": await version_doc(uow, opened, public=False) if opened else None,
        "versions": [
            {
                "version": v["version_no"],
                "status": v["status"],
                "created_at": v["created_at"],
                "finalised_at": v["finalised_at"],
                "published_at": v["published_at"],
                "superseded_at": v["superseded_at"],
            }
            for v in all_versions
        ],
    }


async def list_records(
    uow: UnitOfWork, *, status: str | None = None, gov_stat_code: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """Records with their latest version (the open one if any), newest first. `status` filters
    on that latest version (the operator's approval queue: status=finalised)."""
    where, args = [own(uow)], []
    if status:
        args.append(status)
        where.append(f"v.status = ${len(args)}")
    if gov_stat_code:
        args.append(gov_stat_code)
        where.append(f"r.gov_stat_code = ${len(args)}")
    sql = f"""
    FROM metadata_record r JOIN gov_statistic g ON g.code = r.gov_stat_code JOIN agency a ON a.code = g.agency_code
    JOIN LATERAL (SELECT * FROM metadata_version x WHERE x.record_id = r.id ORDER BY x.version_no DESC LIMIT 1) v ON true
    WHERE {" AND ".join(where)}"""
    total = await uow.fetchval(f"SELECT count(*) {sql}", *args)
    rows = await uow.fetch(
        f"""SELECT r.id, r.tenant_id, r.gov_stat_code, g.name_ja AS statistic_name, a.name_ja AS agency_name,
                   v.version_no AS version, v.status, v.survey_name, v.updated_at, v.finalised_at, v.published_at,
                   EXISTS (SELECT 1 FROM metadata_version p WHERE p.record_id = r.id AND p.status = 'published')
                     AS has_published
            {sql} ORDER BY v.updated_at DESC, r.id LIMIT {int(limit)} OFFSET {int(offset)}""",
        *args,
    )
    return total, [dict(r) for r in rows]


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


SUMMARY_FROM = """
FROM metadata_version v JOIN metadata_record r ON r.id = v.record_id
JOIN gov_statistic g ON g.code = r.gov_stat_code JOIN agency a ON a.code = g.agency_code
LEFT JOIN stat_field f ON f.code = g.field_code
"""
SUMMARY = (
    """
SELECT r.id, v.version_no AS version, v.survey_name, v.survey_name_en, v.purpose, v.cycle, v.published_at,
       r.gov_stat_code, g.name_ja AS statistic_name, g.agency_code, a.name_ja AS agency_name, g.field_code,
       coalesce(f.name_ja, '') AS field_name"""
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
    record = dict(record)
    base = f"/api/metadata/surveys/{record_id}"
    return {
        "id": record_id,
        **statistic(record),
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
    table = await uow.fetchrow(
        "SELECT stats_data_id, title, gov_stat_code, source_file_id,"
        " (status = 'published' AND publish_at <= now()) AS published"
        " FROM stat_table WHERE stats_data_id = $1",
        stats_data_id,
    )
    if table is None:
        raise NotFound(f"統計表 {stats_data_id} が見つかりません / table {stats_data_id} not found")
    linked = await uow.fetch(
        f"""{SUMMARY} WHERE v.status = 'published' AND v.id IN (
              SELECT l.version_id FROM metadata_table_link l
              WHERE l.stats_data_id = $1 OR ($2::uuid IS NOT NULL AND l.table_file_id = $2::uuid))
            ORDER BY v.published_at DESC""",
        stats_data_id,
        table["source_file_id"],
    )
    ids = [r["id"] for r in linked]
    related = await uow.fetch(
        f"{SUMMARY} WHERE v.status = 'published' AND r.gov_stat_code = $1"
        f" AND NOT (r.id = ANY($2::uuid[])) ORDER BY v.published_at DESC",
        table["gov_stat_code"],
        ids,
    )
    return {
        "stats_data_id": stats_data_id,
        "table": {
            "title": table["title"],
            "gov_stat_code": table["gov_stat_code"],
            "published": table["published"],
            "portal_url": portal_url(stats_data_id),
        },
        "items": [summary(r) for r in linked],
        "related": [summary(r) for r in related],
    }


async def by_file(uow: UnitOfWork, file_id: uuid.UUID) -> dict[str, Any]:
    """The published metadata that links a table file (TABLES-2), or the database table handed over from it."""
    row = await uow.fetchrow(
        "SELECT f.id, f.title, f.gov_stat_code, s.stats_data_id FROM table_file f"
        " LEFT JOIN stat_table s ON s.source_file_id = f.id WHERE f.id = $1",
        file_id,
    )
    if row is None:
        raise NotFound(f"統計表ファイル {file_id} が見つかりません / table file {file_id} not found")
    linked = await uow.fetch(
        f"""{SUMMARY} WHERE v.status = 'published' AND v.id IN (
              SELECT l.version_id FROM metadata_table_link l
              WHERE l.table_file_id = $1 OR ($2::text IS NOT NULL AND l.stats_data_id = $2::text))
            ORDER BY v.published_at DESC""",
        file_id,
        row["stats_data_id"],
    )
    return {
        "table_file_id": file_id,
        "table": {"title": row["title"], "gov_stat_code": row["gov_stat_code"], "stats_data_id": row["stats_data_id"]},
        "items": [summary(r) for r in linked],
    }


async def facets(uow: UnitOfWork) -> dict[str, list[dict[str, Any]]]:
    """Agencies and fields that have published metadata (the search form's choices)."""
    agencies = await uow.fetch(
        "SELECT DISTINCT g.agency_code AS code, a.name_ja AS name FROM metadata_version v"
        " JOIN metadata_record r ON r.id = v.record_id JOIN gov_statistic g ON g.code = r.gov_stat_code"
        " JOIN agency a ON a.code = g.agency_code WHERE v.status = 'published' ORDER BY 1"
    )
    fields = await uow.fetch("SELECT code, name_ja AS name FROM stat_field ORDER BY code")
    return {"agencies": [dict(r) for r in agencies], "fields": [dict(r) for r in fields]}


async def own_statistics(uow: UnitOfWork) -> list[dict[str, Any]]:
    """The government statistics of the caller's agency (the registration form's choices)."""
    rows = await uow.fetch(
        "SELECT g.code, g.name_ja, g.cycle FROM gov_statistic g JOIN tenant t"
        " ON t.agency_code = g.agency_code WHERE t.id = govstat_scope_tenant() ORDER BY g.code"
    )
    return [dict(r) for r in rows]
