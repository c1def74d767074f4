"""API of the statistical GIS, under /api/gis (GIS-1): boundaries, their areas, the boundaries' reload."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.jobs.spec import Enqueued
from govstat.platform.module import access, public
from govstat.platform.security import Principal, Role
from govstat.platform.subsystems.gis import choropleth, downloads, published, tiles
from govstat.platform.subsystems.gis.jobs import RELOAD
from govstat.platform.web.deps import set_units

Level = Literal["prefecture", "municipality"]
Zoom = Annotated[int, Parameter(ge=0, le=16)]
Index = Annotated[int, Parameter(ge=0, le=65535)]
Table = Annotated[
    str | None, Parameter(pattern=r"^[0-9A-Za-z_]{1,20}$", description="statsDataId of a published table")
]
Classes = Annotated[int, Parameter(ge=3, le=7)]
DIMS = ("tab", "time", *(f"cat{i:02d}" for i in range(1, 16)))
Pref = Annotated[str | None, Parameter(pattern=r"^[0-9]{2}$", description="2-digit prefecture code")]


class Boundaries(msgspec.Struct, kw_only=True):
    level: str
    vintage: str
    credit: str
    items: list[published.Boundary]


@get("/boundaries", opt=public("gis.read"))
async def list_boundaries(
    request: Request[Any, Any, Any], uow: UnitOfWork, level: Level = "prefecture", pref: Pref = None
) -> Boundaries:
    """The boundaries of a level (code, name, area in km² on the equal-area projection), vintage 2021-01-01."""
    rows = [b for b in await published.boundaries(uow, level) if pref is None or b.pref_code == pref]
    set_units(request, len(rows))
    return Boundaries(level=level, vintage=published.VINTAGE.isoformat(), credit=published.CREDIT, items=rows)


def _picks(request: Request[Any, Any, Any]) -> dict[str, str]:
    """One item code per dimension but area, from the query (tab=, cat01=, time=)."""
    return {k: str(request.query_params[k])[:40] for k in DIMS if k in request.query_params}


@get(
    "/tiles/{level:str}/{z:int}/{x:int}/{y:str}",
    opt=public("gis.tile"),
    media_type="application/vnd.mapbox-vector-tile",
)
async def tile(
    request: Request[Any, Any, Any], uow: UnitOfWork, level: Level, z: Zoom, x: Index, y: str, table: Table = None
) -> Response[bytes]:
    """A Mapbox Vector Tile of the boundaries (layer `areas`: code, name, and `value` when coloured by
    a published table's cells; suppressed cells are left out). `y` ends with `.mvt`. Cached; the ETag
    is the tile's hash, so If-None-Match answers 304 while the tile's content is unchanged."""
    row = y.removesuffix(".mvt")
    # ASCII digits, at most five (65535 at zoom 16): int() refuses "²" and past 4,300 digits (500s)
    if not (row.isascii() and row.isdigit() and len(row) <= 5) or int(row) >= 2**z or x >= 2**z:
        raise InvalidInput.field("y", f"タイル番号は 0 から {2**z - 1} です / tile index out of range at zoom {z}")
    t = await tiles.tile(uow, level, z, x, int(row), table, _picks(request))
    headers = {"etag": t.etag, "cache-control": "public, max-age=300", "x-tile-cache": "hit" if t.cached else "miss"}
    if request.headers.get("if-none-match") == t.etag:
        return Response(b"", status_code=304, headers=headers)
    return Response(t.body, headers=headers, media_type="application/vnd.mapbox-vector-tile")


class Legend(msgspec.Struct, kw_only=True):
    stats_data_id: str
    title: str
    selection: str
    unit: str
    level: str
    method: str
    method_name: str
    breaks: list[float]
    colors: list[str]
    counts: list[int]
    areas: int
    missing: int
    tiles: str
    table_url: str
    credit: str


@get("/choropleth", opt=public("gis.read"))
async def legend(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    table: Annotated[str, Parameter(pattern=r"^[0-9A-Za-z_]{1,20}$")],
    level: Level = "municipality",
    method: choropleth.Method = "quantile",
    classes: Classes = 5,
) -> Legend:
    """Class breaks, colours and legend of a published table on the boundaries of a level, with the
    tile URL that carries its values. Areas whose cell is suppressed or missing are counted as missing."""
    picks = _picks(request)
    choice = await choropleth.choose(uow, table, picks)
    boundary_codes = {b.code for b in await published.boundaries(uow, level)}
    data = {c: v for c, v in (await choropleth.values(uow, choice)).items() if c in boundary_codes}
    cuts = choropleth.breaks(list(data.values()), method, classes)
    colors = choropleth.PALETTES[max(3, len(cuts) + 1)][: len(cuts) + 1]
    counts = [sum(1 for v in data.values() if sum(v >= c for c in cuts) == i) for i in range(len(cuts) + 1)]
    return Legend(
        stats_data_id=choice.stats_data_id,
        title=choice.title,
        selection=choice.label(),
        unit=choice.unit(),
        level=level,
        method=method,
        method_name=choropleth.METHOD_NAMES[method],
        breaks=cuts,
        colors=colors,
        counts=counts,
        areas=len(boundary_codes),
        missing=len(boundary_codes) - len(data),
        tiles=published.tile_url(level, choice.stats_data_id, **{d.obj_id: d.code for d in choice.dims}),
        table_url=f"/estat/tables/{choice.stats_data_id}",
        credit=published.CREDIT,
    )


@get("/download", opt=public("gis.download"))
async def download(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    level: Level = "prefecture",
    format: Literal["geojson", "shapefile"] = "geojson",
    pref: Pref = None,
    vintage: dt.date = published.VINTAGE,
) -> Response[bytes]:
    """Boundaries of a level and vintage as GeoJSON or a zipped shapefile (with the MLIT credit)."""
    if vintage != published.VINTAGE:
        raise InvalidInput.field("vintage", f"境界は {published.VINTAGE} 現在のものだけです / only {published.VINTAGE}")
    stem = f"{level}_{vintage:%Y%m%d}" + (f"_{pref}" if pref else "")
    if format == "geojson":
        body, n = await downloads.geojson(uow, level, vintage, pref)
        media, name = "application/geo+json", f"{stem}.geojson"
    else:
        body, n = await downloads.shapefile_zip(uow, level, vintage, pref)
        media, name = "application/zip", f"{stem}.zip"
    set_units(request, n)
    return Response(body, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})


@post("/reload", opt=access(Role.OPERATOR, op="gis.maintain", audit=True), status_code=202)
async def reload(principal: Principal, uow: UnitOfWork) -> Enqueued:
    """Reload the shipped boundaries in the background (the worker runs job gis.load)."""
    job_id = await RELOAD.enqueue(requested_by=principal.subject)
    return Enqueued(job=RELOAD.job.name, job_id=job_id)


api = Router(path="/api/gis", route_handlers=[list_boundaries, tile, legend, download, reload])
