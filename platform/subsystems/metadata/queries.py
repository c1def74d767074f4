"""Read queries of the metadata registry as a record's owner (and the operator) sees it: records,
their versions and content, and the linkage between metadata and tables. What everyone sees of
published metadata (search, documents, facets) is in public_search.py, which builds on version_doc here.

The statistics' names come from tenants' directory, the linked tables' state from statdb's and
the tables module's read interfaces (docs/decisions/0010)."""

from __future__ import annotations

import uuid
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import own as tenant_condition
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.metadata.schemas import SURVEY_FIELDS
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.tables.published import file_refs

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

# a record with its statistic, agency and field from tenants' directory (platform/directory.py)
RECORD = """
SELECT r.id, r.tenant_id, r.gov_stat_code, r.created_by, r.created_at, g.name_ja AS statistic_name, g.agency_code,
       g.agency_name, g.field_code, coalesce(g.field_name, '') AS field_name, g.cycle AS statistic_cycle
FROM metadata_record r JOIN directory_statistic g ON g.code = r.gov_stat_code
"""

LINKS = """
SELECT position, stats_data_id, table_file_id, note FROM metadata_table_link WHERE version_id = $1 ORDER BY position
"""


def own(uow: UnitOfWork, alias: str = "r.") -> str:
    """The caller's own records (every record for the operator)."""
    return tenant_condition(uow.scope, alias)


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
    links = await uow.fetch(LINKS, version_id)
    file_ids = [r["table_file_id"] for r in links if r["table_file_id"]]
    # what the tables' own subsystems say of them now, through their read interfaces
    refs = await statdb.table_refs(
        uow, stats_data_ids=[r["stats_data_id"] for r in links if r["stats_data_id"]], source_file_ids=file_ids
    )
    by_id = {t.stats_data_id: t for t in refs}
    by_file = {t.source_file_id: t for t in refs if t.source_file_id}
    files = {f.id: f for f in await file_refs(uow, file_ids)}
    for r in links:
        if r["stats_data_id"]:
            s = by_id.get(r["stats_data_id"])
            published = bool(s and s.published)
            link = {
                "kind": "statdb",
                "stats_data_id": r["stats_data_id"],
                "table_file_id": None,
                "title": s.title if s else None,
                "table_no": None,
                "survey_date": s.survey_date if s else None,
                "published": published,
                "portal_url": portal_url(r["stats_data_id"]) if published else None,
            }
        else:
            f, h = files.get(r["table_file_id"]), by_file.get(r["table_file_id"])
            published = bool(f and f.published)
            handed = h.stats_data_id if h and h.published else None
            link = {
                "kind": "table_file",
                "stats_data_id": handed,
                "table_file_id": r["table_file_id"],
                "title": f.title if f else None,
                "table_no": f.table_no if f else None,
                "survey_date": f.survey_date if f else None,
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
    FROM metadata_record r JOIN directory_statistic g ON g.code = r.gov_stat_code
    JOIN LATERAL (SELECT * FROM metadata_version x WHERE x.record_id = r.id ORDER BY x.version_no DESC LIMIT 1) v ON true
    WHERE {" AND ".join(where)}"""
    total = await uow.fetchval(f"SELECT count(*) {sql}", *args)
    rows = await uow.fetch(
        f"""SELECT r.id, r.tenant_id, r.gov_stat_code, g.name_ja AS statistic_name, g.agency_name,
                   v.version_no AS version, v.status, v.survey_name, v.updated_at, v.finalised_at, v.published_at,
                   EXISTS (SELECT 1 FROM metadata_version p WHERE p.record_id = r.id AND p.status = 'published')
                     AS has_published
            {sql} ORDER BY v.updated_at DESC, r.id LIMIT {int(limit)} OFFSET {int(offset)}""",
        *args,
    )
    return total, [dict(r) for r in rows]
