"""The public pages of password recovery by e-mail (service.py): ask for a link, use it."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post

from govstat.platform.errors import InvalidInput
from govstat.platform.module import public
from govstat.platform.subsystems.online.recovery import service as recovery
from govstat.platform.web.pages import page

RECOVER = public("online.recover")


@get("/online/forgot", opt=RECOVER)
async def forgot(request: Request[Any, Any, Any]) -> Any:
    return page(request, "online/forgot.html", asked=False)


@post("/online/forgot", opt=RECOVER, status_code=200)
async def ask_link(request: Request[Any, Any, Any]) -> Any:
    form = await request.form()
    await recovery.request_link(str(form.get("login", ""))[:64], str(form.get("email", ""))[:320])
    return page(request, "online/forgot.html", asked=True)


@get("/online/recover", opt=RECOVER)
async def recover_page(request: Request[Any, Any, Any], token: str = "") -> Any:
    ok = await recovery.valid(token[:128])
    return page(request, "online/recover.html", status_code=200 if ok else 410, token=token, ok=ok, errors=[])


@post("/online/recover", opt=RECOVER, status_code=200)
async def recover(request: Request[Any, Any, Any]) -> Any:
    form = await request.form()
    token = str(form.get("token", ""))[:128]
    try:
        await recovery.set_password(token, str(form.get("new", "")), str(form.get("again", "")))
    except InvalidInput as exc:
        ok = await recovery.valid(token)
        return page(request, "online/recover.html", status_code=422, token=token, ok=ok, errors=exc.errors)
    return page(request, "online/recover.html", token="", ok=True, done=True, errors=[])


recovery_pages = Router(path="/", route_handlers=[forgot, ask_link, recover_page, recover])
