"""The enumerator API under /api/enumerators (ENUM-1): the owning agency's staff only (not the
operator: personal data), and every call audited, reads included."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from litestar import Response, Router, get, post, put
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.enumerators import assignments, export, service
from govstat.platform.subsystems.enumerators.rows import AssignmentRow, EnumeratorDetail, EnumeratorRow, FollowResult
from govstat.platform.subsystems.enumerators.schemas import AssignmentIn, EnumeratorIn, FollowIn
from govstat.platform.web.paging import Offset

OWNERS = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF, Role.INTERMEDIARY)
StatusFilter = Literal["candidate", "appointed", "suspended", "dismissed"]


@get("/enumerators", opt=access(*OWNERS, op="enumerators.read", audit=True))
async def list_enumerators(
    uow: UnitOfWork,
    status: StatusFilter | None = None,
    limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
    offset: Offset = 0,
) -> list[EnumeratorRow]:
    return await service.listing(uow, status=status, limit=limit, offset=offset)


@post("/enumerators", opt=access(*OWNERS, op="enumerators.write", audit=True))
async def create_enumerator(uow: UnitOfWork, data: EnumeratorIn) -> EnumeratorRow:
    return await service.create(uow, data)


@get("/enumerators/{enumerator_id:uuid}", opt=access(*OWNERS, op="enumerators.read", audit=True))
async def get_enumerator(uow: UnitOfWork, enumerator_id: uuid.UUID) -> EnumeratorDetail:
    """The record, its assignments and the moves they made through mergers."""
    return await service.detail(uow, enumerator_id)


@put("/enumerators/{enumerator_id:uuid}", opt=access(*OWNERS, op="enumerators.write", audit=True))
async def update_enumerator(uow: UnitOfWork, enumerator_id: uuid.UUID, data: EnumeratorIn) -> EnumeratorRow:
    return await service.update(uow, enumerator_id, data)


@post("/enumerators/{enumerator_id:uuid}/assignments", opt=access(*OWNERS, op="enumerators.write", audit=True))
async def assign(uow: UnitOfWork, enumerator_id: uuid.UUID, data: AssignmentIn) -> AssignmentRow:
    """Assign a survey area: a standard area code valid on the survey date."""
    return await assignments.assign(uow, enumerator_id, data)


@post("/assignments/follow", opt=access(*OWNERS, op="enumerators.write", audit=True), status_code=200)
async def follow(uow: UnitOfWork, data: FollowIn) -> FollowResult:
    """Move this agency's assignments through the mergers up to as_of (the daily job does it for all)."""
    return await assignments.follow(uow, data.as_of)


@get("/enumerators.csv", opt=access(*OWNERS, op="enumerators.export", audit=True))
async def download(uow: UnitOfWork) -> Response[bytes]:
    rows = await service.listing(uow, limit=100_000)
    return Response(
        export.enumerators_csv(rows),
        media_type="text/csv; charset=utf-8",
        status_code=200,
        headers={"content-disposition": "attachment; filename=enumerators.csv", "cache-control": "private, no-store"},
    )


api = Router(
    path="/api/enumerators",
    tags=["enumerators / 調査員管理システム"],
    route_handlers=[list_enumerators, create_enumerator, get_enumerator, update_enumerator, assign, follow, download],
)
