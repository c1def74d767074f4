"""The agency API of versions (issue 14 §2): 訂正 and 追加 (a new version of a published table),
its history (who, when, why), and 取り下げ (withdrawal with a reason)."""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Request, Router, get, post

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.module import access
from govstat.platform.subsystems.statdb import service
from govstat.platform.subsystems.statdb.revisions import read as versions
from govstat.platform.subsystems.statdb.revisions import revise, withdraw
from govstat.platform.subsystems.statdb.revisions.rows import History, Revised, Withdrawal
from govstat.platform.subsystems.statdb.routes import AGENCY, READERS
from govstat.platform.subsystems.statdb.rows import StatTableRow
from govstat.platform.subsystems.statdb.schemas import MAX_UPLOAD
from govstat.platform.subsystems.statdb.service import Upload


class WithdrawIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """取り下げの理由 (shown to the public with the withdrawal)."""

    reason: str


async def own_table(uow: UnitOfWork, stats_data_id: str) -> StatTableRow:
    if not re.fullmatch(r"[0-9]{10}", stats_data_id):
        raise NotFound(f"統計表 {stats_data_id} が見つかりません / table {stats_data_id} not found")
    return await service.get(uow, stats_data_id)


async def _upload(request: Request[Any, Any, Any]) -> tuple[Upload, str, str]:
    form = await request.form()
    data, params = form.get("data"), form.get("params")
    if data is None or isinstance(data, str):
        raise InvalidInput.field("data", "データファイルを添付してください / attach the data file")
    params_bytes = b"" if params is None or isinstance(params, str) else await params.read()
    upload = Upload(params_bytes, await data.read(), data.filename or "data")
    return upload, str(form.get("kind", "")), str(form.get("reason", ""))


@post(
    "/tables/{stats_data_id:str}/revisions",
    opt=access(*AGENCY, op="statdb.revise", audit=True),
    request_max_body_size=MAX_UPLOAD,
    status_code=201,
)
async def post_revision(request: Request[Any, Any, Any], uow: UnitOfWork, stats_data_id: str) -> Revised:
    """訂正 (`kind=correction`: the corrected cells) or 追加 (`kind=extension`: the cells of new periods)
    of a published table: multipart `data`, `reason`, and `params` (the registered parameter file
    when absent). The table gets a new version; the earlier ones stay readable."""
    await own_table(uow, stats_data_id)
    upload, kind, reason = await _upload(request)
    return await revise.revise(uow, stats_data_id, upload, kind=kind, reason=reason)


@get("/tables/{stats_data_id:str}/versions", opt=access(*READERS, op="statdb.read"))
async def get_versions(uow: UnitOfWork, stats_data_id: str) -> History:
    """The table's versions, newest first: kind, reason, cells changed and added, who and when."""
    table = await own_table(uow, stats_data_id)
    found = await versions.versions(uow, table.id) or [
        versions.original(table.total_number, table.created_at, table.created_by, table.data_filename)
    ]
    return History(
        stats_data_id=stats_data_id,
        current=table.version,
        withdrawn_at=table.withdrawn_at,
        withdrawn_reason=table.withdrawn_reason,
        versions=found,
    )


@post(
    "/tables/{stats_data_id:str}/withdraw",
    opt=access(*AGENCY, op="statdb.withdraw", audit=True),
    status_code=200,
)
async def post_withdraw(uow: UnitOfWork, stats_data_id: str, data: WithdrawIn) -> Withdrawal:
    """取り下げ: the published table is no longer served; the public reads when and why."""
    await own_table(uow, stats_data_id)
    return await withdraw.withdraw(uow, stats_data_id, data.reason)


api = Router(
    path="/api/statdb",
    tags=["statdb / 統計情報データベース"],
    route_handlers=[post_revision, get_versions, post_withdraw],
)
