"""The portal's pages under /portal (Japanese, English beside): notices, boards and threads, pages
for statisticians and search. Forms post back here; every change goes through the same use cases
as the API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get, post
from litestar.params import Parameter
from litestar.response import Redirect

from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Principal, Role
from govstat.platform.subsystems.portal import articles, boards, files, notices, search
from govstat.platform.subsystems.portal.routes import READERS, STATISTICIANS
from govstat.platform.subsystems.portal.schemas import BoardIn, ModerateIn, NoticeIn, PageIn, PostIn
from govstat.platform.web import pages as web

AUDIENCES = {
    "agencies": "すべての利用機関 / all agencies",
    "tenant": "特定の利用機関 / one agency",
    "intermediaries": "経由機関 / intermediaries",
    "public": "一般 / the public",
}
OP = Role.OPERATOR
Req = Request[Any, Any, Any]


def jst(at: dt.datetime) -> str:
    return at.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def page(request: Req, template: str, **context: Any) -> Any:
    return web.page(request, template, jst=jst, **context)


async def _fields(request: Req) -> dict[str, Any]:
    form = await request.form()
    return {k: v for k, v in form.items() if k != "_csrf"}


def _convert(values: dict[str, Any], kind: type[Any]) -> Any:
    try:
        return msgspec.convert(values, kind, strict=False)
    except msgspec.ValidationError as exc:
        raise InvalidInput.field("form", str(exc)) from None


@get("/notices", opt=access(*READERS, op="portal.notices", subscription=False), include_in_schema=False)
async def notices_page(request: Req, uow: UnitOfWork, principal: Principal) -> Any:
    data = await notices.listing(uow, limit=200, manage=principal.is_operator)
    return page(request, "portal/notices.html", data=data, audiences=AUDIENCES, now=dt.datetime.now(dt.UTC))


async def _notice_form(request: Req) -> NoticeIn:
    """The operator's notice form; a publish time typed without a zone is Japan time."""
    values = await _fields(request)
    values["important"] = values.get("important") == "on"
    for key in ("audience_tenant_id", "publish_at"):
        if not values.get(key):
            values.pop(key, None)
    if "publish_at" in values:
        try:
            at = dt.datetime.fromisoformat(str(values["publish_at"]))
        except ValueError:
            raise InvalidInput.field("publish_at", "日時の形式が違います / not a date and time") from None
        values["publish_at"] = at if at.tzinfo else at.replace(tzinfo=JST)
    result: NoticeIn = _convert(values, NoticeIn)
    return result


@post("/notices", opt=access(OP, op="portal.notices_manage", audit=True), include_in_schema=False)
async def notices_create(request: Req, uow: UnitOfWork) -> Any:
    row = await notices.create(uow, await _notice_form(request))
    return Redirect(f"/portal/notices/{row.id}", status_code=303)


@post("/notices/{notice_id:uuid}/edit", opt=access(OP, op="portal.notices_manage", audit=True), include_in_schema=False)
async def notices_edit(request: Req, uow: UnitOfWork, notice_id: uuid.UUID) -> Any:
    await notices.update(uow, notice_id, await _notice_form(request))
    return Redirect(f"/portal/notices/{notice_id}", status_code=303)


@get(
    "/notices/{notice_id:uuid}", opt=access(*READERS, op="portal.notices", subscription=False), include_in_schema=False
)
async def notice_page(request: Req, uow: UnitOfWork, principal: Principal, notice_id: uuid.UUID) -> Any:
    row = await notices.get(uow, notice_id)
    if not principal.is_operator:
        row = await notices.mark_read(uow, notice_id)  # opening a notice reads it
    return page(request, "portal/notice.html", n=row, audiences=AUDIENCES)


@post(
    "/notices/{notice_id:uuid}/withdraw",
    opt=access(OP, op="portal.notices_manage", audit=True),
    include_in_schema=False,
)
async def notice_withdraw(uow: UnitOfWork, notice_id: uuid.UUID) -> Any:
    await notices.withdraw(uow, notice_id)
    return Redirect(f"/portal/notices/{notice_id}", status_code=303)


@get("/boards", opt=access(*READERS, op="portal.boards"), include_in_schema=False)
async def boards_page(request: Req, uow: UnitOfWork) -> Any:
    return page(request, "portal/boards.html", boards=await boards.boards(uow))


@post("/boards", opt=access(OP, op="portal.boards_manage", audit=True), include_in_schema=False)
async def boards_create(request: Req, uow: UnitOfWork) -> Any:
    form = await request.form()
    data = BoardIn(
        name=str(form.get("name", "")).strip() or "?",
        description=str(form.get("description", "")),
        member_tenants=[uuid.UUID(v) for v in str(form.get("member_tenants", "")).split() if v],
    )
    kinds = [str(k) for k in form.getall("member_kinds", [])]
    row = await boards.create_board(uow, _convert({**msgspec.to_builtins(data), "member_kinds": kinds}, BoardIn))
    return Redirect(f"/portal/boards/{row.id}", status_code=303)


@get("/boards/{board_id:uuid}", opt=access(*READERS, op="portal.boards"), include_in_schema=False)
async def board_page(request: Req, uow: UnitOfWork, board_id: uuid.UUID) -> Any:
    return page(
        request,
        "portal/board.html",
        board=await boards.board(uow, board_id),
        members=await boards.members(uow, board_id),
        threads=await boards.threads(uow, board_id, limit=200, offset=0),
    )


async def _attach_if_any(request: Req, uow: UnitOfWork, post_id: uuid.UUID) -> None:
    part = (await request.form()).get("file")
    if part is not None and not isinstance(part, str) and part.filename:
        await boards.attach(uow, post_id, files.check(part.filename, await part.read()))


@post(
    "/boards/{board_id:uuid}",
    opt=access(*READERS, op="portal.post", audit=True),
    include_in_schema=False,
    request_max_body_size=files.MAX_BYTES + 65536,
)
async def thread_create(request: Req, uow: UnitOfWork, principal: Principal, board_id: uuid.UUID) -> Any:
    values = await _fields(request)
    data = _convert({"title": str(values.get("title", "")), "body": str(values.get("body", ""))}, PostIn)
    row = await boards.write(uow, principal, board_id, data)
    await _attach_if_any(request, uow, row.id)
    return Redirect(f"/portal/posts/{row.id}", status_code=303)


@get("/posts/{post_id:uuid}", opt=access(*READERS, op="portal.boards"), include_in_schema=False)
async def thread_page(request: Req, uow: UnitOfWork, post_id: uuid.UUID) -> Any:
    return page(request, "portal/thread.html", t=await boards.thread(uow, post_id))


@post(
    "/posts/{post_id:uuid}/reply",
    opt=access(*READERS, op="portal.post", audit=True),
    include_in_schema=False,
    request_max_body_size=files.MAX_BYTES + 65536,
)
async def thread_reply(request: Req, uow: UnitOfWork, principal: Principal, post_id: uuid.UUID) -> Any:
    values = await _fields(request)
    row = await boards.reply(uow, principal, post_id, _convert({"body": str(values.get("body", ""))}, PostIn))
    await _attach_if_any(request, uow, row.id)
    return Redirect(f"/portal/posts/{row.parent_id or row.id}#p-{row.id}", status_code=303)


@post("/posts/{post_id:uuid}/moderation", opt=access(OP, op="portal.moderate", audit=True), include_in_schema=False)
async def thread_moderate(request: Req, uow: UnitOfWork, post_id: uuid.UUID) -> Any:
    values = await _fields(request)
    data = ModerateIn(hidden=values.get("hidden") == "1", note=str(values.get("note", ""))[:1000])
    row = await boards.moderate(uow, post_id, data)
    return Redirect(f"/portal/posts/{row.parent_id or row.id}", status_code=303)


@get("/pages", opt=access(*STATISTICIANS, op="portal.pages"), include_in_schema=False)
async def pages_page(request: Req, uow: UnitOfWork) -> Any:
    return page(request, "portal/pages.html", pages=await articles.listing(uow))


@post("/pages", opt=access(OP, op="portal.pages_manage", audit=True), include_in_schema=False)
async def pages_create(request: Req, uow: UnitOfWork) -> Any:
    row = await articles.save(uow, _convert(await _fields(request), PageIn))
    return Redirect(f"/portal/pages/{row.id}", status_code=303)


@get("/pages/{page_id:uuid}", opt=access(*STATISTICIANS, op="portal.pages"), include_in_schema=False)
async def article_page(request: Req, uow: UnitOfWork, page_id: uuid.UUID) -> Any:
    return page(request, "portal/page.html", g=await articles.get(uow, page_id))


@get("/search", opt=access(*READERS, op="portal.search"), include_in_schema=False)
async def search_page(request: Req, uow: UnitOfWork, q: Annotated[str, Parameter(max_length=200)] = "") -> Any:
    hits = await search.search(uow, q, limit=100) if q.strip() else []
    return page(request, "portal/search.html", q=q, hits=hits)


pages = Router(
    path="/portal",
    route_handlers=[
        notices_page,
        notices_create,
        notices_edit,
        notice_page,
        notice_withdraw,
        boards_page,
        boards_create,
        board_page,
        thread_create,
        thread_page,
        thread_reply,
        thread_moderate,
        pages_page,
        pages_create,
        article_page,
        search_page,
    ],
)
