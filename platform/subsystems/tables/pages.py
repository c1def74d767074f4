"""Web pages of the statistical table management system for agency staff (Japanese, English beside)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
from litestar import Request, Router, get, post
from litestar.response import Redirect

from govstat.platform import directory
from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, InvalidInput, NotFound
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.tables import classes, files, queries, service
from govstat.platform.subsystems.tables.files import MAX_BYTES
from govstat.platform.subsystems.tables.schemas import ClassIn, file_form
from govstat.platform.web.pages import page

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READERS = (*AGENCY, Role.OPERATOR)
STATUS = {
    "draft": "下書き / draft",
    "finalised": "確定 / finalised",
    "scheduled": "公表予約 / scheduled",
    "published": "公表済 / published",
}


@get("/", opt=access(*READERS, op="tables.list"), include_in_schema=False)
async def list_page(request: Request, uow: UnitOfWork, status: str = "") -> Any:
    total, rows = await queries.list_files(uow, status=status or None, gov_stat_code=None, limit=200, offset=0)
    return page(request, "tables/list.html", rows=rows, total=total, status=status, statuses=STATUS)


async def _form(request: Request, uow: UnitOfWork, *, errors=(), detail: str = "", status_code: int = 200) -> Any:
    return page(
        request,
        "tables/new.html",
        status_code=status_code,
        errors=list(errors),
        detail=detail,
        statistics=await directory.own_statistics(uow),
        classes=await classes.tree(uow),
    )


@get("/new", opt=access(*AGENCY, op="tables.list"), include_in_schema=False)
async def new_page(request: Request, uow: UnitOfWork) -> Any:
    return await _form(request, uow)


@post(
    "/new",
    opt=access(*AGENCY, op="tables.register", audit=True),
    include_in_schema=False,
    request_max_body_size=MAX_BYTES * 2,
)
async def new_submit(request: Request, uow: UnitOfWork) -> Any:
    try:
        info, data, params = await file_form(request)
        row = await service.register(uow, info, data, params)
    except InvalidInput as exc:
        return await _form(request, uow, errors=exc.errors, detail=exc.detail, status_code=422)
    return Redirect(f"/tables/files/{row.id}", status_code=303)


async def _detail(request: Request, uow: UnitOfWork, file_id: uuid.UUID, *, error: str = "", status_code: int = 200):
    row = await service.get(uow, file_id)
    content = await queries.blob(uow, file_id, "data")
    return page(
        request,
        "tables/file.html",
        status_code=status_code,
        f=row,
        statuses=STATUS,
        error=error,
        preview=files.preview(row.format, content),
        stats_data_id=await queries.stats_data_id(uow, file_id),
    )


@get("/files/{file_id:uuid}", opt=access(*READERS, op="tables.read"), include_in_schema=False)
async def file_page(request: Request, uow: UnitOfWork, file_id: uuid.UUID) -> Any:
    return await _detail(request, uow, file_id)


@post("/files/{file_id:uuid}/finalise", opt=access(*READERS, op="tables.finalise", audit=True), include_in_schema=False)
async def finalise_submit(request: Request, uow: UnitOfWork, file_id: uuid.UUID) -> Any:
    return await _act(request, uow, file_id, lambda: service.finalise(uow, file_id))


@post("/files/{file_id:uuid}/schedule", opt=access(*READERS, op="tables.schedule", audit=True), include_in_schema=False)
async def schedule_submit(request: Request, uow: UnitOfWork, file_id: uuid.UUID) -> Any:
    form = await request.form()
    try:
        when = dt.datetime.fromisoformat(str(form.get("publish_at", "")))
    except ValueError:
        return await _detail(
            request,
            uow,
            file_id,
            status_code=422,
            error="公表日時を入力してください / enter the publication date and time",
        )
    when = when if when.tzinfo else when.replace(tzinfo=JST)
    return await _act(request, uow, file_id, lambda: service.schedule(uow, file_id, when))


@post("/files/{file_id:uuid}/delete", opt=access(*AGENCY, op="tables.delete", audit=True), include_in_schema=False)
async def delete_submit(request: Request, uow: UnitOfWork, file_id: uuid.UUID) -> Any:
    result = await _act(request, uow, file_id, lambda: service.delete(uow, file_id))
    return Redirect("/tables", status_code=303) if isinstance(result, Redirect) else result


async def _act(request: Request, uow: UnitOfWork, file_id: uuid.UUID, action) -> Any:
    await service.get(uow, file_id)
    try:
        await action()
    except GovstatError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _detail(request, uow, file_id, error=exc.detail, status_code=exc.status)
    return Redirect(f"/tables/files/{file_id}", status_code=303)


@get("/classes", opt=access(*READERS, op="tables.list"), include_in_schema=False)
async def classes_page(request: Request, uow: UnitOfWork, error: str = "") -> Any:
    return page(
        request,
        "tables/classes.html",
        nodes=await classes.tree(uow),
        statistics=await directory.own_statistics(uow),
        error=error,
    )


@post("/classes", opt=access(*AGENCY, op="tables.classes", audit=True), include_in_schema=False)
async def classes_submit(request: Request, uow: UnitOfWork) -> Any:
    form = await request.form()
    fields = {k: str(form.get(k, "")).strip() for k in ("gov_stat_code", "code", "name_ja", "name_en", "parent_id")}
    try:
        data = msgspec.convert(
            {**{k: v for k, v in fields.items() if v}, "published": form.get("published") == "true"},
            ClassIn,
            strict=False,
        )
        await classes.create(uow, data)
    except (GovstatError, msgspec.ValidationError) as exc:
        return page(
            request,
            "tables/classes.html",
            status_code=422,
            nodes=await classes.tree(uow),
            statistics=await directory.own_statistics(uow),
            error=getattr(exc, "detail", str(exc)),
        )
    return Redirect("/tables/classes", status_code=303)


pages = Router(
    path="/tables",
    route_handlers=[
        list_page,
        new_page,
        new_submit,
        file_page,
        finalise_submit,
        schedule_submit,
        delete_submit,
        classes_page,
        classes_submit,
    ],
)
