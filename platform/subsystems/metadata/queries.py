"""Read queries of the metadata registry as a record's owner (and the operator) sees it: records,
their versions, and the list of records. A version's content (items, classifications, linked
tables) is read in documents.py; what everyone sees of published metadata is in public_search.py.

The statistics' names come from tenants' directory (platform/directory.py)."""

from __future__ import annotations

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.metadata.documents import agency_of, statistic_of, version_content
from govstat.platform.subsystems.metadata.rows import RecordListRow, RecordRow, VersionRow
from govstat.platform.subsystems.metadata.schemas import OwnerVersion, RecordView, VersionEntry

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


async def record_row(uow: UnitOfWork, record_id: uuid.UUID, *, for_update: bool = False) -> RecordRow:
    """The record if it is the caller's own (the operator: any); another tenant's answers 404,
    published or not."""
    w = Where().add("r.id = {}", record_id).scoped(uow, "r.")
    row = await uow.row(RecordRow, f"{RECORD} WHERE {w}" + (" FOR UPDATE OF r" if for_update else ""), *w.args)
    if row is None:
        raise NotFound(f"メタデータ {record_id} が見つかりません / metadata {record_id} not found")
    return row


async def versions(uow: UnitOfWork, record_id: uuid.UUID) -> list[VersionRow]:
    return await uow.rows(
        VersionRow, "SELECT * FROM metadata_version WHERE record_id = $1 ORDER BY version_no", record_id
    )


async def open_version(uow: UnitOfWork, record_id: uuid.UUID, *, for_update: bool = False) -> VersionRow | None:
    return await uow.row(
        VersionRow,
        "SELECT * FROM metadata_version WHERE record_id = $1 AND status IN ('draft', 'finalised')"
        + (" FOR UPDATE" if for_update else ""),
        record_id,
    )


async def published_version(uow: UnitOfWork, record_id: uuid.UUID, *, for_update: bool = False) -> VersionRow | None:
    return await uow.row(
        VersionRow,
        "SELECT * FROM metadata_version WHERE record_id = $1 AND status = 'published'"
        + (" FOR UPDATE" if for_update else ""),
        record_id,
    )


async def owner_version(uow: UnitOfWork, v: VersionRow) -> OwnerVersion:
    """One version with its content and who did what (the owner's and the operator's view)."""
    content = await version_content(uow, v, public=False)
    return OwnerVersion(
        version_id=content.version_id,
        version=content.version,
        status=content.status,
        survey=content.survey,
        items=content.items,
        classifications=content.classifications,
        tables=content.tables,
        finalised_at=v.finalised_at,
        finalised_by=v.finalised_by,
        approved_at=v.approved_at,
        approved_by=v.approved_by,
        published_at=v.published_at,
        superseded_at=v.superseded_at,
        review_note=v.review_note,
        created_by=v.created_by,
        created_at=v.created_at,
        updated_at=v.updated_at,
    )


async def record_view(uow: UnitOfWork, record_id: uuid.UUID) -> RecordView:
    """The owner's (or operator's) view: the published version and the open one (draft or finalised)."""
    record = await record_row(uow, record_id)
    all_versions = await versions(uow, record_id)
    current = next((v for v in all_versions if v.status == "published"), None)
    opened = next((v for v in all_versions if v.status in ("draft", "finalised")), None)
    return RecordView(
        id=record.id,
        tenant_id=record.tenant_id,
        statistic=statistic_of(record),
        agency=agency_of(record),
        created_at=record.created_at,
        created_by=record.created_by,
        published=await owner_version(uow, current) if current else None,
        open=await owner_version(uow, opened) if opened else None,
        versions=[
            VersionEntry(
                version=v.version_no,
                status=v.status,
                created_at=v.created_at,
                finalised_at=v.finalised_at,
                published_at=v.published_at,
                superseded_at=v.superseded_at,
            )
            for v in all_versions
        ],
    )


async def list_records(
    uow: UnitOfWork, *, status: str | None = None, gov_stat_code: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[int, list[RecordListRow]]:
    """Records with their latest version (the open one if any), newest first. `status` filters
    on that latest version (the operator's approval queue: status=finalised)."""
    w = Where().scoped(uow, "r.").eq("v.status", status).eq("r.gov_stat_code", gov_stat_code)
    sql = f"""
    FROM metadata_record r JOIN directory_statistic g ON g.code = r.gov_stat_code
    JOIN LATERAL (SELECT * FROM metadata_version x WHERE x.record_id = r.id ORDER BY x.version_no DESC LIMIT 1) v ON true
    WHERE {w}"""
    total: int = await uow.fetchval(f"SELECT count(*) {sql}", *w.args)
    rows = await uow.rows(
        RecordListRow,
        f"""SELECT r.id, r.tenant_id, r.gov_stat_code, g.name_ja AS statistic_name, g.agency_name,
                   v.version_no AS version, v.status, v.survey_name, v.updated_at, v.finalised_at, v.published_at,
                   EXISTS (SELECT 1 FROM metadata_version p WHERE p.record_id = r.id AND p.status = 'published')
                     AS has_published
            {sql} ORDER BY v.updated_at DESC, r.id LIMIT {int(limit)} OFFSET {int(offset)}""",
        *w.args,
    )
    return total, rows
