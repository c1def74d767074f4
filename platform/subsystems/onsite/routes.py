"""The on-site JSON API under /api/onsite: the agency's datasets, grant decisions and output reviews;
the operator's facilities and terminals; the researcher's catalogue, applications, sessions and tables."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, Router, get, post

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.onsite import datasets, facilities, grants, outputs, reviews, visits
from govstat.platform.subsystems.onsite.rows import (
    DatasetRow,
    DeviceIssued,
    EvidenceRow,
    FacilityRow,
    GrantRow,
    OutputRow,
    VisitRow,
)
from govstat.platform.subsystems.onsite.schemas import MAX_UPLOAD_BYTES as MAX_BYTES
from govstat.platform.subsystems.onsite.schemas import (
    DatasetIn,
    DecisionIn,
    DeviceIn,
    FacilityIn,
    GrantIn,
    ReviewIn,
    ReviewRequestIn,
    TableIn,
    VisitIn,
)
from govstat.platform.subsystems.onsite.web import AGENCY, RESEARCHER, address, device, refused
from govstat.platform.web.deps import principal_of


@post("/datasets", opt=access(*AGENCY, op="onsite.datasets", audit=True))
async def register_dataset(uow: UnitOfWork, data: DatasetIn) -> DatasetRow:
    """Register microdata: a survey, its year and unit, the declared variables and disclosure rules."""
    return await datasets.register(uow, data)


@get("/datasets", opt=access(*AGENCY, op="onsite.datasets"))
async def list_datasets(uow: UnitOfWork) -> list[DatasetRow]:
    return await datasets.list_own(uow)


@get("/datasets/{dataset_id:uuid}", opt=access(*AGENCY, op="onsite.datasets"))
async def get_dataset(uow: UnitOfWork, dataset_id: uuid.UUID) -> DatasetRow:
    return await datasets.get(uow, dataset_id)


@post(
    "/datasets/{dataset_id:uuid}/file",
    opt=access(*AGENCY, op="onsite.datasets", audit=True),
    request_max_body_size=MAX_BYTES,
    status_code=200,
)
async def load_dataset(request: Request[Any, Any, Any], uow: UnitOfWork, dataset_id: uuid.UUID) -> DatasetRow:
    """The file (multipart `file`, CSV or Parquet) checked line by line and field by field, then encrypted."""
    form = await request.form()
    file = form.get("file")
    if file is None or isinstance(file, str):
        raise InvalidInput.field("file", "ファイルを添付してください / attach the file")
    return await datasets.load(uow, dataset_id, file.filename or "", await file.read())


@post("/datasets/{dataset_id:uuid}/purge", opt=access(*AGENCY, op="onsite.datasets", audit=True), status_code=200)
async def purge_dataset(uow: UnitOfWork, dataset_id: uuid.UUID) -> DatasetRow:
    return await datasets.purge(uow, dataset_id, "agency")


@get("/grants", opt=access(*AGENCY, op="onsite.grants"))
async def grant_queue(uow: UnitOfWork, status: str | None = None) -> list[GrantRow]:
    return await grants.queue(uow, status)


@post("/grants/{grant_id:uuid}/decision", opt=access(*AGENCY, op="onsite.grants", audit=True), status_code=200)
async def decide_grant(uow: UnitOfWork, grant_id: uuid.UUID, data: DecisionIn) -> GrantRow:
    return await grants.decide(uow, grant_id, data)


@get("/reviews", opt=access(*AGENCY, op="onsite.reviews"))
async def review_queue(uow: UnitOfWork, verdict: str | None = "review_requested") -> list[OutputRow]:
    return await reviews.queue(uow, verdict)


@get("/outputs/{output_id:uuid}/evidence", opt=access(*AGENCY, op="onsite.reviews", audit=True))
async def output_evidence(uow: UnitOfWork, output_id: uuid.UUID) -> EvidenceRow:
    return await reviews.evidence(uow, output_id)


@post("/outputs/{output_id:uuid}/review", opt=access(*AGENCY, op="onsite.reviews", audit=True), status_code=200)
async def review_output(uow: UnitOfWork, output_id: uuid.UUID, data: ReviewIn) -> OutputRow:
    return await reviews.decide(uow, output_id, data)


agency_api = Router(
    path="/api/onsite",
    tags=["onsite / オンサイト利用（府省等）"],
    route_handlers=[
        register_dataset,
        list_datasets,
        get_dataset,
        load_dataset,
        purge_dataset,
        grant_queue,
        decide_grant,
        review_queue,
        output_evidence,
        review_output,
    ],
)


@post("/facilities", opt=access(Role.OPERATOR, op="onsite.facilities", audit=True))
async def register_facility(uow: UnitOfWork, data: FacilityIn) -> FacilityRow:
    return await facilities.register(uow, data)


@get("/facilities", opt=access(Role.OPERATOR, *AGENCY, *RESEARCHER, op="onsite.read"))
async def list_facilities(uow: UnitOfWork) -> list[FacilityRow]:
    return await facilities.list_all(uow)


@post("/facilities/{facility_id:uuid}/devices", opt=access(Role.OPERATOR, op="onsite.facilities", audit=True))
async def issue_device(uow: UnitOfWork, facility_id: uuid.UUID, data: DeviceIn) -> DeviceIssued:
    """A terminal's credential, shown once; the terminal sends it as `X-Onsite-Device`."""
    return await facilities.issue_device(uow, facility_id, data)


facility_api = Router(
    path="/api/onsite",
    tags=["onsite / オンサイト施設（運用管理機関）"],
    route_handlers=[register_facility, list_facilities, issue_device],
)


@get("/catalogue", opt=access(*RESEARCHER, op="onsite.read"))
async def catalogue(uow: UnitOfWork) -> list[DatasetRow]:
    """Loaded datasets: descriptions and variables only (no data without a grant and a facility)."""
    return await datasets.catalogue(uow)


@post("/applications", opt=access(*RESEARCHER, op="onsite.apply", audit=True))
async def apply(request: Request[Any, Any, Any], uow: UnitOfWork, data: GrantIn) -> GrantRow:
    return await grants.apply(uow, data, principal_of(request).name)


@get("/applications", opt=access(*RESEARCHER, op="onsite.read"))
async def my_grants(uow: UnitOfWork) -> list[GrantRow]:
    return await grants.mine(uow)


@post("/visits", opt=access(*RESEARCHER, op="onsite.session", audit=True))
async def open_visit(request: Request[Any, Any, Any], uow: UnitOfWork, data: VisitIn) -> Response[Any] | VisitRow:
    """Open a session at a facility's terminal (its address, its `X-Onsite-Device` credential)."""
    result = await visits.open_visit(uow, data.grant_id, address(request), device(request))
    return refused(request, result) if isinstance(result, visits.Refused) else result


@post("/visits/{visit_id:uuid}/tables", opt=access(*RESEARCHER, op="onsite.aggregate", audit=True), status_code=200)
async def run_table(
    request: Request[Any, Any, Any], uow: UnitOfWork, visit_id: uuid.UUID, data: TableIn
) -> Response[Any] | OutputRow:
    """One checked aggregate: the verdict, and values only in the published cells of a released table."""
    result = await outputs.run(uow, visit_id, data, address(request), device(request))
    return refused(request, result) if isinstance(result, visits.Refused) else result


@get("/visits/{visit_id:uuid}/outputs", opt=access(*RESEARCHER, op="onsite.read"))
async def visit_outputs(uow: UnitOfWork, visit_id: uuid.UUID) -> list[OutputRow]:
    await visits.mine(uow, visit_id)
    return await reviews.of_visit(uow, visit_id)


@post("/visits/{visit_id:uuid}/close", opt=access(*RESEARCHER, op="onsite.session", audit=True), status_code=200)
async def close_visit(uow: UnitOfWork, visit_id: uuid.UUID) -> VisitRow:
    return await visits.close(uow, visit_id)


@post(
    "/outputs/{output_id:uuid}/review-request", opt=access(*RESEARCHER, op="onsite.apply", audit=True), status_code=200
)
async def request_review(uow: UnitOfWork, output_id: uuid.UUID, data: ReviewRequestIn) -> OutputRow:
    return await reviews.request(uow, output_id, data)


researcher_api = Router(
    path="/api/onsite",
    tags=["onsite / オンサイト利用（研究者）"],
    route_handlers=[catalogue, apply, my_grants, open_visit, run_table, visit_outputs, close_visit, request_review],
)
