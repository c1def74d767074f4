"""The tables module's read interface for the other parts (docs/decisions/0010): table files as the
e-Stat portal and the metadata registry refer to them, and the published file's bytes.

Others never name table_file or table_file_blob: they call these functions with their own unit of
work, or join `published_file` (tables_0002_published.py) where a list is filtered and paged in
one statement.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import msgspec

from govstat.platform.db.uow import UnitOfWork

READS_FOR_OTHERS = True
VIEWS = ("published_file",)  # table_file's rows that are published and due


class FileRef(msgspec.Struct, kw_only=True):
    """A table file whatever its status (row-level security decides which the caller sees).
    `own`: the scope tenant's file; `published`: published and due."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    status: str
    gov_stat_code: str
    table_no: str
    title: str
    survey_date: str
    publish_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    published: bool = False
    own: bool = False


REF = """
SELECT id, tenant_id, status, gov_stat_code, table_no, title, survey_date, publish_at, published_at,
       coalesce(status IN ('scheduled', 'published') AND publish_at <= now() AND withdrawn_at IS NULL, false)
         AS published,
       coalesce(tenant_id = govstat_scope_tenant(), false) AS own
FROM table_file"""


async def file_refs(uow: UnitOfWork, ids: Sequence[uuid.UUID]) -> list[FileRef]:
    if not ids:
        return []
    return await uow.rows(FileRef, f"{REF} WHERE id = ANY($1::uuid[])", list(ids))


async def file_ref(uow: UnitOfWork, file_id: uuid.UUID) -> FileRef | None:
    return await uow.row(FileRef, f"{REF} WHERE id = $1", file_id)


class Download(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    status: str
    filename: str
    format: str
    content: bytes


async def download(uow: UnitOfWork, file_id: uuid.UUID) -> Download | None:
    """A published and due file with its data as registered (TABLES-2)."""
    return await uow.row(
        Download,
        "SELECT f.id, f.tenant_id, f.status, f.filename, f.format, b.content FROM table_file f"
        " JOIN table_file_blob b ON b.file_id = f.id AND b.kind = 'data'"
        " WHERE f.id = $1 AND f.status IN ('scheduled', 'published') AND f.publish_at <= now() AND f.withdrawn_at IS NULL",
        file_id,
    )


async def download_version(uow: UnitOfWork, file_id: uuid.UUID, version: int) -> Download | None:
    """A replaced file as it was (差替え前), while the file is published (row-level security)."""
    return await uow.row(
        Download,
        "SELECT f.id, f.tenant_id, f.status, v.filename, v.format, v.content FROM table_file f"
        " JOIN table_file_version v ON v.file_id = f.id AND v.version = $2 WHERE f.id = $1 AND f.withdrawn_at IS NULL",
        file_id,
        version,
    )


class Withdrawn(msgspec.Struct, kw_only=True):
    withdrawn_at: dt.datetime
    withdrawn_reason: str


async def withdrawal(uow: UnitOfWork, file_id: uuid.UUID) -> Withdrawn | None:
    """取り下げ: when and why a published file was withdrawn, if it was."""
    return await uow.row(
        Withdrawn,
        "SELECT withdrawn_at, withdrawn_reason FROM table_file WHERE id = $1 AND withdrawn_at IS NOT NULL",
        file_id,
    )
