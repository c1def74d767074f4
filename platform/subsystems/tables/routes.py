"""The tables agency API under /api/tables (TABLES-1..3): session or API key, agency roles."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Request, Response, Router, delete, get, patch, post
from litestar.params import Parameter

from govstat.platform import directory
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.statdb.schemas import ScheduleIn
from govstat.platform.subsystems.tables import classes, queries, service, usage
from govstat.platform.subsystems.tables.files import MAX_BYTES
from govstat.platform.subsystems.tables.rows import (
    FileDetail,
    FileListItem,
    FileUsage,
    ProvisionClassRow,
    TableFileRow,
)
from govstat.platform.subsystems.tables.schemas import ClassIn, ClassPatch, file_form
from govstat.platform.web.deps import set_units
from govstat.platform.web.paging import Listing, Offset

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READERS = (*AGENCY, Role.OPERATOR)
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@get("/statistics", opt=access(*AGENCY, op="tables.list"))
async def statistics(uow: UnitOfWork) -> list[directory.OwnStatistic]:
    """The government statistics your agency owns (TABLES-1 master)."""
    return await directory.own_statistics(uow)


@get("/classes", opt=access(*READERS, op="tables.list"))
async def list_classes(uow: UnitOfWork, gov_stat_code: str | None = None) -> list[ProvisionClassRow]:
    """提供分類 in tree order."""
    return await classes.tree(uow, gov_stat_code)


@post("/classes", opt=access(*AGENCY, op="tables.classes", audit=True))
async def create_class(uow: UnitOfWork, data: ClassIn) -> ProvisionClassRow:
    return await classes.create(uow, data)


@patch("/classes/{class_id:uuid}", opt=access(*AGENCY, op="tables.classes", audit=True))
async def update_class(uow: UnitOfWork, class_id: uuid.UUID, data: ClassPatch) -> ProvisionClassRow:
    return await classes.update(uow, class_id, data)


@delete("/classes/{class_id:uuid}", opt=access(*AGENCY, op="tables.classes", audit=True), status_code=204)
async def delete_class(uow: UnitOfWork, class_id: uuid.UUID) -> None:
    await classes.delete(uow, class_id)


@get("/files", opt=access(*READERS, op="tables.list"))
async def list_files(
    request: Request,
    uow: UnitOfWork,
    status: str | None = None,
    gov_stat_code: str | None = None,
    limit: Annotated[int, Parameter(ge=1, le=1000)] = 50,
    offset: Offset = 0,
) -> Listing[FileListItem]:
    total, rows = await queries.list_files(uow, status=status, gov_stat_code=gov_stat_code, limit=limit, offset=offset)
    set_units(request, len(rows))
    return Listing(total=total, offset=offset, items=rows)


@post("/files", opt=access(*AGENCY, op="tables.register", audit=True), request_max_body_size=MAX_BYTES * 2)
async def register_file(request: Request, uow: UnitOfWork) -> TableFileRow:
    """Register a table file: multipart `file` (CSV or XLSX), optional `params` (a statdb parameter file:
    the table is handed over to the statistical database at 確定), and gov_stat_code, table_no, title,
    survey_date, provision_class_id, notes."""
    info, data, params = await file_form(request)
    return await service.register(uow, info, data, params)


@get("/files/{file_id:uuid}", opt=access(*READERS, op="tables.read"))
async def get_file(uow: UnitOfWork, file_id: uuid.UUID) -> FileDetail:
    row = await service.get(uow, file_id)
    usage.count(uow, row.id, row.tenant_id, row.status, views=1)
    return FileDetail(**msgspec.structs.asdict(row), stats_data_id=await queries.stats_data_id(uow, file_id))


@get("/files/{file_id:uuid}/content", opt=access(*READERS, op="tables.download"))
async def download(uow: UnitOfWork, file_id: uuid.UUID) -> Response:
    row = await service.get(uow, file_id)
    content = await queries.blob(uow, file_id, "data")
    usage.count(uow, row.id, row.tenant_id, row.status, downloads=1)
    return Response(
        content,
        media_type=MEDIA[row.format],
        headers={
            "content-disposition": f"attachment; filename*=UTF-8''{queries.quoted(row.filename)}",
            "x-content-sha256": row.sha256,
        },
    )


@get("/files/{file_id:uuid}/params", opt=access(*READERS, op="tables.read"))
async def params_file(uow: UnitOfWork, file_id: uuid.UUID) -> Response:
    await service.get(uow, file_id)
    content = await queries.blob(uow, file_id, "params")
    if content is None:
        raise NotFound("パラメータファイルはありません / this file has no parameter file")
    return Response(content, media_type="application/yaml; charset=utf-8")


@post("/files/{file_id:uuid}/finalise", opt=access(*READERS, op="tables.finalise", audit=True), status_code=200)
async def finalise(uow: UnitOfWork, file_id: uuid.UUID) -> TableFileRow:
    """確定: the content is fixed; with a parameter file it goes to the statistical database."""
    return await service.finalise(uow, file_id)


@post("/files/{file_id:uuid}/schedule", opt=access(*READERS, op="tables.schedule", audit=True), status_code=200)
async def schedule(uow: UnitOfWork, file_id: uuid.UUID, data: ScheduleIn) -> TableFileRow:
    """公表予約: the worker publishes it at publish_at (not a second earlier)."""
    return await service.schedule(uow, file_id, data.publish_at)


@delete("/files/{file_id:uuid}", opt=access(*AGENCY, op="tables.delete", audit=True), status_code=204)
async def delete_file(uow: UnitOfWork, file_id: uuid.UUID) -> None:
    await service.delete(uow, file_id)


@get("/files/{file_id:uuid}/usage", opt=access(*READERS, op="tables.usage"))
async def file_usage(uow: UnitOfWork, file_id: uuid.UUID) -> FileUsage:
    await service.get(uow, file_id)
    return await usage.figures(uow, file_id)


api = Router(
    path="/api/tables",
    tags=["tables / 統計表管理システム"],
    route_handlers=[
        statistics,
        list_classes,
        create_class,
        update_class,
        delete_class,
        list_files,
        register_file,
        get_file,
        download,
        params_file,
        finalise,
        schedule,
        delete_file,
        file_usage,
    ],
)
