"""The register's upkeep under /api/frame (FRAME-5), the operator's: maintenance runs (jobs with
progress, change report and line-and-field errors), area mergers, manual edits, postal mismatches,
mergers and splits of establishments (the rules of what a unit inherits: maintenance/units.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get, post
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.jobs.spec import enqueue
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.frame.maintenance import responses, service, units
from govstat.platform.subsystems.frame.maintenance.jobs import MAINTAIN_JOB, MaintainArgs
from govstat.platform.subsystems.frame.rows import Establishment, RunRow
from govstat.platform.subsystems.frame.schemas import EditIn, MergeIn, Reshaped, SplitIn
from govstat.platform.web.deps import set_units
from govstat.platform.web.paging import Listing, Offset

OPERATOR = Role.OPERATOR
UnitId = Annotated[int, Parameter(ge=1, le=10**15)]


class FollowIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    after: dt.date
    until: dt.date


@post(
    "/runs",
    opt=access(OPERATOR, op="frame.maintain", audit=True),
    request_max_body_size=service.MAX_FILE,
    status_code=202,
)
async def create_run(request: Request[Any, Any, Any], uow: UnitOfWork) -> RunRow:
    """Upload a maintenance file (multipart: kind = census | corporate, effective_on, file): a job applies it."""
    form = await request.form()
    file = form.get("file")
    if file is None or isinstance(file, str):
        raise InvalidInput.field("file", "ファイルを添付してください / attach the file")
    try:
        day = dt.date.fromisoformat(str(form.get("effective_on") or ""))
    except ValueError:
        raise InvalidInput.field("effective_on", "YYYY-MM-DD で記入してください / a date") from None
    row = await service.create_run(uow, str(form.get("kind") or ""), day, file.filename or "", await file.read())

    async def queue() -> None:
        from govstat.platform.jobs.queue import job_pool

        await enqueue(await job_pool(), MAINTAIN_JOB, MaintainArgs(job_id=f"frame.maintain:{row.id}", run_id=row.id))

    uow.after_commit(queue)
    return row


@get("/runs", opt=access(OPERATOR, op="frame.read"))
async def runs(uow: UnitOfWork) -> list[RunRow]:
    return await service.runs(uow)


@get("/runs/{run_id:uuid}", opt=access(OPERATOR, op="frame.read"))
async def run(uow: UnitOfWork, run_id: uuid.UUID) -> RunRow:
    """A run's progress (done of total), its change report and its line-and-field errors."""
    return await service.get_run(uow, run_id)


@post("/areas/follow", opt=access(OPERATOR, op="frame.maintain", audit=True), status_code=200)
async def follow_areas(uow: UnitOfWork, data: FollowIn) -> RunRow:
    """Move establishments forward through the area successions (廃置分合) effective in (after, until]."""
    if data.until < data.after:
        raise InvalidInput.field("until", "after より前です / before after")
    return await service.follow_areas(uow, data.after, data.until)


@post("/register/{unit_id:int}/edits", opt=access(OPERATOR, op="frame.maintain", audit=True), status_code=200)
async def edit(uow: UnitOfWork, unit_id: UnitId, data: EditIn) -> list[Establishment]:
    """The operator's manual edit with its reason: a new version from effective_on."""
    return await service.edit(uow, unit_id, data)


@get("/postal-mismatches", opt=access(OPERATOR, op="frame.search"))
async def mismatches(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> Listing[service.Mismatch]:
    """Establishments whose postal code does not belong to their area code (Japan Post's list), for review."""
    total, rows = await service.mismatches(uow, limit, offset)
    set_units(request, len(rows))
    return Listing(total=total, offset=offset, items=rows)


@post("/register/merge", opt=access(OPERATOR, op="frame.maintain", audit=True), status_code=200)
async def merge(uow: UnitOfWork, data: MergeIn) -> Reshaped:
    """Establishments become one (合併): the largest continues with its id and PRN, the others end."""
    return await units.merge(uow, data)


@post("/register/{unit_id:int}/split", opt=access(OPERATOR, op="frame.maintain", audit=True), status_code=200)
async def split(uow: UnitOfWork, unit_id: UnitId, data: SplitIn) -> Reshaped:
    """An establishment divides (分割): it continues with its id and PRN; each part is born with a new PRN."""
    return await units.split(uow, unit_id, data)


@post("/draws/{draw_id:uuid}/responses", opt=access(OPERATOR, op="frame.maintain", audit=True), status_code=200)
async def record_responses(uow: UnitOfWork, draw_id: uuid.UUID, data: responses.ResponsesIn) -> responses.ResponsesOut:
    """Response flags of a real draw's selected units (調査履歴: responded / not responded)."""
    return await responses.record(uow, draw_id, data)


api = Router(path="/api/frame", tags=["frame / 事業所母集団データベース"],
             route_handlers=[create_run, runs, run, follow_areas, edit, mismatches, merge, split, record_responses])  # fmt: skip
