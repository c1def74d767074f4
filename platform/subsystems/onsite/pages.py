"""The on-site pages under /onsite: the researcher's grants, sessions and aggregation page (checked
tables, suppressed cells marked); the agency's review of grants and of refused outputs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
from litestar import MediaType, Request, Router, get, post
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.onsite import datasets, facilities, grants, grid, outputs, reviews, visits
from govstat.platform.subsystems.onsite.schemas import DecisionIn, ReviewIn, ReviewRequestIn, TableIn
from govstat.platform.subsystems.onsite.web import AGENCY, RESEARCHER, address, device
from govstat.platform.web.deps import principal_of
from govstat.platform.web.pages import page

HTML: dict[str, Any] = {"include_in_schema": False, "media_type": MediaType.HTML}


@get("/", opt=access(*RESEARCHER, *AGENCY, Role.OPERATOR, op="onsite.read"), **HTML)
async def home(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    principal = principal_of(request)
    if principal.has_any({Role.ONSITE}):
        mine = await grants.mine(uow)
        return page(
            request,
            "onsite/home.html",
            grants=mine,
            live={g.id for g in mine if grants.is_live(g)},
            catalogue=await datasets.catalogue(uow),
            own=[],
        )
    own = await datasets.list_own(uow) if principal.has_any(set(AGENCY)) else []
    return page(request, "onsite/home.html", grants=[], live=set(), catalogue=[], own=own)


@post("/visits", opt=access(*RESEARCHER, op="onsite.session", audit=True), **HTML)
async def open_submit(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    form = await request.form()
    try:
        grant_id = uuid.UUID(str(form.get("grant_id", "")))
    except ValueError:
        raise InvalidInput.field("grant_id", "利用承認を選んでください / choose a grant") from None
    result = await visits.open_visit(uow, grant_id, address(request), device(request))
    if isinstance(result, visits.Refused):
        return page(request, "onsite/refused.html", status_code=403, refusal=result)
    return Redirect(f"/onsite/visits/{result.id}", status_code=303)


async def _visit_page(
    request: Request[Any, Any, Any], uow: UnitOfWork, visit_id: uuid.UUID, *, error: str = "", status_code: int = 200
) -> Any:
    admitted = await visits.admit(uow, visit_id, address(request), device(request))
    if isinstance(admitted, visits.Refused):
        return page(request, "onsite/refused.html", status_code=403, refusal=admitted)
    visit, grant = admitted
    found = [await datasets.get_loaded(uow, uuid.UUID(d)) for d in grant.dataset_ids]
    done = await reviews.of_visit(uow, visit_id)
    drawn = [(o, grid.grids(list(o.spec.get("group_by", [])), o.cells)) for o in done[:5]]
    return page(
        request,
        "onsite/visit.html",
        status_code=status_code,
        visit=visit,
        grant=grant,
        datasets=found,
        outputs=drawn,
        reasons=grid.REASONS,
        error=error,
    )


@get("/visits/{visit_id:uuid}", opt=access(*RESEARCHER, op="onsite.read"), **HTML)
async def visit_page(request: Request[Any, Any, Any], uow: UnitOfWork, visit_id: uuid.UUID) -> Any:
    return await _visit_page(request, uow, visit_id)


@post("/visits/{visit_id:uuid}/tables", opt=access(*RESEARCHER, op="onsite.aggregate", audit=True), **HTML)
async def table_submit(request: Request[Any, Any, Any], uow: UnitOfWork, visit_id: uuid.UUID) -> Any:
    await visits.mine(uow, visit_id)  # someone else's session: 404 before anything
    form = await request.form()
    values: dict[str, Any] = {
        "dataset_id": str(form.get("dataset_id", "")),
        "statistic": str(form.get("statistic", "count")),
        "group_by": [g for g in (str(form.get(f"group_{i}", "")) for i in range(3)) if g],
    }
    if form.get("variable"):
        values["variable"] = str(form.get("variable"))
    if form.get("filter_variable") and form.get("filter_value"):
        values["filters"] = [
            {
                "variable": str(form.get("filter_variable")),
                "op": str(form.get("filter_op", "eq")),
                "value": str(form.get("filter_value")),
            }
        ]
    try:
        spec = msgspec.convert(values, TableIn)
        result = await outputs.run(uow, visit_id, spec, address(request), device(request))
    except (msgspec.ValidationError, GovstatError) as exc:
        return await _visit_page(request, uow, visit_id, error=str(exc), status_code=422)
    if isinstance(result, visits.Refused):
        return page(request, "onsite/refused.html", status_code=403, refusal=result)
    return Redirect(f"/onsite/visits/{visit_id}", status_code=303)


@post("/outputs/{output_id:uuid}/review-request", opt=access(*RESEARCHER, op="onsite.apply", audit=True), **HTML)
async def review_request_submit(request: Request[Any, Any, Any], uow: UnitOfWork, output_id: uuid.UUID) -> Any:
    """A refused output sent to the agency's reviewer, with the researcher's reason."""
    row = await reviews.of_researcher(uow, output_id)
    reason = str((await request.form()).get("reason", "")).strip()[:2000]
    try:
        await reviews.request(uow, output_id, msgspec.convert({"reason": reason}, ReviewRequestIn))
    except (msgspec.ValidationError, GovstatError) as exc:
        return await _visit_page(request, uow, row.visit_id, error=str(exc), status_code=422)
    return Redirect(f"/onsite/visits/{row.visit_id}", status_code=303)


researcher_pages = Router(
    path="/onsite", route_handlers=[home, open_submit, visit_page, table_submit, review_request_submit]
)


@get("/grants", opt=access(*AGENCY, op="onsite.grants"), **HTML)
async def grant_review(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    own = {str(d.id): d for d in await datasets.list_own(uow)}
    places = {str(f.id): f for f in await facilities.list_all(uow)}
    return page(
        request,
        "onsite/grants.html",
        grants=await grants.queue(uow),
        datasets=own,
        facilities=places,
        reviews=await reviews.queue(uow),
        now=dt.datetime.now(dt.UTC),
        is_live=grants.is_live,
    )


@post("/grants/{grant_id:uuid}/decision", opt=access(*AGENCY, op="onsite.grants", audit=True), **HTML)
async def decide_submit(request: Request[Any, Any, Any], uow: UnitOfWork, grant_id: uuid.UUID) -> Any:
    form = await request.form()
    note = str(form.get("note", ""))[:2000]
    await grants.decide(uow, grant_id, DecisionIn(approve=form.get("decision") == "approve", note=note))
    return Redirect("/onsite/grants", status_code=303)


@post("/outputs/{output_id:uuid}/review", opt=access(*AGENCY, op="onsite.reviews", audit=True), **HTML)
async def review_submit(request: Request[Any, Any, Any], uow: UnitOfWork, output_id: uuid.UUID) -> Any:
    form = await request.form()
    await reviews.decide(
        uow, output_id, ReviewIn(release=form.get("decision") == "release", note=str(form.get("note", ""))[:2000])
    )
    return Redirect("/onsite/grants", status_code=303)


agency_pages = Router(path="/onsite", route_handlers=[grant_review, decide_submit, review_submit])
