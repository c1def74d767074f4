"""ESTAT-2 pages: a published table with its pickers, the grid and the graph of the selected cells,
and saving the selection to My page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import Parameter
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.estat.portal import mypage, tableview
from govstat.platform.subsystems.estat.portal.common import (
    JST,
    check_stats_data_id,
    op_public,
    op_registered,
    query_dict,
)
from govstat.platform.subsystems.estat.portal.pages.view import estat_pages, not_found, published_table, view
from govstat.platform.subsystems.estat.portal.schemas import SavedQueryIn
from govstat.platform.subsystems.statdb import usage
from govstat.platform.subsystems.statdb.notes import note_inf
from govstat.platform.web.deps import set_units


@get("/tables/{stats_data_id:str}", opt=op_public("table"), include_in_schema=False)
async def table_page(
    request: Request, uow: UnitOfWork, stats_data_id: str, start: Annotated[int, Parameter(ge=1)] = 1
) -> Any:
    try:
        t = await published_table(uow, stats_data_id)
    except NotFound as exc:
        return not_found(request, exc.detail)
    dims = await tableview.dimensions(uow, t.id)
    q = query_dict(request)
    sel = tableview.selection(q, dims)
    cells = await tableview.fetch(uow, t.id, dims, sel, start=start)
    counts = {k: len(v) for k, v in tableview.present_codes(cells.rows, dims).items()}
    col = tableview.column_dim(sel, dims, counts)
    usage.count(uow, t.id, t.tenant_id, t.status, views=1)
    set_units(request, len(cells.rows))
    query = sel.query()
    return view(
        request,
        "estat/table.html",
        status_code=422 if cells.error else 200,
        t=t,
        dims=dims,
        sel=sel,
        cells=cells,
        grid=tableview.pivot(cells.rows, dims, col),
        graph=tableview.graph_data(cells.rows, dims),
        query=query,
        page_cells=tableview.PAGE_CELLS,
        level_options=tableview.level_options,
        prefecture_ranges=tableview.prefecture_ranges,
        notes=note_inf(t.notes),
        has_area=any(d.obj_id == "area" for d in dims),
    )


@post("/tables/{stats_data_id:str}/save", opt=op_registered(), include_in_schema=False)
async def save_query(request: Request, uow: UnitOfWork, stats_data_id: str) -> Any:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k not in ("_csrf", "name")}
    name = str(form.get("name", "")).strip()[:100] or f"{stats_data_id} {dt.datetime.now(JST):%Y-%m-%d %H:%M}"
    await mypage.save_query(
        uow, SavedQueryIn(name=name, stats_data_id=check_stats_data_id(stats_data_id), params=values)
    )
    return Redirect("/estat/mypage#saved", status_code=303)


router = estat_pages(table_page, save_query)
