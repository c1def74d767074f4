"""The statdb agency API under /api/statdb (STATDB-1..3): session or API key, agency roles."""

from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, Router, delete, get, post
from litestar.params import Parameter

from govstat.platform import directory
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.module import access
from govstat.platform.security import Principal, Role
from govstat.platform.subsystems.statdb import downloads, queries, render, service, usage
from govstat.platform.subsystems.statdb.rows import (
    Bulk,
    DataPage,
    StatTableRow,
    TableDetail,
    TableUsage,
    Validation,
)
from govstat.platform.subsystems.statdb.schemas import MAX_UPLOAD, ScheduleIn, uploads
from govstat.platform.web.deps import set_units
from govstat.platform.web.paging import Listing, Offset, Start

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READERS = (*AGENCY, Role.OPERATOR)
Limit = Annotated[int, Parameter(ge=1, le=100_000)]


async def _table(uow: UnitOfWork, stats_data_id: str) -> StatTableRow:
    if not re.fullmatch(r"[0-9]{10}", stats_data_id):
        raise NotFound(f"統計表 {stats_data_id} が見つかりません / table {stats_data_id} not found")
    return await service.get(uow, stats_data_id)


@get("/statistics", opt=access(*AGENCY, op="statdb.list"))
async def statistics(uow: UnitOfWork) -> list[directory.OwnStatistic]:
    """The government statistics your agency owns (tables are registered under these codes)."""
    return await directory.own_statistics(uow)


@get("/tables", opt=access(*READERS, op="statdb.list"))
async def list_tables(
    request: Request,
    uow: UnitOfWork,
    status: str | None = None,
    gov_stat_code: str | None = None,
    limit: Annotated[int, Parameter(ge=1, le=1000)] = 50,
    offset: Offset = 0,
) -> Listing[StatTableRow]:
    """Your database tables, newest first."""
    total, rows = await queries.list_tables(uow, status=status, gov_stat_code=gov_stat_code, limit=limit, offset=offset)
    set_units(request, len(rows))
    return Listing(total=total, offset=offset, items=rows)


@post("/tables", opt=access(*AGENCY, op="statdb.register", audit=True), request_max_body_size=MAX_UPLOAD)
async def register(request: Request, uow: UnitOfWork) -> StatTableRow:
    """Register one table: multipart `params` (YAML parameter file), `data` (CSV or XLSX), `test_mode`."""
    files, test_mode = await uploads(request)
    rows = await service.register_many(uow, files[:1], test_mode=test_mode, single=True)
    return await service.get(uow, rows[0].stats_data_id)


@post("/tables/bulk", opt=access(*AGENCY, op="statdb.register", audit=True), request_max_body_size=MAX_UPLOAD)
async def register_bulk(request: Request, uow: UnitOfWork) -> Bulk:
    """Bulk registration (一括登録): several `params`/`data` pairs, paired in order; all or nothing."""
    files, test_mode = await uploads(request)
    rows = await service.register_many(uow, files, test_mode=test_mode)
    set_units(request, len(rows))
    return Bulk(registered=len(rows), items=[await service.get(uow, r.stats_data_id) for r in rows])


@post("/validate", opt=access(*AGENCY, op="statdb.validate"), request_max_body_size=MAX_UPLOAD, status_code=200)
async def validate(request: Request, uow: UnitOfWork) -> Validation:
    """Check a parameter file against its data file; nothing is registered."""
    files, _ = await uploads(request)
    return await service.validate(uow, files[0])


@get("/tables/{stats_data_id:str}", opt=access(*READERS, op="statdb.read"))
async def get_table(uow: UnitOfWork, stats_data_id: str) -> TableDetail:
    table = await _table(uow, stats_data_id)
    usage.count(uow, table.id, table.tenant_id, table.status, views=1)
    info = await queries.table_info(uow, table)
    return TableDetail(**msgspec.structs.asdict(info), classes=await queries.classes(uow, table.id))


@get("/tables/{stats_data_id:str}/data", opt=access(*READERS, op="statdb.data"))
async def table_data(
    request: Request, uow: UnitOfWork, stats_data_id: str, start: Start = 1, limit: Limit = 1000
) -> DataPage:
    """Observations, filtered by codes (cdTab, cdCat01..cdCat15, cdArea, cdTime: comma-separated),
    in the stable order `seq`; `next` is the `start` of the following page."""
    table = await _table(uow, stats_data_id)
    objs = await queries.classes(uow, table.id)
    total, rows, nxt = await queries.observations(
        uow, table.id, objs, queries.filters_from(request.query_params), start=start, limit=limit
    )
    set_units(request, len(rows))
    usage.count(uow, table.id, table.tenant_id, table.status, api_rows=len(rows))
    return DataPage(stats_data_id=stats_data_id, total=total, next=nxt, items=rows)


@get("/tables/{stats_data_id:str}/preview", opt=access(*READERS, op="statdb.preview"))
async def preview(
    request: Request, uow: UnitOfWork, stats_data_id: str, start: Start = 1, limit: Limit = 100
) -> dict[str, Any]:
    """Test mode: the table exactly as the public API will answer (getStatsData JSON), before publication."""
    table = await queries.table_info(uow, await _table(uow, stats_data_id))
    objs = await queries.classes(uow, table.id)
    total, rows, nxt = await queries.observations(
        uow, table.id, objs, queries.filters_from(request.query_params), start=start, limit=limit
    )
    set_units(request, len(rows))
    return render.stats_data(table, objs, rows, total=total, start=start, next_key=nxt)


@get("/tables/{stats_data_id:str}/csv", opt=access(*READERS, op="statdb.download"), media_type="text/csv")
async def download_csv(principal: Principal, uow: UnitOfWork, stats_data_id: str) -> Response:
    """All observations as CSV (UTF-8 with BOM), codes and names side by side."""
    table = await _table(uow, stats_data_id)
    objs = await queries.classes(uow, table.id)
    usage.count(uow, table.id, table.tenant_id, table.status, downloads=1)
    return downloads.csv_response(principal.scope(), table, objs)


@get("/tables/{stats_data_id:str}/params", opt=access(*READERS, op="statdb.read"), media_type="application/yaml")
async def params_file(uow: UnitOfWork, stats_data_id: str) -> Response:
    table = await _table(uow, stats_data_id)
    content = await uow.fetchval("SELECT params FROM stat_table WHERE id = $1", table.id)
    return Response(
        content,
        media_type="application/yaml; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{stats_data_id}.params.yaml"'},
    )


@post("/tables/{stats_data_id:str}/schedule", opt=access(*READERS, op="statdb.schedule", audit=True), status_code=200)
async def schedule(uow: UnitOfWork, stats_data_id: str, data: ScheduleIn) -> StatTableRow:
    """公表予約: publish at the announced time (the worker publishes it; not a second earlier)."""
    await _table(uow, stats_data_id)
    return await service.schedule(uow, stats_data_id, data.publish_at)


@post("/tables/{stats_data_id:str}/promote", opt=access(*AGENCY, op="statdb.register", audit=True), status_code=200)
async def promote(uow: UnitOfWork, stats_data_id: str) -> StatTableRow:
    """Test mode -> production registration."""
    await _table(uow, stats_data_id)
    return await service.promote(uow, stats_data_id)


@delete("/tables/{stats_data_id:str}", opt=access(*AGENCY, op="statdb.delete", audit=True), status_code=204)
async def delete_table(uow: UnitOfWork, stats_data_id: str) -> None:
    await _table(uow, stats_data_id)
    await service.delete(uow, stats_data_id)


@get("/tables/{stats_data_id:str}/usage", opt=access(*READERS, op="statdb.usage"))
async def table_usage(uow: UnitOfWork, stats_data_id: str) -> TableUsage:
    """Usage figures: views, downloads and API rows per day since publication."""
    table = await _table(uow, stats_data_id)
    return await usage.figures(uow, table.id, stats_data_id)


api = Router(
    path="/api/statdb",
    tags=["statdb / 統計情報データベース"],
    route_handlers=[
        statistics,
        list_tables,
        register,
        register_bulk,
        validate,
        get_table,
        table_data,
        preview,
        download_csv,
        params_file,
        schedule,
        promote,
        delete_table,
        table_usage,
    ],
)
