"""ESTAT-2 pages: the selected cells of a table as CSV or XLSX, and a published table file as it was
registered (TABLES-2); each download is counted for the table's owner (STATDB-3, TABLES-3)."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Request, Response, get
from litestar.params import Parameter

from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Gone, InvalidInput, NotFound
from govstat.platform.security import Principal
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.estat.portal import downloads, tableview
from govstat.platform.subsystems.estat.portal.common import op_public, query_dict
from govstat.platform.subsystems.estat.portal.pages.view import estat_pages, published_table
from govstat.platform.subsystems.statdb import usage
from govstat.platform.web.deps import set_units


@get(
    "/tables/{stats_data_id:str}/download.csv",
    opt=op_public("download"),
    include_in_schema=False,
    media_type="text/csv",
)
async def download_csv(request: Request, uow: UnitOfWork, principal: Principal, stats_data_id: str) -> Response:
    t, dims, sel, _n = await _download(request, uow, stats_data_id)
    return downloads.csv_response(principal.scope(), t, dims, sel)


@get("/tables/{stats_data_id:str}/download.xlsx", opt=op_public("download"), include_in_schema=False)
async def download_xlsx(request: Request, principal: Principal, stats_data_id: str) -> Response:
    # The request's one unit of work, opened here rather than injected: it reads the cells and ends
    # (commits, returns its connection to the pool) before the workbook of up to 100,000 cells is built.
    async with UnitOfWork(principal.scope()) as uow:
        t, dims, sel, _n = await _download(request, uow, stats_data_id)
        rows = await downloads.xlsx_rows(uow, t, dims, sel)
    return await downloads.xlsx_response(t, dims, sel, rows)


async def _download(request: Request, uow: UnitOfWork, stats_data_id: str):
    t = await published_table(uow, stats_data_id)
    dims = await tableview.dimensions(uow, t.id)
    sel = tableview.selection(query_dict(request), dims)
    try:
        n = await tableview.count(uow, t.id, dims, sel)
    except EstatFault as fault:
        raise InvalidInput(f"選択が正しくありません / invalid selection: {fault.message}") from None
    if n > tableview.MAX_DOWNLOAD:
        raise InvalidInput(
            f"{n:,} セルは多すぎます。{tableview.MAX_DOWNLOAD:,} セル以下に絞り込んでください"
            f" / {n:,} cells: narrow the selection to at most {tableview.MAX_DOWNLOAD:,}"
        )
    usage.count(uow, t.id, t.tenant_id, t.status, downloads=1)  # STATDB-3: downloads per table, for its owner
    set_units(request, n)
    return t, dims, sel, n


@get("/files/{file_id:uuid}", opt=op_public("download"), include_in_schema=False)
async def file_download(
    request: Request,
    uow: UnitOfWork,
    file_id: uuid.UUID,
    version: Annotated[int | None, Parameter(ge=1, le=1_000_000)] = None,
) -> Response:
    """A published table file as it was registered (TABLES-2), counted for its owner (TABLES-3);
    `version`: a file it replaced (差替え前). A withdrawn file answers 410 with when and why."""
    from govstat.platform.subsystems.tables import published as files
    from govstat.platform.subsystems.tables import usage as file_usage

    row = await (files.download(uow, file_id) if version is None else files.download_version(uow, file_id, version))
    if row is None:
        gone = await files.withdrawal(uow, file_id)
        if gone is not None:
            raise Gone(
                f"この統計表ファイルは {gone.withdrawn_at.astimezone(JST):%Y-%m-%d} に取り下げられました（{gone.withdrawn_reason}）"
                f" / withdrawn on {gone.withdrawn_at.astimezone(JST):%Y-%m-%d}: {gone.withdrawn_reason}"
            )
        raise NotFound("統計表ファイルが見つかりません / table file not found")
    file_usage.count(uow, row.id, row.tenant_id, row.status, downloads=1)
    set_units(request, 1)
    from urllib.parse import quote

    media = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[row.format]
    return Response(
        bytes(row.content),
        media_type=media,
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(row.filename, safe='')}"},
    )


router = estat_pages(download_csv, download_xlsx, file_download)
