"""Web pages of the statistical database for agency staff (Japanese first, English beside it)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.params import Parameter
from litestar.response import Redirect

from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, InvalidInput, NotFound
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.statdb import queries, render, service
from govstat.platform.subsystems.statdb.schemas import MAX_UPLOAD, uploads
from govstat.platform.web.pages import page

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READERS = (*AGENCY, Role.OPERATOR)
PAGE = 50
STATUS = {"registered": "登録済 / registered", "scheduled": "公表予約 / scheduled", "published": "公表済 / published"}


@get("/", opt=access(*READERS, op="statdb.list"), include_in_schema=False)
async def list_page(
    request: Request, uow: UnitOfWork, status: str = "", page_no: Annotated[int, Parameter(query="page", ge=1)] = 1
) -> Any:
    total, rows = await queries.list_tables(uow, status=status or None, limit=PAGE, offset=(page_no - 1) * PAGE)
    return page(
        request,
        "statdb/list.html",
        rows=rows,
        total=total,
        status=status,
        statuses=STATUS,
        page_no=page_no,
        pages=max((total + PAGE - 1) // PAGE, 1),
    )


@get("/new", opt=access(*AGENCY, op="statdb.list"), include_in_schema=False)
async def new_page(request: Request) -> Any:
    return page(request, "statdb/new.html", errors=[], detail="")


@post(
    "/new",
    opt=access(*AGENCY, op="statdb.register", audit=True),
    include_in_schema=False,
    request_max_body_size=MAX_UPLOAD,
)
async def new_submit(request: Request, uow: UnitOfWork) -> Any:
    try:
        files, test_mode = await uploads(request)
        rows = await service.register_many(uow, files, test_mode=test_mode, single=len(files) == 1)
    except InvalidInput as exc:
        return page(request, "statdb/new.html", status_code=422, errors=exc.errors, detail=exc.detail)
    if len(rows) == 1:
        return Redirect(f"/statdb/tables/{rows[0].stats_data_id}", status_code=303)
    return Redirect("/statdb", status_code=303)


async def _detail(request: Request, uow: UnitOfWork, stats_data_id: str, *, error: str = "", status_code: int = 200):
    if not re.fullmatch(r"[0-9]{10}", stats_data_id):
        raise NotFound("統計表が見つかりません / table not found")
    table = await queries.table_info(uow, await service.get(uow, stats_data_id))
    objs = await queries.classes(uow, table.id)
    _, rows, _ = await queries.observations(uow, table.id, objs, {}, limit=PAGE, count=False)
    names = {o.obj_id: {i.code: i.name for i in o.items} for o in objs}
    return page(
        request,
        "statdb/table.html",
        status_code=status_code,
        t=table,
        objs=objs,
        rows=rows,
        names=names,
        number=render.number,
        statuses=STATUS,
        error=error,
        table_inf=render.table_inf(table),
    )


@get("/tables/{stats_data_id:str}", opt=access(*READERS, op="statdb.preview"), include_in_schema=False)
async def table_page(request: Request, uow: UnitOfWork, stats_data_id: str) -> Any:
    return await _detail(request, uow, stats_data_id)


@post(
    "/tables/{stats_data_id:str}/schedule",
    opt=access(*READERS, op="statdb.schedule", audit=True),
    include_in_schema=False,
)
async def schedule_submit(request: Request, uow: UnitOfWork, stats_data_id: str) -> Any:
    form = await request.form()
    try:
        when = dt.datetime.fromisoformat(str(form.get("publish_at", "")))
    except ValueError:
        return await _detail(
            request,
            uow,
            stats_data_id,
            status_code=422,
            error="公表日時を入力してください / enter the publication date and time",
        )
    return await _act(
        request,
        uow,
        stats_data_id,
        lambda: service.schedule(uow, stats_data_id, when if when.tzinfo else when.replace(tzinfo=JST)),
    )


@post(
    "/tables/{stats_data_id:str}/promote",
    opt=access(*AGENCY, op="statdb.register", audit=True),
    include_in_schema=False,
)
async def promote_submit(request: Request, uow: UnitOfWork, stats_data_id: str) -> Any:
    return await _act(request, uow, stats_data_id, lambda: service.promote(uow, stats_data_id))


@post(
    "/tables/{stats_data_id:str}/delete", opt=access(*AGENCY, op="statdb.delete", audit=True), include_in_schema=False
)
async def delete_submit(request: Request, uow: UnitOfWork, stats_data_id: str) -> Any:
    result = await _act(request, uow, stats_data_id, lambda: service.delete(uow, stats_data_id))
    return Redirect("/statdb", status_code=303) if isinstance(result, Redirect) else result


async def _act(request: Request, uow: UnitOfWork, stats_data_id: str, action) -> Any:
    await service.get(uow, stats_data_id)
    try:
        await action()
    except GovstatError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _detail(request, uow, stats_data_id, error=exc.detail, status_code=exc.status)
    return Redirect(f"/statdb/tables/{stats_data_id}", status_code=303)


pages = Router(
    path="/statdb",
    route_handlers=[list_page, new_page, new_submit, table_page, schedule_submit, promote_submit, delete_submit],
)
