"""The validation report before registering (issue 14 §3) as JSON (the page: pages.py).

POST /api/statdb/check (multipart `params` + `data`, as registration): 200 with the report when the
pair would register as it is; else 422 application/problem+json (RFC 9457) whose `errors` name each
field or data line and column, with the whole report as the extension member `report`.
Nothing is written."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Router, post

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.statdb.check import report
from govstat.platform.subsystems.statdb.schemas import MAX_UPLOAD, uploads

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


check_api = Router(path="/api/statdb/check", tags=["statdb / 統計情報データベース"], route_handlers=[check])
