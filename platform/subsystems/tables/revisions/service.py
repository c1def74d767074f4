"""差替え and 取り下げ of a published table file. A replacement keeps the previous file (content,
name, digest) in table_file_version with who replaced it, when and why, and the public can still
download it; a withdrawal keeps the row, which says when and why, and stops serving the file.
A file handed over to a database table is corrected there (statdb revisions), not replaced here."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from govstat.platform.clock import now
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidTransition
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.statdb.revisions.revise import check_reason
from govstat.platform.subsystems.tables import files, service
from govstat.platform.subsystems.tables.events import FileReplaced, FileWithdrawn
from govstat.platform.subsystems.tables.revisions.rows import FileVersion
from govstat.platform.subsystems.tables.rows import TableFileRow


def is_public(row: TableFileRow) -> bool:
    return row.status in ("scheduled", "published") and row.publish_at is not None and row.publish_at <= now()


async def _published(uow: UnitOfWork, file_id: uuid.UUID) -> TableFileRow:
    row = await service.get(uow, file_id, for_update=True)
    if row.withdrawn_at is not None:
        raise InvalidTransition("取り下げたファイルです / the file was withdrawn")
    if not is_public(row):
        raise InvalidTransition("公表前のファイルは削除して登録し直してください / not published: delete it instead")
    return row


async def replace(uow: UnitOfWork, file_id: uuid.UUID, content: bytes, filename: str, reason: str) -> TableFileRow:
    reason = check_reason(reason)
    row = await _published(uow, file_id)
    if row.has_params:
        raise InvalidTransition(
            "統計表データベースに引き継いだファイルです。統計表の訂正で直してください"
            " / handed over to a database table: correct the table (/api/statdb/tables/{id}/revisions)"
        )
    fmt = files.detect(filename, content)
    sha = hashlib.sha256(content).hexdigest()
    await uow.execute(
        """INSERT INTO table_file_version (file_id, version, tenant_id, filename, format, sha256, size_bytes, content,
             reason, replaced_by)
           SELECT f.id, f.version, f.tenant_id, f.filename, f.format, f.sha256, f.size_bytes, b.content, $2,
                  coalesce(current_setting('app.actor', true), '')
           FROM table_file f JOIN table_file_blob b ON b.file_id = f.id AND b.kind = 'data' WHERE f.id = $1""",
        file_id,
        reason,
    )
    await uow.execute(
        "UPDATE table_file_blob SET content = $2, sha256 = $3 WHERE file_id = $1 AND kind = 'data'",
        file_id,
        content,
        sha,
    )
    at: dt.datetime = await uow.fetchval(
        """UPDATE table_file SET filename = $2, format = $3, sha256 = $4, size_bytes = $5, version = version + 1,
             replaced_at = now(), updated_at = now() WHERE id = $1 RETURNING replaced_at""",
        file_id,
        filename,
        fmt,
        sha,
        len(content),
    )
    version = row.version + 1
    await audit(
        uow,
        "tables.file.replaced",
        tenant_id=row.tenant_id,
        target_type="table_file",
        target_id=file_id,
        module=service.MODULE,
        version=version,
        reason=reason,
        sha256=sha,
        previous_sha256=row.sha256,
    )
    await emit(
        uow, FileReplaced(file_id=file_id, version=version, reason=reason, replaced_at=at), tenant_id=row.tenant_id
    )
    return await service.get(uow, file_id)


async def withdraw(uow: UnitOfWork, file_id: uuid.UUID, reason: str) -> TableFileRow:
    reason = check_reason(reason)
    row = await _published(uow, file_id)
    await uow.execute(
        """UPDATE table_file SET withdrawn_at = now(), withdrawn_reason = $2, updated_at = now(),
             withdrawn_by = coalesce(current_setting('app.actor', true), '') WHERE id = $1""",
        file_id,
        reason,
    )
    await audit(
        uow,
        "tables.file.withdrawn",
        tenant_id=row.tenant_id,
        target_type="table_file",
        target_id=file_id,
        module=service.MODULE,
        reason=reason,
    )
    await emit(uow, FileWithdrawn(file_id=file_id, reason=reason), tenant_id=row.tenant_id)
    return await service.get(uow, file_id)


async def versions(uow: UnitOfWork, file_id: uuid.UUID) -> list[FileVersion]:
    """The replaced files, newest first (without their bytes)."""
    return await uow.rows(
        FileVersion,
        "SELECT version, filename, format, sha256, size_bytes, reason, replaced_by, replaced_at FROM table_file_version"
        " WHERE file_id = $1 ORDER BY version DESC",
        file_id,
    )
