"""The validation report before registering as a page: GET/POST /statdb/check (nothing is written)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.statdb.check import report
from govstat.platform.subsystems.statdb.render import number
from govstat.platform.subsystems.statdb.schemas import MAX_UPLOAD, uploads
from govstat.platform.web.pages import page

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)


@get("/", opt=access(*AGENCY, op="statdb.list"), include_in_schema=False)
async def check_page(request: Request[Any, Any, Any]) -> Any:
    return page(request, "statdb/check.html", r=None, filename="")


@post("/", opt=access(*AGENCY, op="statdb.validate"), include_in_schema=False, request_max_body_size=MAX_UPLOAD)
async def check_submit(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    try:
        files, _ = await uploads(request)
    except InvalidInput as exc:
        return page(request, "statdb/check.html", status_code=422, r=None, filename="", detail=exc.detail)
    up = files[0]
    result, problems = await report.build(uow, up.params, up.data, up.data_filename)
    return page(
        request,
        "statdb/check.html",
        status_code=422 if problems else 200,
        r=result,
        filename=up.data_filename,
        number=number,
    )


check_pages = Router(path="/statdb/check", route_handlers=[check_page, check_submit])
