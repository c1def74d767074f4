"""The respondent's pages (ONLINE-1): their units and the password change that the first sign-in
asks for. Server-rendered, without JavaScript."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, Router, get, post
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.online import answering, respondents
from govstat.platform.web.pages import page

JST = dt.timezone(dt.timedelta(hours=9))
RESPONDENT = access(Role.RESPONDENT, op="online.answer")


@get("/online", opt=RESPONDENT)
async def home(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    if await respondents.must_change(uow):
        return Redirect("/online/password", status_code=303)
    survey, units = await answering.my_units(uow)
    return page(request, "online/home.html", survey=survey, units=units, jst=JST)


@get("/online/password", opt=RESPONDENT)
async def password_page(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    return page(request, "online/password.html", first=await respondents.must_change(uow), errors=[])


@post("/online/password", opt=RESPONDENT)
async def change_password(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    form = await request.form()
    try:
        await respondents.change_password(
            uow, str(form.get("current", "")), str(form.get("new", "")), str(form.get("again", ""))
        )
    except InvalidInput as exc:
        return page(request, "online/password.html", status_code=422, first=True, errors=exc.errors)
    return Redirect("/online", status_code=303)


respondent_pages = Router(path="/", route_handlers=[home, password_page, change_password])
