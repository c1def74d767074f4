"""Self-service of registered general users: sign-up, My page, appIds (ESTAT-4/5, AUTH)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Router, delete, get, post
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError
from govstat.platform.module import access, public
from govstat.platform.security import Role
from govstat.platform.web.pages import page
from govstat.tenants import schemas
from govstat.tenants.accounts import service as accounts
from govstat.tenants.rows import AppIdRow, Registered

PUBLIC_USER = (Role.PUBLIC, Role.ONSITE)


@post("/api/account/register", opt=public("auth.register"), tags=["account / マイページ"])
async def register(data: schemas.RegisterIn, uow: UnitOfWork) -> Registered:
    return await accounts.register(uow, data)


@get(
    "/api/account/app-ids",
    opt=access(*PUBLIC_USER, op="auth.app_ids", subscription=False),
    tags=["account / マイページ"],
)
async def list_app_ids(uow: UnitOfWork) -> list[AppIdRow]:
    return await accounts.list_app_ids(uow)


@post(
    "/api/account/app-ids",
    opt=access(*PUBLIC_USER, op="auth.app_ids", subscription=False),
    tags=["account / マイページ"],
)
async def create_app_id(data: schemas.AppIdIn, uow: UnitOfWork) -> AppIdRow:
    return await accounts.create_app_id(uow, data)


@delete(
    "/api/account/app-ids/{row_id:uuid}",
    opt=access(*PUBLIC_USER, op="auth.app_ids", subscription=False),
    status_code=200,
    tags=["account / マイページ"],
)
async def revoke_app_id(row_id: uuid.UUID, uow: UnitOfWork) -> AppIdRow:
    return await accounts.revoke_app_id(uow, row_id)


@get("/register", opt=public("auth.register"), include_in_schema=False)
async def register_page(request: Request) -> Any:
    return page(request, "account/register.html", error="", values={})


@post("/register", opt=public("auth.register"), include_in_schema=False, status_code=200)
async def register_form(request: Request, uow: UnitOfWork) -> Any:
    import msgspec

    form = dict(await request.form())
    values = {k: str(form.get(k, "")) for k in ("login", "display_name", "email", "password")}
    try:
        data = msgspec.convert(values, schemas.RegisterIn)
        await accounts.register(uow, data)
    except msgspec.ValidationError as exc:
        return page(
            request,
            "account/register.html",
            status_code=422,
            values=values,
            error=f"入力内容に誤りがあります / invalid input: {exc}",
        )
    except GovstatError as exc:
        return page(request, "account/register.html", status_code=exc.status, values=values, error=exc.detail)
    return Redirect("/login?next=/mypage", status_code=303)


@get("/mypage", opt=access(*PUBLIC_USER, op="auth.app_ids", subscription=False), include_in_schema=False)
async def mypage(request: Request, uow: UnitOfWork) -> Any:
    return page(request, "account/mypage.html", app_ids=await accounts.list_app_ids(uow))


@post("/mypage/app-ids", opt=access(*PUBLIC_USER, op="auth.app_ids", subscription=False), include_in_schema=False)
async def mypage_create(request: Request, uow: UnitOfWork) -> Any:
    form = await request.form()
    await accounts.create_app_id(
        uow, schemas.AppIdIn(name=str(form.get("name") or "アプリ")[:100], url=str(form.get("url") or "")[:300])
    )
    return Redirect("/mypage", status_code=303)


@post(
    "/mypage/app-ids/{row_id:uuid}/revoke",
    opt=access(*PUBLIC_USER, op="auth.app_ids", subscription=False),
    include_in_schema=False,
)
async def mypage_revoke(row_id: uuid.UUID, uow: UnitOfWork) -> Any:
    await accounts.revoke_app_id(uow, row_id)
    return Redirect("/mypage", status_code=303)


router = Router(
    path="/",
    route_handlers=[
        register,
        list_app_ids,
        create_app_id,
        revoke_app_id,
        register_page,
        register_form,
        mypage,
        mypage_create,
        mypage_revoke,
    ],
)
