"""The regional statistics' public JSON API, under /api/region (REGION-1), and the operator's
項目定義. Public reads are metered by the gateway like the other public APIs (rows served)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from litestar import Request, Response, Router, get, patch
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access, public
from govstat.platform.security import Principal, Role
from govstat.platform.subsystems.region import catalogue, downloads, service
from govstat.platform.subsystems.region.rows import Indicator, RankingOut, SeriesOut
from govstat.platform.subsystems.region.schemas import DefinitionIn
from govstat.platform.web.deps import set_units

Year = Annotated[int | None, Parameter(ge=1900, le=2100)]
Pref = Annotated[str, Parameter(pattern=r"^([0-9]{2})?$", max_length=2)]
Areas = Annotated[str, Parameter(max_length=400, description="5-digit area codes, comma separated")]
Format = Literal["json", "csv", "xlsx"]


@get("/indicators", opt=public("region.catalogue"))
async def indicators(request: Request[Any, Any, Any], uow: UnitOfWork) -> list[Indicator]:
    """The catalogue: item code, names, 項目定義, unit, kind, source tables (statsDataId)."""
    rows = await catalogue.all_items(uow)
    set_units(request, len(rows))
    return rows


@get("/indicators/{code:str}", opt=public("region.catalogue"))
async def indicator(uow: UnitOfWork, code: str) -> Indicator:
    return await catalogue.item(uow, code)


def _file(content: bytes, fmt: Format, name: str) -> Response[bytes]:
    media = "text/csv; charset=utf-8" if fmt == "csv" else downloads.XLSX
    disposition = f'attachment; filename="{name}.{fmt}"'
    return Response(content, media_type=media, headers={"content-disposition": disposition})


@get("/series", opt=public("region.series"))
async def series(
    request: Request[Any, Any, Any], uow: UnitOfWork, indicator: str, areas: Areas, format: Format = "json"
) -> SeriesOut | Response[bytes]:
    """An item's values on today's boundaries for 1-50 areas, every year; recombined values list the
    old municipalities they were summed from; a split without data is flagged, never guessed."""
    out = await service.series_of(uow, indicator, service.area_list(areas))
    set_units(request, sum(len(s.points) for s in out.series))
    if format == "json":
        return out
    rows = list(downloads.series_rows(out))
    build = downloads.csv_bytes if format == "csv" else downloads.xlsx_bytes
    return _file(await asyncio.to_thread(build, downloads.SERIES_HEAD, iter(rows)), format, f"region-{indicator}")


@get("/ranking", opt=public("region.ranking"))
async def ranking(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    indicator: str,
    year: Year = None,
    level: Literal["pref", "muni"] = "pref",
    pref: Pref = "",
    format: Format = "json",
) -> RankingOut | Response[bytes]:
    """Prefectures, or the municipalities of one prefecture, ranked by one year's value."""
    out = await service.ranking(uow, indicator, year, level, pref)
    set_units(request, len(out.rows))
    if format == "json":
        return out
    rows = list(downloads.ranking_rows(out))
    build = downloads.csv_bytes if format == "csv" else downloads.xlsx_bytes
    return _file(await asyncio.to_thread(build, downloads.RANKING_HEAD, iter(rows)), format, f"ranking-{indicator}")


@patch("/indicators/{code:str}", opt=access(Role.OPERATOR, op="region.define", audit=True))
async def define(principal: Principal, uow: UnitOfWork, code: str, data: DefinitionIn) -> Indicator:
    """The operator's 項目定義: names, definition and unit of an item."""
    return await service.define(uow, code, data, principal.subject)


api = Router(
    path="/api/region",
    route_handlers=[indicators, indicator, series, ranking, define],
    tags=["region / 地域統計分析"],
)
