"""Web pages of the regional statistics (Japanese, with English labels where the public reads):
the catalogue, an item's time series for chosen areas, a ranking with a chart and a map, and the
operator's 項目定義."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import msgspec
from litestar import MediaType, Request, Router, get, post
from litestar.params import Parameter
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, InvalidInput
from govstat.platform.module import access, public
from govstat.platform.security import Principal, Role
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.gis import published as gis
from govstat.platform.subsystems.region import catalogue, service
from govstat.platform.subsystems.region.schemas import DefinitionIn
from govstat.platform.web.pages import page

HTML: dict[str, Any] = {"include_in_schema": False, "media_type": MediaType.HTML}
KINDS = {
    "base": "基礎データ / base",
    "share": "割合 / share",
    "change": "増減率 / rate of change",
    "density": "密度 / density",
}
Year = Annotated[int | None, Parameter(ge=1900, le=2100)]
Text = Annotated[str, Parameter(max_length=400)]


async def _choices(uow: UnitOfWork, pref: str) -> dict[str, Any]:
    from govstat.platform.clock import today_jst

    codes = await area.valid_on(uow, today_jst())
    prefs = sorted((c, a.name) for c, a in codes.items() if a.level == "prefecture")
    munis = sorted(
        (c, a.name if a.level != "ward" else f"{a.desig_name}{a.name}")
        for c, a in codes.items()
        if c[:2] == pref and (a.level in service.MUNICIPAL or (a.level == "ward" and c.startswith("131")))
    )
    return {"prefs": prefs, "munis": munis, "items": await catalogue.all_items(uow), "kinds": KINDS}


@get("/", opt=public("region.catalogue"), **HTML)
async def home(request: Request[Any, Any, Any], uow: UnitOfWork, pref: Text = "01") -> Any:
    return page(request, "region/home.html", pref=pref, **await _choices(uow, pref))


@get("/series", opt=public("region.series"), **HTML)
async def series_page(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    indicator: Text = "A1101",
    areas: Text = "",
    a: list[str] | None = None,
    pref: Text = "",
) -> Any:
    chosen = ",".join([*(x for x in (a or []) if x), *([areas] if areas else [])]) or "00000"
    error, out, status = "", None, 200
    try:
        codes = service.area_list(chosen)
        out = await service.series_of(uow, indicator, codes)
    except GovstatError as exc:
        error, codes, status = exc.detail, [], exc.status
    pref = pref or (codes[0][:2] if codes else "01")
    chart = None
    if out:
        chart = {
            "unit": out.indicator.unit,
            "series": [
                {
                    "name": s.name,
                    "points": [{"year": p.year, "value": p.value, "recombined": p.recombined} for p in s.points],
                }
                for s in out.series
            ],
        }
    return page(
        request,
        "region/series.html",
        status_code=status,
        indicator=indicator,
        areas=",".join(codes),
        out=out,
        chart=chart,
        error=error,
        pref=pref,
        **await _choices(uow, pref),
    )


@get("/ranking", opt=public("region.ranking"), **HTML)
async def ranking_page(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    indicator: Text = "A1101",
    year: Year = None,
    level: Literal["pref", "muni"] = "pref",
    pref: Text = "29",
) -> Any:
    error, out, status = "", None, 200
    try:
        out = await service.ranking(uow, indicator, year, level, pref)
    except GovstatError as exc:
        error, status = exc.detail, exc.status
    chart = None
    if out:
        chart = {
            "unit": out.indicator.unit,
            "level": level,
            "pref": pref,
            "rows": [{"code": r.area, "name": r.name, "rank": r.rank, "value": r.value} for r in out.rows],
        }
    return page(
        request,
        "region/ranking.html",
        status_code=status,
        indicator=indicator,
        out=out,
        chart=chart,
        error=error,
        level=level,
        pref=pref,
        tiles=gis.tile_url("municipality"),
        credit=gis.CREDIT,
        query=urlencode({"indicator": indicator, "year": out.year if out else "", "level": level, "pref": pref}),
        **await _choices(uow, pref),
    )


@get("/indicators/{code:str}", opt=public("region.catalogue"), **HTML)
async def indicator_page(request: Request[Any, Any, Any], uow: UnitOfWork, code: str, error: str = "") -> Any:
    return page(request, "region/indicator.html", i=await catalogue.item(uow, code), kinds=KINDS, error=error)


@post("/indicators/{code:str}", opt=access(Role.OPERATOR, op="region.define", audit=True), **HTML)
async def define_submit(request: Request[Any, Any, Any], principal: Principal, uow: UnitOfWork, code: str) -> Any:
    form = await request.form()
    fields = ("name_ja", "name_en", "definition", "unit")
    values = {k: str(form.get(k, "")).strip() for k in fields if k in form}
    try:
        if "name_ja" in values and not values["name_ja"]:
            raise InvalidInput.field("name_ja", "項目名を入力してください / the name is required")
        try:
            data = msgspec.convert(values, DefinitionIn)
        except msgspec.ValidationError as exc:
            raise InvalidInput.field("form", str(exc)) from None
        await service.define(uow, code, data, principal.subject)
    except InvalidInput as exc:
        item = await catalogue.item(uow, code)
        msg = "; ".join(f"{e.field}: {e.message}" for e in exc.errors) or exc.detail
        return page(request, "region/indicator.html", status_code=422, i=item, kinds=KINDS, error=msg)
    return Redirect(f"/region/indicators/{code}", status_code=303)


pages = Router(path="/region", route_handlers=[home, series_page, ranking_page, indicator_page, define_submit])
