"""Web pages of the metadata registry (Japanese first, English beside it): the public catalogue of
published metadata (/metadata) and the agencies' and operator's work pages (/metadata/manage)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import msgspec
from litestar import MediaType, Request, Router, get, post
from litestar.params import Parameter, QueryParameter
from litestar.response import Redirect

from govstat.platform import directory
from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, InvalidInput, NotFound
from govstat.platform.module import access, public
from govstat.platform.security import Role
from govstat.platform.subsystems.items import published as items_published
from govstat.platform.subsystems.metadata import public_search, queries, service
from govstat.platform.subsystems.metadata.schemas import SURVEY_FIELDS, SurveyIn
from govstat.platform.web.deps import set_units
from govstat.platform.web.pages import page

HTML: dict[str, Any] = {"include_in_schema": False, "media_type": MediaType.HTML}
AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READERS = (*AGENCY, Role.OPERATOR)
PAGE = 50
PageNo = Annotated[int, QueryParameter(name="page", ge=1, le=10_000)]
LABELS = {
    "survey_name": "調査名 / Survey name",
    "survey_name_en": "調査名（英語）/ Name in English",
    "purpose": "調査の目的 / Purpose",
    "legal_basis": "根拠法令 / Legal basis",
    "population": "調査対象（母集団）/ Population",
    "observation_unit": "調査単位 / Unit of observation",
    "cycle": "調査周期 / Cycle",
    "method": "調査方法 / Method",
    "reference_date": "調査期日 / Reference date",
    "period_from": "調査期間（開始）/ Period from",
    "period_to": "調査期間（終了）/ Period to",
    "contact": "問い合わせ先 / Contact",
    "gov_stat_code": "政府統計 / Statistic",
}


def jst(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A timestamp as the pages show it: Japan time."""
    return value.astimezone(JST).strftime(fmt) if value else ""


CONTEXT: dict[str, Any] = {
    "jst": jst,
    "labels": LABELS,
    "statuses": queries.STATUS_NAMES,
    "value_types": queries.VALUE_TYPES,
    "survey_fields": SURVEY_FIELDS,
}


@get("/", opt=public("metadata.search"), **HTML)
async def catalogue(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    q: str = "",
    agency: str = "",
    field: str = "",
    page_no: PageNo = 1,
) -> Any:
    total, rows = await public_search.search_published(
        uow, q=q[:200] or None, agency=agency or None, field=field or None, limit=PAGE, offset=(page_no - 1) * PAGE
    )
    set_units(request, len(rows))
    return page(
        request,
        "metadata/catalogue.html",
        rows=rows,
        total=total,
        q=q,
        agency=agency,
        field=field,
        page_no=page_no,
        pages=max((total + PAGE - 1) // PAGE, 1),
        facets=await public_search.facets(uow),
        **CONTEXT,
    )


@get("/{record_id:uuid}", opt=public("metadata.read"), **HTML)
async def survey_page(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    record_id: uuid.UUID,
    version: Annotated[int | None, Parameter(ge=1)] = None,
) -> Any:
    try:
        doc = await public_search.published(uow, record_id, version)
    except NotFound as exc:
        return page(request, "metadata/not_found.html", status_code=404, message=exc.detail)
    questionnaires = await items_published.of_survey(uow, doc.statistic.code)  # the items database's, both ways
    return page(request, "metadata/survey.html", d=doc, questionnaires=questionnaires, **CONTEXT)


# --- work pages: agencies (their own records) and the operator (everyone's) ----------------------


@get("/manage", opt=access(*READERS, op="metadata.manage"), **HTML)
async def manage_page(request: Request[Any, Any, Any], uow: UnitOfWork, status: str = "", page_no: PageNo = 1) -> Any:
    status = status if status in queries.STATUS_NAMES else ""
    total, rows = await queries.list_records(uow, status=status or None, limit=PAGE, offset=(page_no - 1) * PAGE)
    return page(
        request,
        "metadata/manage.html",
        rows=rows,
        total=total,
        status=status,
        page_no=page_no,
        pages=max((total + PAGE - 1) // PAGE, 1),
        **CONTEXT,
    )


@get("/manage/new", opt=access(*AGENCY, op="metadata.manage"), **HTML)
async def new_page(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    return page(
        request,
        "metadata/new.html",
        statistics=await directory.own_statistics(uow),
        values={},
        errors=[],
        detail="",
        **CONTEXT,
    )


@post("/manage/new", opt=access(*AGENCY, op="metadata.register", audit=True), **HTML)
async def new_submit(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("gov_stat_code", *SURVEY_FIELDS)}
    try:
        try:
            data = msgspec.convert({k: v for k, v in values.items() if v}, SurveyIn, strict=False)
        except msgspec.ValidationError as exc:
            found = re.search(r"`\$\.(\w+)`", str(exc)) or re.search(r"field `(\w+)`", str(exc))
            raise InvalidInput.field(found.group(1) if found else "form", str(exc).split(" - ")[0]) from None
        created = await service.create(uow, data)
    except InvalidInput as exc:
        return page(
            request,
            "metadata/new.html",
            status_code=422,
            statistics=await directory.own_statistics(uow),
            values=values,
            errors=exc.errors,
            detail=exc.detail,
            **CONTEXT,
        )
    return Redirect(f"/metadata/manage/{created.id}", status_code=303)


async def _record(
    request: Request[Any, Any, Any], uow: UnitOfWork, record_id: uuid.UUID, *, error: str = "", status_code: int = 200
) -> Any:
    return page(
        request,
        "metadata/record.html",
        status_code=status_code,
        r=await queries.record_view(uow, record_id),
        error=error,
        **CONTEXT,
    )


@get("/manage/{record_id:uuid}", opt=access(*READERS, op="metadata.manage"), **HTML)
async def record_page(request: Request[Any, Any, Any], uow: UnitOfWork, record_id: uuid.UUID) -> Any:
    return await _record(request, uow, record_id)


async def _act(
    request: Request[Any, Any, Any], uow: UnitOfWork, record_id: uuid.UUID, action: Callable[[], Awaitable[object]]
) -> Any:
    await queries.record_row(uow, record_id)  # another tenant's record: 404 before anything
    try:
        await action()
    except GovstatError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _record(request, uow, record_id, error=exc.detail, status_code=exc.status)
    return Redirect(f"/metadata/manage/{record_id}", status_code=303)


@post("/manage/{record_id:uuid}/finalise", opt=access(Role.AGENCY_ADMIN, op="metadata.finalise", audit=True), **HTML)
async def finalise_submit(request: Request[Any, Any, Any], uow: UnitOfWork, record_id: uuid.UUID) -> Any:
    return await _act(request, uow, record_id, lambda: service.finalise(uow, record_id))


@post("/manage/{record_id:uuid}/approve", opt=access(Role.OPERATOR, op="metadata.approve", audit=True), **HTML)
async def approve_submit(request: Request[Any, Any, Any], uow: UnitOfWork, record_id: uuid.UUID) -> Any:
    return await _act(request, uow, record_id, lambda: service.approve(uow, record_id))


@post("/manage/{record_id:uuid}/reject", opt=access(Role.OPERATOR, op="metadata.approve", audit=True), **HTML)
async def reject_submit(request: Request[Any, Any, Any], uow: UnitOfWork, record_id: uuid.UUID) -> Any:
    reason = str((await request.form()).get("reason", "")).strip()
    if not reason:
        return await _record(
            request,
            uow,
            record_id,
            status_code=422,
            error="差戻しの理由を入力してください / give the reason for sending it back",
        )
    return await _act(request, uow, record_id, lambda: service.reject(uow, record_id, reason[:2000]))


pages = Router(
    path="/metadata",
    route_handlers=[
        catalogue,
        survey_page,
        manage_page,
        new_page,
        new_submit,
        record_page,
        finalise_submit,
        approve_submit,
        reject_submit,
    ],
)
