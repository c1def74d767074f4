"""Web pages of the standard area codes (Japanese first, English beside it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, Router, get
from litestar.params import Parameter

from govstat.platform.clock import today_jst
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError
from govstat.platform.module import public
from govstat.platform.subsystems.area import queries, service
from govstat.platform.web.pages import page

PAGE = 50
LEVELS = {
    "prefecture": "都道府県",
    "designated_city": "政令指定都市",
    "ward": "区",
    "city": "市",
    "town": "町",
    "village": "村",
    "district": "郡・支庁等",
}
KINDS = {
    "merger_new": "新設合併",
    "merger_absorb": "編入",
    "promotion": "市制・町制施行",
    "rename": "名称変更",
    "designated_city": "政令指定都市施行",
    "ward_change": "区の新設・再編",
    "split": "分割・分立",
    "boundary": "境界変更",
    "other": "その他",
}


@get("/", opt=public("area.search"), include_in_schema=False)
async def search_page(
    request: Request,
    uow: UnitOfWork,
    date: str = "",
    pref: str = "",
    q: str = "",
    level: str = "",
    page_no: Annotated[int, Parameter(query="page", ge=1)] = 1,
) -> Any:
    error = ""
    try:
        day = dt.date.fromisoformat(date) if date else today_jst()
    except ValueError:
        day, error = today_jst(), f"日付の形式が正しくありません / invalid date: {date}"
    total, rows = await service.codes_on(
        uow, day, pref=pref or None, q=q or None, level=level or None, limit=PAGE, offset=(page_no - 1) * PAGE
    )
    _, prefs = await service.codes_on(uow, day, pref=None, q=None, level="prefecture", limit=100, offset=0)
    return page(
        request,
        "area/search.html",
        day=day,
        pref=pref,
        q=q,
        level=level,
        rows=rows,
        total=total,
        page_no=page_no,
        pages=max((total + PAGE - 1) // PAGE, 1),
        prefs=prefs,
        levels=LEVELS,
        error=error,
    )


@get("/codes/{code:str}", opt=public("area.read"), include_in_schema=False)
async def code_page(request: Request, uow: UnitOfWork, code: str) -> Any:
    try:
        detail = await service.code_detail(uow, code)
    except GovstatError as exc:
        return page(request, "area/not_found.html", status_code=exc.status, code=code, message=exc.detail)
    return page(request, "area/code.html", d=detail, levels=LEVELS, kinds=KINDS)


@get("/changes", opt=public("area.changes"), include_in_schema=False)
async def changes_page(
    request: Request,
    uow: UnitOfWork,
    year: Annotated[int | None, Parameter(ge=1970, le=2100)] = None,
    pref: str = "",
    kind: str = "",
    q: str = "",
    page_no: Annotated[int, Parameter(query="page", ge=1)] = 1,
) -> Any:
    total, rows = await queries.changes(
        uow,
        date_from=dt.date(year, 1, 1) if year else None,
        date_to=dt.date(year, 12, 31) if year else None,
        pref=pref or None,
        kind=kind or None,
        q=q or None,
        names_too=False,
        limit=PAGE,
        offset=(page_no - 1) * PAGE,
    )
    _, prefs = await service.codes_on(uow, today_jst(), pref=None, q=None, level="prefecture", limit=100, offset=0)
    return page(
        request,
        "area/changes.html",
        rows=rows,
        total=total,
        year=year,
        pref=pref,
        kind=kind,
        q=q,
        page_no=page_no,
        pages=max((total + PAGE - 1) // PAGE, 1),
        kinds=KINDS,
        prefs=prefs,
        per_year=await queries.changes_per_year(uow),
    )


pages = Router(path="/area", route_handlers=[search_page, code_page, changes_page])
__all__ = ["pages", "queries"]
