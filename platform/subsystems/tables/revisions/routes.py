"""The agency API of 差替え and 取り下げ of published table files (issue 14 §2)."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Request, Router, get, post

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.tables import service
from govstat.platform.subsystems.tables.files import MAX_BYTES
from govstat.platform.subsystems.tables.revisions import service as revisions
from govstat.platform.subsystems.tables.revisions.rows import FileHistory
from govstat.platform.subsystems.tables.rows import TableFileRow

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READERS = (*AGENCY, Role.OPERATOR)


class WithdrawIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """取り下げの理由 (shown to the public with the withdrawal)."""

    reason: str


@post(
    "/files/{file_id:uuid}/replace",
    opt=access(*AGENCY, op="tables.replace", audit=True),
    request_max_body_size=MAX_BYTES + 1024 * 1024,
    status_code=200,
)
async def replace_file(request: Request[Any, Any, Any], uow: UnitOfWork, file_id: uuid.UUID) -> TableFileRow:
    """差替え: multipart `file` (the new CSV or XLSX) and `reason`; the previous file stays readable."""
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise InvalidInput.field("file", "差し替えるファイルを添付してください / attach the new file")
    content = await upload.read()
    return await revisions.replace(uow, file_id, content, upload.filename or "file", str(form.get("reason", "")))


@post("/files/{file_id:uuid}/withdraw", opt=access(*AGENCY, op="tables.withdraw", audit=True), status_code=200)
async def withdraw_file(uow: UnitOfWork, file_id: uuid.UUID, data: WithdrawIn) -> TableFileRow:
    """取り下げ: the file is no longer served; the public reads when and why."""
    return await revisions.withdraw(uow, file_id, data.reason)


@get("/files/{file_id:uuid}/versions", opt=access(*READERS, op="tables.read"))
async def file_versions(uow: UnitOfWork, file_id: uuid.UUID) -> FileHistory:
    """The replaced files (who, when, why) and the withdrawal, if any."""
    row = await service.get(uow, file_id)
    return FileHistory(
        file_id=file_id,
        current=row.version,
        withdrawn_at=row.withdrawn_at,
        withdrawn_reason=row.withdrawn_reason,
        replaced=await revisions.versions(uow, file_id),
    )


api = Router(
    path="/api/tables",
    tags=["tables / 統計表管理システム"],
    route_handlers=[replace_file, withdraw_file, file_versions],
)
