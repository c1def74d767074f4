"""API of the standard area codes, under /api/area (AREA-1..3)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Annotated, Literal

from litestar import Request, Response, Router, delete, get, patch, post
from litestar.params import Parameter

from govstat.platform.clock import today_jst
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import Enqueued
from govstat.platform.module import access, public
from govstat.platform.security import Principal, Role
from govstat.platform.subsystems.area import queries, service
from govstat.platform.subsystems.area.jobs import RELOAD
from govstat.platform.subsystems.area.rows import AreaChangeRow, ChangeDetail, CodeDetail, CodesOn, History
from govstat.platform.subsystems.area.schemas import ChangeIn, ChangePatch
from govstat.platform.web.deps import set_units
from govstat.platform.web.paging import Listing, Offset
from govstat.platform.web.spreadsheet import csv_writer

Limit = Annotated[int, Parameter(ge=1, le=5000)]
Pref = Annotated[str | None, Parameter(pattern=r"^[0-9]{2}$", description="2-digit prefecture code")]


@get("/codes", opt=public("area.search"))
async def list_codes(
    request: Request,
    uow: UnitOfWork,
    date: dt.date | None = None,
    pref: Pref = None,
    q: str | None = None,
    level: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> CodesOn:
    """Codes valid on a date (default today), filtered by prefecture, level and name (kanji or kana)."""
    day = date or today_jst()
    total, rows = await service.codes_on(uow, day, pref=pref, q=q, level=level, limit=limit, offset=offset)
    set_units(request, len(rows))
    return CodesOn(date=day, total=total, offset=offset, items=rows)


@get("/codes/{code:str}", opt=public("area.read"))
async def get_code(uow: UnitOfWork, code: str) -> CodeDetail:
    """Every version of a code (names over time) and where it came from and went."""
    return await service.code_detail(uow, code)


@get("/codes/{code:str}/history", opt=public("area.history"))
async def code_history(
    uow: UnitOfWork, code: str, direction: Literal["forward", "backward"] = "forward", around: dt.date | None = None
) -> History:
    """Follow a municipality through time: which codes it became (forward) or came from (backward)."""
    c = service.code5(code)
    return History(code=c, direction=direction, steps=await queries.follow(uow, c, direction, around))


@get("/changes", opt=public("area.changes"))
async def list_changes(
    request: Request,
    uow: UnitOfWork,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    pref: Pref = None,
    kind: str | None = None,
    q: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing[AreaChangeRow]:
    """Mergers, abolitions, name and boundary changes (廃置分合等), newest first."""
    total, rows = await queries.changes(
        uow, date_from=date_from, date_to=date_to, pref=pref, kind=kind, q=q, limit=limit, offset=offset
    )
    set_units(request, len(rows))
    return Listing(total=total, offset=offset, items=rows)


@get("/changes/{change_id:uuid}", opt=public("area.changes"))
async def get_change(uow: UnitOfWork, change_id: uuid.UUID) -> ChangeDetail:
    return await service.change_detail(uow, change_id)


AGENCY_CALLERS = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF, Role.INTERMEDIARY, Role.MIC, Role.OPERATOR)


@get("/export", opt=access(*AGENCY_CALLERS, op="area.export"), media_type="text/csv; charset=utf-8")
async def export_codes(request: Request, uow: UnitOfWork, date: dt.date | None = None) -> Response:
    """The agency API: every code valid on a date as CSV (UTF-8 with BOM, for spreadsheet software)."""
    day = date or today_jst()
    _, rows = await service.codes_on(uow, day, pref=None, q=None, level=None, limit=100_000, offset=0)
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "標準地域コード",
            "団体コード",
            "都道府県",
            "政令市・郡等",
            "市区町村",
            "よみ",
            "区分",
            "適用開始日",
            "適用終了日",
        ]
    )
    for r in rows:
        writer.writerow(
            [
                r.code,
                r.code6,
                r.pref_name,
                r.desig_name,
                r.name,
                r.name_kana,
                r.level,
                r.valid_from or "",
                r.valid_to or "",
            ]
        )
    set_units(request, len(rows))
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="area-codes-{day.isoformat()}.csv"'},
    )


@post("/changes", opt=access(Role.OPERATOR, op="area.maintain", audit=True))
async def create_change(data: ChangeIn, uow: UnitOfWork) -> AreaChangeRow:
    """Register a change from the official gazette (AREA-3); check digits are verified."""
    return await service.register_change(uow, data)


@patch("/changes/{change_id:uuid}", opt=access(Role.OPERATOR, op="area.maintain", audit=True))
async def update_change(change_id: uuid.UUID, data: ChangePatch, uow: UnitOfWork) -> AreaChangeRow:
    return await service.update_change(uow, change_id, data)


@delete("/changes/{change_id:uuid}", opt=access(Role.OPERATOR, op="area.maintain", audit=True), status_code=204)
async def delete_change(change_id: uuid.UUID, uow: UnitOfWork) -> None:
    await service.delete_change(uow, change_id)


@post("/reload", opt=access(Role.OPERATOR, op="area.maintain", audit=True), status_code=202)
async def reload(principal: Principal, uow: UnitOfWork) -> Enqueued:
    """Reload the published e-Stat data in the background (the worker runs job area.load).
    `uow` carries the call audit (audit=True): it opens before the enqueue, so a database that is
    down answers 503 before any job is queued."""
    job_id = await RELOAD.enqueue(requested_by=principal.subject)
    return Enqueued(job=RELOAD.job.name, job_id=job_id)


api = Router(
    path="/api/area",
    route_handlers=[
        list_codes,
        get_code,
        code_history,
        list_changes,
        get_change,
        export_codes,
        create_change,
        update_change,
        delete_change,
        reload,
    ],
    tags=["area / 標準地域コード"],
)
