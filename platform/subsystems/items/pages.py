"""Web pages of the survey items database (Japanese first, English beside it): public search by item
and by questionnaire (/items), item pages, a published questionnaire as the printable 調査票 and its
codebook; and the maintenance pages of agencies and the operator (/items/manage: definition units,
code lists, items). Every form works without JavaScript."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

import msgspec
from litestar import MediaType, Request, Router, get, post
from litestar.params import Parameter, QueryParameter
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.module import access, public
from govstat.platform.security import Role
from govstat.platform.subsystems.items import manage, published, queries, service
from govstat.platform.subsystems.items.definition import RESPONDENT_UNITS
from govstat.platform.subsystems.items.diff import diff
from govstat.platform.subsystems.items.render import CONTEXT
from govstat.platform.subsystems.items.schemas import ClassificationListIn, CodeListIn, DefinitionUnitIn, ItemIn
from govstat.platform.web.deps import set_units
from govstat.platform.web.pages import page

HTML: dict[str, Any] = {"include_in_schema": False, "media_type": MediaType.HTML}
MAINTAINERS = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF, Role.OPERATOR)
PAGE = 50
PageNo = Annotated[int, QueryParameter(name="page", ge=1, le=10_000)]
ItemKey = Annotated[str, Parameter(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,62}$")]
Version = Annotated[int | None, Parameter(ge=1, le=100000)]


@get("/", opt=public("items.search"), **HTML)
async def search(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    q: Annotated[str, Parameter(max_length=200)] = "",
    by: Literal["item", "questionnaire"] = "item",
    page_no: PageNo = 1,
) -> Any:
    offset = (page_no - 1) * PAGE
    found = (
        await queries.search_items(uow, q, PAGE, offset)
        if by == "item"
        else await queries.search_questionnaires(uow, q, PAGE, offset)
    )
    set_units(request, len(found.items))
    pages = max((found.total + PAGE - 1) // PAGE, 1)
    return page(request, "items/search.html", q=q, by=by, found=found, page_no=page_no, pages=pages, **CONTEXT)


@get("/item/{item_id:str}", opt=public("items.read"), **HTML)
async def item_page(request: Request[Any, Any, Any], uow: UnitOfWork, item_id: ItemKey) -> Any:
    try:
        doc = await queries.item_doc(uow, item_id)
    except NotFound as exc:
        return page(request, "items/not_found.html", status_code=404, message=exc.detail)
    return page(request, "items/item.html", d=doc, **CONTEXT)


async def _published(
    request: Request[Any, Any, Any], uow: UnitOfWork, qid: uuid.UUID, version: int | None, template: str
) -> Any:
    found = await published.questionnaire(uow, str(qid), version)
    if found is None:
        return page(
            request,
            "items/not_found.html",
            status_code=404,
            message="公開された調査票が見つかりません / no published questionnaire",
        )
    history = await queries.history(uow, qid)
    records = await queries.metadata_records(uow, found.definition.survey)
    return page(
        request, template, p=found, d=found.definition, history=history, records=records, editable=False, **CONTEXT
    )


@get("/questionnaires/{questionnaire_id:uuid}", opt=public("items.read"), **HTML)
async def questionnaire_page(
    request: Request[Any, Any, Any], uow: UnitOfWork, questionnaire_id: uuid.UUID, version: Version = None
) -> Any:
    """The printable 調査票 of a published version (paper respondents print this page)."""
    return await _published(request, uow, questionnaire_id, version, "items/questionnaire.html")


@get("/questionnaires/{questionnaire_id:uuid}/codebook", opt=public("items.read"), **HTML)
async def codebook_page(
    request: Request[Any, Any, Any], uow: UnitOfWork, questionnaire_id: uuid.UUID, version: Version = None
) -> Any:
    """The codebook: one row per item (the hand-off columns), codes, skip logic and edit checks."""
    return await _published(request, uow, questionnaire_id, version, "items/codebook.html")


@get("/questionnaires/{questionnaire_id:uuid}/diff", opt=public("items.read"), **HTML)
async def diff_page(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    questionnaire_id: uuid.UUID,
    old: Annotated[int, Parameter(ge=1, le=100000)],
    new: Annotated[int, Parameter(ge=1, le=100000)],
) -> Any:
    """The version diff report and the answer migration map by stable item id."""
    a = await published.questionnaire(uow, str(questionnaire_id), old)
    b = await published.questionnaire(uow, str(questionnaire_id), new)
    if a is None or b is None:
        return page(
            request,
            "items/not_found.html",
            status_code=404,
            message="公開された版が見つかりません / version not published",
        )
    return page(request, "items/diff.html", p=b, d=b.definition, r=diff(a.definition, b.definition), **CONTEXT)


# --- maintenance (ITEMS-2) --------------------------------------------------------------------


@get("/manage", opt=access(*MAINTAINERS, op="items.maintain"), **HTML)
async def manage_page(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    return page(
        request,
        "items/manage.html",
        m=await manage.overview(uow),
        values={},
        errors=[],
        form="",
        units=RESPONDENT_UNITS,
        **CONTEXT,
    )


async def _form(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    return {k: str(v).strip() for k, v in form.items() if k != "_csrf"}


async def _submit(
    request: Request[Any, Any, Any], uow: UnitOfWork, kind: str, values: dict[str, str], action: Any
) -> Any:
    try:
        await action()
    except (InvalidInput, msgspec.ValidationError) as exc:
        errors = exc.errors if isinstance(exc, InvalidInput) else []
        detail = exc.detail if isinstance(exc, InvalidInput) else str(exc)
        m = await manage.overview(uow)
        return page(
            request,
            "items/manage.html",
            status_code=422,
            m=m,
            values=values,
            errors=errors,
            detail=detail,
            form=kind,
            units=RESPONDENT_UNITS,
            **CONTEXT,
        )
    return Redirect("/items/manage", status_code=303)


@post("/manage/units", opt=access(*MAINTAINERS, op="items.maintain", audit=True), **HTML)
async def unit_submit(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    values = await _form(request)
    return await _submit(
        request,
        uow,
        "unit",
        values,
        lambda: service.save_definition_unit(uow, msgspec.convert(values, DefinitionUnitIn, strict=False)),
    )


@post("/manage/code-lists", opt=access(*MAINTAINERS, op="items.maintain", audit=True), **HTML)
async def code_list_submit(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    values = await _form(request)

    async def save() -> None:
        body = {**manage.code_list_body(values)}
        await service.save_code_list(uow, msgspec.convert(body, CodeListIn, strict=False))

    return await _submit(request, uow, "code_list", values, save)


@post("/manage/code-lists/from-classification", opt=access(*MAINTAINERS, op="items.maintain", audit=True), **HTML)
async def classification_list_submit(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    """A code list of one level of a classification version (JSIC, JSOC), linked to that version."""
    values = await _form(request)

    async def save() -> None:
        await service.code_list_from_classification(uow, msgspec.convert(values, ClassificationListIn, strict=False))

    return await _submit(request, uow, "classification", values, save)


@post("/manage/items", opt=access(*MAINTAINERS, op="items.maintain", audit=True), **HTML)
async def item_submit(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    values = await _form(request)

    async def save() -> None:
        body = {k: v for k, v in values.items() if v}
        await service.save_item(uow, msgspec.convert(body, ItemIn, strict=False))

    return await _submit(request, uow, "item", values, save)


pages = Router(
    path="/items",
    route_handlers=[
        search,
        item_page,
        questionnaire_page,
        classification_list_submit,
        codebook_page,
        diff_page,
        manage_page,
        unit_submit,
        code_list_submit,
        item_submit,
    ],
)
