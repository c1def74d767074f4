"""ESTAT-3 pages: the release calendar (公表予定) by month, and the new arrivals (新着)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.portal import releases, search
from govstat.platform.subsystems.estat.portal.common import JST, op_public, pages
from govstat.platform.subsystems.estat.portal.pages.view import PAGE, PageNo, estat_pages, view
from govstat.platform.web.deps import set_units


@get("/calendar", opt=op_public("calendar"), include_in_schema=False)
async def calendar_page(request: Request, uow: UnitOfWork, month: str = "", stat: str = "", agency: str = "") -> Any:
    first, start, end = releases.month_bounds(month)
    entries = await releases.calendar(uow, start, end, gov_stat_code=stat, agency=agency)
    prev_month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (end.date()).strftime("%Y-%m")
    set_units(request, len(entries))
    return view(
        request,
        "estat/calendar.html",
        first=first,
        entries=entries,
        weeks=releases.weeks(first, entries),
        prev_month=prev_month,
        next_month=next_month,
        stat=stat,
        agency=agency,
        choices=await search.choices(uow),
        today=dt.datetime.now(JST).date(),
    )


@get("/new", opt=op_public("calendar"), include_in_schema=False)
async def new_page(
    request: Request, uow: UnitOfWork, days: Annotated[int, Parameter(ge=1, le=366)] = 30, page_no: PageNo = 1
) -> Any:
    total, rows = await releases.new_arrivals(uow, days=days, limit=PAGE, offset=(page_no - 1) * PAGE)
    set_units(request, len(rows))
    return view(request, "estat/new.html", rows=rows, total=total, days=days, page_no=page_no, pages=pages(total, PAGE))


router = estat_pages(calendar_page, new_page)
