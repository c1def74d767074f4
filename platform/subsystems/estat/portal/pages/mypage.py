"""ESTAT-4 pages: a registered user's My page: subscriptions to statistics' new releases, saved
table selections and the notices sent."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.portal import mypage, search
from govstat.platform.subsystems.estat.portal.common import op_registered
from govstat.platform.subsystems.estat.portal.pages.view import estat_pages, view


@get("/mypage", opt=op_registered(), include_in_schema=False)
async def mypage_page(request: Request, uow: UnitOfWork) -> Any:
    subs = await mypage.subscriptions(uow)
    subscribed = {s.gov_stat_code for s in subs}
    stats = [s for s in (await search.choices(uow)).stats if s.code not in subscribed]
    return view(
        request,
        "estat/mypage.html",
        subs=subs,
        stats=stats,
        saved=await mypage.saved_queries(uow),
        notices=await mypage.notifications(uow),
    )


def _back(request: Request, form, default: str = "/estat/mypage") -> str:
    target = str(form.get("next", "") or "")
    return target if target.startswith("/estat") and "//" not in target else default


@post("/mypage/subscriptions", opt=op_registered(), include_in_schema=False)
async def mypage_subscribe(request: Request, uow: UnitOfWork) -> Any:
    form = await request.form()
    await mypage.subscribe(uow, str(form.get("gov_stat_code", "")))
    return Redirect(_back(request, form), status_code=303)


@post("/mypage/subscriptions/{code:str}/delete", opt=op_registered(), include_in_schema=False)
async def mypage_unsubscribe(request: Request, uow: UnitOfWork, code: str) -> Any:
    form = await request.form()
    await mypage.unsubscribe(uow, code)
    return Redirect(_back(request, form), status_code=303)


@post("/mypage/saved-queries/{query_id:uuid}/delete", opt=op_registered(), include_in_schema=False)
async def mypage_delete_query(request: Request, uow: UnitOfWork, query_id: uuid.UUID) -> Any:
    await mypage.delete_query(uow, query_id)
    return Redirect("/estat/mypage#saved", status_code=303)


router = estat_pages(mypage_page, mypage_subscribe, mypage_unsubscribe, mypage_delete_query)
