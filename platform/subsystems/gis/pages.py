"""Web pages of the statistical GIS: the choropleth map of a published table (Japanese first)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Router, get
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, NotFound
from govstat.platform.module import public
from govstat.platform.security import Role
from govstat.platform.subsystems.gis import choropleth, published, report
from govstat.platform.subsystems.gis.routes import DIMS
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.web.deps import principal_of
from govstat.platform.web.pages import page

LEVELS = {"municipality": "市区町村", "prefecture": "都道府県"}


@get("/", opt=public("gis.read"), include_in_schema=False)
async def map_page(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    table: str = "",
    level: str = "municipality",
    method: str = "quantile",
    classes: Annotated[int, Parameter(ge=3, le=7)] = 5,
) -> Any:
    """統計地図: a published table's cells coloured on the municipalities or prefectures."""
    tables = await statdb.with_area_codes(uow, r"^[0-9]{2}[0-9]{3}$", limit=100)
    table = table or (tables[0].stats_data_id if tables else "")
    level = level if level in LEVELS else "municipality"
    method = method if method in choropleth.METHOD_NAMES else "quantile"
    picks = {k: str(request.query_params[k])[:40] for k in DIMS if k in request.query_params}
    error, options, choice = "", [], None
    if table:
        try:
            choice = await choropleth.choose(uow, table, picks)
            ref = await statdb.table_ref(uow, table)
            options = [o for o in await statdb.classes(uow, ref.id) if o.obj_id != "area"] if ref else []
        except GovstatError as exc:
            error = exc.detail
    query = {"table": table, "level": level, "method": method, "classes": classes}
    if choice:
        query |= {d.obj_id: d.code for d in choice.dims}
    return page(
        request,
        "gis/map.html",
        tables=tables,
        table=table,
        level=level,
        levels=LEVELS,
        method=method,
        methods=choropleth.METHOD_NAMES,
        classes=classes,
        choice=choice,
        options=options,
        error=error,
        legend_url="/api/gis/choropleth?" + urlencode(query) if choice else "",
        prefecture_tiles=published.tile_url("prefecture"),
        credit=published.CREDIT,
        can_save=bool(set(principal_of(request).roles) & {Role.AGENCY_ADMIN, Role.AGENCY_STAFF}),
    )


@get("/areas/{code:str}", opt=public("gis.read"), include_in_schema=False)
async def report_page(request: Request[Any, Any, Any], uow: UnitOfWork, code: str, table: str = "") -> Any:
    """地域レポート: an area's facts, a published table's cells for it (chart) and its map."""
    if not table:
        tables = await statdb.with_area_codes(uow, r"^[0-9]{2}[0-9]{3}$", limit=1)
        if not tables:
            raise NotFound("地図にできる公開統計表がありません / no published table with area codes")
        table = tables[0].stats_data_id
    picks = {k: str(request.query_params[k])[:40] for k in DIMS if k in request.query_params}
    r = await report.report(uow, code.strip()[:5], table, picks)
    return page(
        request,
        "gis/report.html",
        r=r,
        levels={**LEVELS},
        tiles=published.tile_url(r.facts.level),
        credit=published.CREDIT,
    )


pages = Router(path="/gis", route_handlers=[map_page, report_page])
