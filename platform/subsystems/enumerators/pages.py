"""The enumerator pages under /enumerators (Japanese, English beside): the list with its CSV, a
registration form, and an enumerator's record with assignments and their moves. Audited like the API."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Request, Router, get, post
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.subsystems.enumerators import assignments, service
from govstat.platform.subsystems.enumerators.routes import OWNERS
from govstat.platform.subsystems.enumerators.schemas import AssignmentIn, EnumeratorIn
from govstat.platform.web.pages import page

Req = Request[Any, Any, Any]
STATUS = {"candidate": "候補 / candidate", "appointed": "任命 / appointed", "suspended": "休止 / suspended",
          "dismissed": "解任 / dismissed"}  # fmt: skip


async def _form(request: Req, kind: type[Any]) -> Any:
    values = {k: v for k, v in (await request.form()).items() if k != "_csrf" and v != ""}
    try:
        return msgspec.convert(values, kind, strict=False)
    except msgspec.ValidationError as exc:
        raise InvalidInput.field("form", str(exc)) from None


@get("/", opt=access(*OWNERS, op="enumerators.read", audit=True), include_in_schema=False)
async def list_page(request: Req, uow: UnitOfWork) -> Any:
    return page(request, "enumerators/list.html", rows=await service.listing(uow), statuses=STATUS)


@post("/", opt=access(*OWNERS, op="enumerators.write", audit=True), include_in_schema=False)
async def create(request: Req, uow: UnitOfWork) -> Any:
    row = await service.create(uow, await _form(request, EnumeratorIn))
    return Redirect(f"/enumerators/{row.id}", status_code=303)


@get("/{enumerator_id:uuid}", opt=access(*OWNERS, op="enumerators.read", audit=True), include_in_schema=False)
async def detail_page(request: Req, uow: UnitOfWork, enumerator_id: uuid.UUID) -> Any:
    return page(request, "enumerators/detail.html", d=await service.detail(uow, enumerator_id), statuses=STATUS)


@post(
    "/{enumerator_id:uuid}/assignments",
    opt=access(*OWNERS, op="enumerators.write", audit=True),
    include_in_schema=False,
)
async def assign(request: Req, uow: UnitOfWork, enumerator_id: uuid.UUID) -> Any:
    await assignments.assign(uow, enumerator_id, await _form(request, AssignmentIn))
    return Redirect(f"/enumerators/{enumerator_id}", status_code=303)


pages = Router(path="/enumerators", route_handlers=[list_page, create, detail_page, assign])
