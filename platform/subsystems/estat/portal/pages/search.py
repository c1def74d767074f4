"""ESTAT-1 pages: the portal's home, search by conditions and keywords, the government statistics and
one statistic's overview with its tables, contact and coming releases."""

from __future__ import annotations

from typing import Any

from litestar import Request, get

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Principal
from govstat.platform.subsystems.estat.portal import contacts, mypage, releases, search
from govstat.platform.subsystems.estat.portal.common import GOV_STAT_CODE, is_registered, op_public, pages, query_dict
from govstat.platform.subsystems.estat.portal.pages.view import PAGE, PageNo, estat_pages, not_found, view
from govstat.platform.web.deps import set_units


@get("/", opt=op_public("search"), include_in_schema=False)
async def home(request: Request, uow: UnitOfWork) -> Any:
    _, arrivals = await releases.new_arrivals(uow, days=90, limit=8)
    return view(
        request,
        "estat/home.html",
        c=search.Conditions(),
        choices=await search.choices(uow),
        arrivals=arrivals,
        upcoming=await releases.upcoming(uow, limit=8),
        area_levels=search.AREA_LEVELS,
        kinds=search.KINDS,
    )


@get("/search", opt=op_public("search"), include_in_schema=False)
async def search_page(request: Request, uow: UnitOfWork, page_no: PageNo = 1) -> Any:
    c = search.Conditions.of(query_dict(request))
    result = await search.search(uow, c, limit=PAGE, offset=(page_no - 1) * PAGE)
    set_units(request, len(result.items))
    return view(
        request,
        "estat/search.html",
        status_code=422 if result.error else 200,
        c=c,
        result=result,
        choices=await search.choices(uow),
        page_no=page_no,
        pages=pages(result.total, PAGE),
        area_levels=search.AREA_LEVELS,
        kinds=search.KINDS,
        sorts={"new": "新着順 / newest", "survey": "調査年月順 / survey date", "title": "表題順 / title"},
    )


@get("/statistics", opt=op_public("read"), include_in_schema=False)
async def statistics_page(request: Request, uow: UnitOfWork, field: str = "", agency: str = "") -> Any:
    rows = await search.statistics(uow, field_code=field, agency=agency)
    return view(
        request, "estat/statistics.html", rows=rows, field=field, agency=agency, choices=await search.choices(uow)
    )


@get("/statistics/{code:str}", opt=op_public("read"), include_in_schema=False)
async def statistic_page(
    request: Request, uow: UnitOfWork, principal: Principal, code: str, page_no: PageNo = 1
) -> Any:
    stat = await search.statistic(uow, code) if GOV_STAT_CODE.match(code) else None
    if stat is None:
        return not_found(request, f"政府統計 {code} が見つかりません / no government statistic {code}")
    c = search.Conditions(stat=code)
    result = await search.search(uow, c, limit=PAGE, offset=(page_no - 1) * PAGE)
    subscribed = await mypage.is_subscribed(uow, code) if is_registered(principal) else False
    return view(
        request,
        "estat/statistic.html",
        stat=stat,
        result=result,
        page_no=page_no,
        pages=pages(result.total, PAGE),
        divisions=await search.divisions(uow, stat.agency_code),
        contact=await contacts.primary_contact(uow, stat.agency_code, code),
        subscribed=subscribed,
        upcoming=await releases.upcoming(uow, gov_stat_code=code, limit=20),
    )


router = estat_pages(home, search_page, statistics_page, statistic_page)
