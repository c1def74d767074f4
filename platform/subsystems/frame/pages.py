"""Web pages of the business register: agencies see their planned surveys, applications with their
progress and deliveries; the operator sees the review queue, the register search and a unit's history."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
from litestar import Request, Router, get, post
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.frame import queries, service
from govstat.platform.subsystems.frame.applications import delivery
from govstat.platform.subsystems.frame.applications import service as applications
from govstat.platform.subsystems.frame.maintenance import service as maintenance
from govstat.platform.subsystems.frame.routes import UnitId, filters
from govstat.platform.subsystems.frame.schemas import ApplicationIn, DrawIn, ReviewIn, SurveyIn
from govstat.platform.web.pages import page

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READERS = (*AGENCY, Role.OPERATOR)
Req = Request[Any, Any, Any]


@get("/", opt=access(*READERS, op="frame.list"), include_in_schema=False)
async def home(request: Req, uow: UnitOfWork, status: str = "") -> Any:
    """The agency's surveys and applications, or the operator's review queue (FRAME-3)."""
    return await _home(request, uow, status[:20])


async def _home(request: Req, uow: UnitOfWork, status: str = "", error: str = "") -> Any:
    wanted = status if status in applications.LABELS else None
    rows = await applications.progress(uow, wanted or ("applied" if uow.scope.cross_tenant and status == "" else None))
    return page(request, "frame/home.html", apps=rows, surveys=await service.surveys(uow), labels=applications.LABELS,
                status=status, operator=uow.scope.cross_tenant, error=error, today=dt.date.today())  # fmt: skip


async def _form(request: Req) -> dict[str, str]:
    form = await request.form()
    return {k: str(v).strip() for k, v in form.items() if k != "_csrf"}


@post("/surveys", opt=access(*AGENCY, op="frame.survey", audit=True), include_in_schema=False)
async def new_survey(request: Req, uow: UnitOfWork) -> Any:
    f = await _form(request)
    pop = filters(f.get("industries", ""), f.get("areas", ""), int(f.get("min_employees") or 0),
                  int(f["max_employees"]) if f.get("max_employees") else None)  # fmt: skip
    try:
        data = msgspec.convert({"name": f.get("name", ""), "period_from": f.get("period_from"), "period_to": f.get("period_to"),
                                "population": msgspec.to_builtins(pop), "sample_size": int(f.get("sample_size") or 0),
                                "start_point": float(f.get("start_point") or 0)}, SurveyIn, strict=False)  # fmt: skip
        await service.create_survey(uow, data)
    except (msgspec.ValidationError, ValueError, GovstatError) as exc:
        return await _home(request, uow, error=str(exc))
    return Redirect("/frame", status_code=303)


@post("/applications", opt=access(*AGENCY, op="frame.apply", audit=True), include_in_schema=False)
async def apply(request: Req, uow: UnitOfWork) -> Any:
    f = await _form(request)
    try:
        data = msgspec.convert({**f, "draw_sample": f.get("draw_sample") == "true"}, ApplicationIn, strict=False)
        row = await applications.apply(uow, data)
    except (msgspec.ValidationError, ValueError, GovstatError) as exc:
        return await _home(request, uow, error=str(exc))
    return Redirect(f"/frame/applications/{row.id}", status_code=303)


@get("/applications/{application_id:uuid}", opt=access(*READERS, op="frame.list"), include_in_schema=False)
async def application(request: Req, uow: UnitOfWork, application_id: uuid.UUID) -> Any:
    return await _application(request, uow, application_id)


async def _application(request: Req, uow: UnitOfWork, application_id: uuid.UUID, error: str = "") -> Any:
    app = await applications.get(uow, application_id)
    return page(request, "frame/application.html", a=app, survey=await service.survey(uow, app.survey_id),
                steps=await applications.steps(uow, application_id), files=await delivery.deliveries(uow, application_id),
                labels=applications.LABELS, operator=uow.scope.cross_tenant, error=error)  # fmt: skip


@post("/applications/{application_id:uuid}/{action:str}", opt=access(Role.OPERATOR, op="frame.review", audit=True),
      include_in_schema=False)  # fmt: skip
async def act(request: Req, uow: UnitOfWork, application_id: uuid.UUID, action: str) -> Any:
    """The operator's step from the page: review (approve / return / reject), extract, sample, deliver."""
    f = await _form(request)
    try:
        if action == "review":
            await applications.review(uow, application_id, msgspec.convert(f, ReviewIn))
        elif action == "extract":
            await applications.extract(uow, application_id)
        elif action == "sample":
            await applications.sample(uow, application_id, DrawIn(cycle=f.get("cycle", "")[:40]))
        elif action == "deliver":
            await applications.deliver(uow, application_id)
    except (msgspec.ValidationError, GovstatError) as exc:
        return await _application(request, uow, application_id, error=str(exc))
    return Redirect(f"/frame/applications/{application_id}", status_code=303)


@get("/register", opt=access(Role.OPERATOR, op="frame.search"), include_in_schema=False)
async def register(request: Req, uow: UnitOfWork, q: str = "", industry: str = "", area: str = "", min_employees: str = "",
                   as_of: str = "") -> Any:  # fmt: skip
    """The operator's register search with filters, as of a day."""
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        day = dt.date.today()
    low = int(min_employees) if min_employees.isascii() and min_employees.isdigit() and len(min_employees) < 8 else 0
    total, rows = await queries.search(
        uow, filters(industry[:200], area[:200], low, None), day=day, q=q[:100], limit=100
    )
    return page(request, "frame/register.html", rows=rows, total=total, cap=queries.COUNT_CAP, q=q, industry=industry, area=area,
                min_employees=min_employees, as_of=day)  # fmt: skip


@get("/register/{unit_id:int}", opt=access(Role.OPERATOR, op="frame.read"), include_in_schema=False)
async def unit(request: Req, uow: UnitOfWork, unit_id: UnitId) -> Any:
    """A unit's history (every version) and its survey history (the burden ledger)."""
    versions = await queries.versions(uow, unit_id)
    return page(
        request, "frame/unit.html", versions=versions, ledger=await queries.ledger(uow, unit_id), u=versions[-1]
    )


@get("/runs", opt=access(Role.OPERATOR, op="frame.read"), include_in_schema=False)
async def runs(request: Req, uow: UnitOfWork) -> Any:
    """Maintenance runs: progress, change report, line-and-field errors; and the postal mismatches."""
    total, mismatched = await maintenance.mismatches(uow, 50, 0)
    return page(
        request, "frame/runs.html", runs=await maintenance.runs(uow), mismatched=mismatched, mismatch_total=total
    )


pages = Router(path="/frame", route_handlers=[home, new_survey, apply, application, act, register, unit, runs])
