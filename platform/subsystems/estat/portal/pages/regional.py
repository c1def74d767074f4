"""ESTAT-2 page: regional statistics (社会・人口統計体系 style), prefectures or municipalities ranked
on a map and a chart."""

from __future__ import annotations

from typing import Any

from litestar import Request, get

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.estat.portal import regional, tableview
from govstat.platform.subsystems.estat.portal.common import op_public, query_dict
from govstat.platform.subsystems.estat.portal.pages.view import estat_pages, not_found, published_table, view
from govstat.platform.web.deps import set_units


@get("/regional", opt=op_public("regional"), include_in_schema=False)
async def regional_page(request: Request, uow: UnitOfWork) -> Any:
    q = query_dict(request)
    options = await regional.candidates(uow)
    if not options:
        return view(request, "estat/regional.html", options=[], t=None)
    sid = q.get("table") or options[0].stats_data_id
    try:
        t = await published_table(uow, sid)
    except NotFound as exc:
        return not_found(request, exc.detail)
    dims = await tableview.dimensions(uow, t.id)
    result = await regional.ranking(uow, t, dims, q)
    area = next((d for d in dims if d.obj_id == "area"), None)
    set_units(request, len(result.rows))
    request_query = {
        "table": t.stats_data_id,
        "view": result.view,
        "pref": result.pref,
        **{f"cd{tableview.SUFFIX[obj]}": code for obj, code in result.items.items()},
    }
    return view(
        request,
        "estat/regional.html",
        options=options,
        t=t,
        dims=dims,
        r=result,
        prefs=tableview.prefecture_ranges(area) if area else [],
        chart=regional.to_json(result),
        request_query=request_query,
    )


router = estat_pages(regional_page)
