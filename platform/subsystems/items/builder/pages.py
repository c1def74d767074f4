"""The builder's pages under /items/builder: a new questionnaire (the form, or an uploaded JSON,
YAML or XLSForm file), a draft's editing page with the paper preview, and publishing."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import MediaType, Request, Router, get, post
from litestar.datastructures import UploadFile
from litestar.params import Parameter
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, InvalidInput, NotFound
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.items import queries, questionnaires, xlsform
from govstat.platform.subsystems.items.builder import changes, form
from govstat.platform.subsystems.items.definition import (
    Definition,
    FieldError,
    check_definition,
    decode,
    decode_yaml,
    question_map,
)
from govstat.platform.subsystems.items.render import CONTEXT, form_context
from govstat.platform.subsystems.items.validation import clean
from govstat.platform.web.pages import page

HTML: dict[str, Any] = {"include_in_schema": False, "media_type": MediaType.HTML}
BUILDERS = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF, Role.OPERATOR)
MAX_UPLOAD = 5 * 1024 * 1024
Find = Annotated[str, Parameter(max_length=200)]  # the item search of the edit page


async def _show(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    *,
    qid: uuid.UUID | None,
    values: dict[str, str],
    d: Definition | None,
    status: str = "draft",
    version: int = 1,
    error: GovstatError | None = None,
    report: xlsform.Report | None = None,
    code: int = 200,
    answers: dict[str, str] | None = None,
    answer_errors: list[FieldError] | None = None,
    stored: dict[str, str] | None = None,
    find: str = "",
) -> Any:
    sections, questions = form.counts(values)
    web = form_context(d, answers or {}, answer_errors or []) if d else CONTEXT
    return page(
        request,
        "items/builder.html",
        status_code=code,
        qid=qid,
        values=values,
        state=status,
        version=version,
        n_sections=sections,
        n_questions=questions,
        item_ids=await queries.item_ids(uow),
        error=error,
        report=report,
        problems=check_definition(d) if d else [],
        tried=answers is not None,
        stored=stored or {},
        find=find,
        found=(await queries.search_items(uow, find, 20, 0)).items if find.strip() else [],
        **{**web, "d": d},
    )


async def _fields(request: Request[Any, Any, Any]) -> dict[str, str]:
    data = await request.form()
    return {k: str(v) for k, v in data.items() if k != "_csrf" and isinstance(v, str)}


async def _show_stored(
    request: Request[Any, Any, Any], uow: UnitOfWork, qid: uuid.UUID, latest: queries.Latest, **extra: Any
) -> Any:
    """The builder page on a stored version (its definition, status and number), with `extra` (an
    error, a try's answers, the item search) as _show takes them."""
    d = decode(latest.definition)
    return await _show(
        request, uow, qid=qid, values=form.values(d), d=d, status=latest.status, version=latest.version, **extra
    )


@get("/new", opt=access(*BUILDERS, op="items.build"), **HTML)
async def new_page(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    return await _show(request, uow, qid=None, values=form.values(None), d=None)


async def _save(request: Request[Any, Any, Any], uow: UnitOfWork, qid: uuid.UUID | None, values: dict[str, str]) -> Any:
    """Save the form; an up/down button (`move`, the keyboard's and no-script way to reorder) saves it
    with that move applied, and comes back to the moved row."""
    move, anchor = values.pop("move", ""), ""
    try:
        d = form.definition(values)
        if move and qid:
            step = changes.step(d, move)
            d, anchor = changes.apply(d, step), "#" + move.rsplit(":", 1)[0].replace("q:", "row-").replace("s:", "sec-")
        saved = await questionnaires.save_draft(uow, d, qid)
    except InvalidInput as exc:
        return await _show(request, uow, qid=qid, values=values, d=None, error=exc, code=422)
    return Redirect(f"/items/builder/{saved.questionnaire_id}{anchor}", status_code=303)


@post("/new", opt=access(*BUILDERS, op="items.build", audit=True), **HTML)
async def new_submit(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    return await _save(request, uow, None, await _fields(request))


@post("/upload", opt=access(*BUILDERS, op="items.build", audit=True), **HTML)
async def upload(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    """A definition file: .json, .yaml/.yml, or an XLSForm .xlsx (with survey, cycle and unit fields)."""
    data = await request.form()
    file = data.get("file")
    fields = {k: str(v) for k, v in data.items() if isinstance(v, str)}
    report = None
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise InvalidInput.field("file", "ファイルを選んでください / choose a file")
        body = await file.read(MAX_UPLOAD + 1)
        if len(body) > MAX_UPLOAD:
            raise InvalidInput.field("file", "5MB まで / at most 5 MB")
        name = file.filename.lower()
        try:
            if name.endswith(".xlsx"):
                unit = fields.get("respondent_unit", "household")
                d, report = xlsform.read(
                    body,
                    survey=fields.get("survey", "") or "-",
                    cycle=fields.get("cycle", "") or "-",
                    respondent_unit=unit,
                    name=file.filename,
                )
            elif name.endswith((".yaml", ".yml")):
                d = decode_yaml(body.decode("utf-8"))
            else:
                d = decode(body)
        except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, ValueError, KeyError, OSError) as exc:
            raise InvalidInput.field("file", f"定義を読めません / cannot read the definition: {exc}") from None
        saved = await questionnaires.save_draft(uow, d)
    except InvalidInput as exc:
        return await _show(request, uow, qid=None, values=form.values(None), d=None, error=exc, code=422)
    values = form.values(saved)
    return await _show(request, uow, qid=uuid.UUID(saved.questionnaire_id), values=values, d=saved, report=report)


@get("/{questionnaire_id:uuid}", opt=access(*BUILDERS, op="items.build"), **HTML)
async def edit_page(
    request: Request[Any, Any, Any], uow: UnitOfWork, questionnaire_id: uuid.UUID, find: Find = ""
) -> Any:
    try:
        latest = await queries.latest(uow, questionnaire_id)
    except NotFound as exc:
        return page(request, "items/not_found.html", status_code=404, message=exc.detail)
    return await _show_stored(request, uow, questionnaire_id, latest, find=find)


@post("/{questionnaire_id:uuid}", opt=access(*BUILDERS, op="items.build", audit=True), **HTML)
async def edit_submit(request: Request[Any, Any, Any], uow: UnitOfWork, questionnaire_id: uuid.UUID) -> Any:
    await queries.latest(uow, questionnaire_id)  # another tenant's: 404 before anything
    return await _save(request, uow, questionnaire_id, await _fields(request))


@post("/{questionnaire_id:uuid}/publish", opt=access(*BUILDERS, op="items.publish", audit=True), **HTML)
async def publish_submit(request: Request[Any, Any, Any], uow: UnitOfWork, questionnaire_id: uuid.UUID) -> Any:
    latest = await queries.latest(uow, questionnaire_id)
    try:
        await questionnaires.publish(uow, questionnaire_id)
    except GovstatError as exc:
        return await _show_stored(request, uow, questionnaire_id, latest, error=exc, code=exc.status)
    return Redirect(f"/items/questionnaires/{questionnaire_id}", status_code=303)


@post("/{questionnaire_id:uuid}/try", opt=access(*BUILDERS, op="items.build"), **HTML)
async def try_submit(request: Request[Any, Any, Any], uow: UnitOfWork, questionnaire_id: uuid.UUID) -> Any:
    """Answer the newest version's web form as a respondent would: the server shows the errors, the
    questions skip logic shows for these answers, and the canonical values it would store."""
    latest = await queries.latest(uow, questionnaire_id)
    d = decode(latest.definition)
    fields = await _fields(request)
    answers = {k: v for k, v in fields.items() if k in question_map(d)}
    cleaned = clean(d, answers)
    return await _show_stored(
        request, uow, questionnaire_id, latest, answers=answers, answer_errors=cleaned.errors, stored=cleaned.values
    )


pages = Router(
    path="/items/builder",
    route_handlers=[new_page, new_submit, upload, edit_page, edit_submit, publish_submit, try_submit],
)
