"""The validation report before registering (issue 14 §3), as JSON and as a page.

POST /api/statdb/check (multipart `params` + `data`, as registration): 200 with the report when the
pair would register as it is; else 422 application/problem+json (RFC 9457) whose `errors` name each
field or data line and column, with the whole report as the extension member `report`.
GET/POST /statdb/check: the same report as a page. Nothing is written either way."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Router, get, post

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.statdb import report
from govstat.platform.subsystems.statdb.render import number
from govstat.platform.subsystems.statdb.schemas import MAX_UPLOAD, uploads
from govstat.platform.web.pages import page

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)


@post("/", opt=access(*AGENCY, op="statdb.validate"), request_max_body_size=MAX_UPLOAD, status_code=200)
async def check(request: Request[Any, Any, Any], uow: UnitOfWork) -> report.Report:
    """Validation report (dry run): a parameter file and its data file checked as registration
    checks them; nothing is registered. Errors: 422 problem details with the report in `report`."""
    files, _ = await uploads(request)
    up = files[0]
    result, problems = await report.build(uow, up.params, up.data, up.data_filename)
    if problems:
        first = problems.errors[0]
        raise InvalidInput(
            f"{first.field}: {first.message}"
            + (f" (ほか {len(problems.errors) - 1} 件)" if len(problems.errors) > 1 else ""),
            errors=list(problems.errors),
            report=msgspec.to_builtins(result),
        )
    return result


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


check_api = Router(path="/api/statdb/check", tags=["statdb / 統計情報データベース"], route_handlers=[check])
check_pages = Router(path="/statdb/check", route_handlers=[check_page, check_submit])
