"""The operator's pages of the portal under /estat/admin: the synonym list and the questionnaires."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Request, Router, get, post
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, InvalidInput
from govstat.platform.subsystems.estat.portal import questionnaires, synonyms
from govstat.platform.subsystems.estat.portal.common import op_operator
from govstat.platform.subsystems.estat.portal.pages.view import view
from govstat.platform.subsystems.estat.portal.schemas import QuestionnaireIn

SLOTS = 8  # question slots on the builder form (blank ones are skipped)


@get("/", opt=op_operator("synonyms"), include_in_schema=False)
async def admin_index(request: Request, uow: UnitOfWork) -> Any:
    counts = {
        "synonyms": await uow.fetchval("SELECT count(*) FROM estat_synonym"),
        "questionnaires": await uow.fetchval("SELECT count(*) FROM estat_questionnaire"),
        "releases": await uow.fetchval("SELECT count(*) FROM estat_release WHERE status = 'scheduled'"),
        "pending_mail": await uow.fetchval("SELECT count(*) FROM estat_notification WHERE status <> 'sent'"),
    }
    return view(request, "estat/admin/index.html", counts=counts)


@get("/synonyms", opt=op_operator("synonyms"), include_in_schema=False)
async def synonyms_page(request: Request, uow: UnitOfWork, q: str = "") -> Any:
    return view(
        request, "estat/admin/synonyms.html", rows=await synonyms.list_synonyms(uow, q), q=q, error="", values={}
    )


@post("/synonyms", opt=op_operator("synonyms"), include_in_schema=False)
async def synonyms_add(request: Request, uow: UnitOfWork) -> Any:
    form = await request.form()
    values = {"word": str(form.get("word", "")), "synonym": str(form.get("synonym", ""))}
    try:
        await synonyms.add(uow, values["word"], values["synonym"])
    except GovstatError as exc:
        return view(
            request,
            "estat/admin/synonyms.html",
            status_code=exc.status,
            rows=await synonyms.list_synonyms(uow),
            q="",
            error=exc.detail,
            values=values,
        )
    return Redirect("/estat/admin/synonyms", status_code=303)


@post("/synonyms/{synonym_id:int}/delete", opt=op_operator("synonyms"), include_in_schema=False)
async def synonyms_delete(uow: UnitOfWork, synonym_id: int) -> Any:
    await synonyms.remove(uow, synonym_id)
    return Redirect("/estat/admin/synonyms", status_code=303)


@get("/questionnaires", opt=op_operator("questionnaires"), include_in_schema=False)
async def questionnaires_page(request: Request, uow: UnitOfWork) -> Any:
    return view(
        request,
        "estat/admin/questionnaires.html",
        rows=await questionnaires.list_all(uow),
        statuses=questionnaires.STATUS,
    )


@get("/questionnaires/new", opt=op_operator("questionnaires"), include_in_schema=False)
async def new_page(request: Request, uow: UnitOfWork) -> Any:
    del uow  # unused but for the call audit every operator page leaves (audit=True)
    return view(
        request, "estat/admin/questionnaire_new.html", slots=SLOTS, values={}, error="", kinds=questionnaires.KINDS
    )


def _from_form(form) -> tuple[dict[str, Any], QuestionnaireIn]:
    values = {k: str(v) for k, v in form.items() if k != "_csrf"}
    questions = []
    for n in range(1, SLOTS + 1):
        text = values.get(f"q{n}_text", "").strip()
        if not text:
            continue
        kind = values.get(f"q{n}_kind", "single")
        choices = [c.strip() for c in values.get(f"q{n}_choices", "").splitlines() if c.strip()]
        questions.append(
            {
                "kind": kind,
                "text": text,
                "required": bool(values.get(f"q{n}_required")),
                "choices": choices if kind != "text" else [],
            }
        )
    data = {
        "title": values.get("title", "").strip(),
        "description": values.get("description", "").strip(),
        "audience": values.get("audience", "anyone"),
        "show_results": bool(values.get("show_results")),
        "questions": questions,
    }
    try:
        return values, msgspec.convert(data, QuestionnaireIn)
    except msgspec.ValidationError as exc:
        raise InvalidInput(f"入力内容に誤りがあります / invalid input: {exc}") from None


@post("/questionnaires/new", opt=op_operator("questionnaires"), include_in_schema=False)
async def new_submit(request: Request, uow: UnitOfWork) -> Any:
    form = await request.form()
    values: dict[str, Any] = {k: str(v) for k, v in form.items()}
    try:
        values, data = _from_form(form)
        created = await questionnaires.create(uow, data)
    except GovstatError as exc:
        return view(
            request,
            "estat/admin/questionnaire_new.html",
            status_code=exc.status,
            slots=SLOTS,
            values=values,
            error=exc.detail,
            kinds=questionnaires.KINDS,
        )
    return Redirect(f"/estat/admin/questionnaires/{created.id}", status_code=303)


@get("/questionnaires/{qid:uuid}", opt=op_operator("questionnaires"), include_in_schema=False)
async def detail_page(request: Request, uow: UnitOfWork, qid: uuid.UUID, error: str = "") -> Any:
    return view(
        request,
        "estat/questionnaire_results.html",
        qn=await questionnaires.get(uow, qid),
        res=await questionnaires.results(uow, qid),
        admin=True,
        statuses=questionnaires.STATUS,
        kinds=questionnaires.KINDS,
        error=error,
    )


@post("/questionnaires/{qid:uuid}/{action:str}", opt=op_operator("questionnaires"), include_in_schema=False)
async def act(request: Request, uow: UnitOfWork, qid: uuid.UUID, action: str) -> Any:
    to = {"publish": "published", "close": "closed"}.get(action)
    if to is None:
        raise InvalidInput.field("action", "publish か close / publish or close")
    await questionnaires.transition(uow, qid, to)
    return Redirect(f"/estat/admin/questionnaires/{qid}", status_code=303)


router = Router(
    path="/estat/admin",
    route_handlers=[
        admin_index,
        synonyms_page,
        synonyms_add,
        synonyms_delete,
        questionnaires_page,
        new_page,
        new_submit,
        detail_page,
        act,
    ],
)
