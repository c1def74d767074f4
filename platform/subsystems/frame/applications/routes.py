"""The applications API under /api/frame (FRAME-2/3): agencies apply and follow their progress
(session or API key); the operator reviews, extracts, samples and delivers."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.frame.applications import delivery, service
from govstat.platform.subsystems.frame.rows import ApplicationRow, DeliveryRow, Progress, StepRow
from govstat.platform.subsystems.frame.schemas import ApplicationIn, DrawIn, ReviewIn
from govstat.platform.web.deps import set_units

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READERS = (*AGENCY, Role.OPERATOR)
Status = Annotated[str | None, Parameter(pattern="^(applied|returned|approved|rejected|extracted|sampled|delivered)$")]


class Detail(ApplicationRow, kw_only=True):
    steps: list[StepRow]
    deliveries: list[DeliveryRow]


class ResubmitIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    purpose: Annotated[str, msgspec.Meta(max_length=2000)] = ""


@post("/applications", opt=access(*AGENCY, op="frame.apply", audit=True))
async def apply(uow: UnitOfWork, data: ApplicationIn) -> ApplicationRow:
    """Apply to use the frame for a planned survey (母集団利用申請)."""
    return await service.apply(uow, data)


@get("/applications", opt=access(*READERS, op="frame.list"))
async def progress(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    status: Status = None,
    limit: Annotated[int, Parameter(ge=1, le=500)] = 200,
) -> list[Progress]:
    """The progress of every application (FRAME-3): the agency's own, or all of them for the operator."""
    rows = await service.progress(uow, status, limit)
    set_units(request, len(rows))
    return rows


@get("/applications/{application_id:uuid}", opt=access(*READERS, op="frame.list"))
async def detail(uow: UnitOfWork, application_id: uuid.UUID) -> Detail:
    app = await service.get(uow, application_id)
    steps = await service.steps(uow, application_id)
    files = await delivery.deliveries(uow, application_id)
    return Detail(**msgspec.structs.asdict(app), steps=steps, deliveries=files)


@post(
    "/applications/{application_id:uuid}/resubmit", opt=access(*AGENCY, op="frame.apply", audit=True), status_code=200
)
async def resubmit(uow: UnitOfWork, application_id: uuid.UUID, data: ResubmitIn) -> ApplicationRow:
    """Resubmit a returned application (差戻し後の再申請), with a revised purpose if need be."""
    return await service.resubmit(uow, application_id, data.purpose)


@post(
    "/applications/{application_id:uuid}/review",
    opt=access(Role.OPERATOR, op="frame.review", audit=True),
    status_code=200,
)
async def review(uow: UnitOfWork, application_id: uuid.UUID, data: ReviewIn) -> ApplicationRow:
    """Approve, return with comments, or reject."""
    return await service.review(uow, application_id, data)


@post(
    "/applications/{application_id:uuid}/extract",
    opt=access(Role.OPERATOR, op="frame.extract", audit=True),
    status_code=200,
)
async def extract(uow: UnitOfWork, application_id: uuid.UUID) -> ApplicationRow:
    """Extract the population: the survey's filter over the register as of the reference date."""
    return await service.extract(uow, application_id)


@post(
    "/applications/{application_id:uuid}/sample",
    opt=access(Role.OPERATOR, op="frame.draw", audit=True),
    status_code=200,
)
async def sample(uow: UnitOfWork, application_id: uuid.UUID, data: DrawIn) -> ApplicationRow:
    """Draw the sample on the PRNs with the survey's coordination and the burden rule."""
    return await service.sample(uow, application_id, data)


@post(
    "/applications/{application_id:uuid}/deliver",
    opt=access(Role.OPERATOR, op="frame.deliver", audit=True),
    status_code=200,
)
async def deliver(uow: UnitOfWork, application_id: uuid.UUID) -> list[DeliveryRow]:
    """Deliver the population or the sample as CSV and XLSX, downloadable for 14 days."""
    return await service.deliver(uow, application_id)


@get("/deliveries/{delivery_id:uuid}", opt=access(*READERS, op="frame.download", audit=True))
async def download(uow: UnitOfWork, delivery_id: uuid.UUID) -> Response[bytes]:
    row, content = await delivery.download(uow, delivery_id)
    return Response(content, status_code=200, media_type=delivery.MEDIA[row.format], headers={
        "content-disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}", "x-content-sha256": row.sha256})  # fmt: skip


api = Router(
    path="/api/frame",
    tags=["frame / 事業所母集団データベース"],
    route_handlers=[apply, progress, detail, resubmit, review, extract, sample, deliver, download],
)
