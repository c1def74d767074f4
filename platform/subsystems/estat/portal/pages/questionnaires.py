"""ESTAT-4 pages: the published questionnaires, answering one (registered users as themselves, anyone
else per browser cookie), and the results the operator made public."""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from litestar import Request, get, post

from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, NotFound
from govstat.platform.security import Principal
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.estat.portal import questionnaires
from govstat.platform.subsystems.estat.portal.common import is_registered, op_public
from govstat.platform.subsystems.estat.portal.pages.view import estat_pages, not_found, view
from govstat.platform.subsystems.estat.portal.rows import Questionnaire
from govstat.platform.web.headers import RESPONDENT_COOKIE


@get("/questionnaires", opt=op_public("questionnaire"), include_in_schema=False)
async def questionnaires_page(request: Request, uow: UnitOfWork) -> Any:
    rows = await uow.rows(
        Questionnaire,
        f"SELECT {columns(Questionnaire)} FROM estat_questionnaire WHERE status IN ('published', 'closed')"
        " ORDER BY status DESC, published_at DESC",
    )
    return view(request, "estat/questionnaires.html", rows=rows)


async def act_as_respondent(request: Request, uow: UnitOfWork, principal: Principal) -> str | None:
    """Registered users answer as themselves; an anonymous browser as its cookie (a new one if none)."""
    if is_registered(principal) or principal.subject:
        return None
    token = request.cookies.get(RESPONDENT_COOKIE, "")
    fresh = None
    if not re.fullmatch(r"[A-Za-z0-9_-]{32,64}", token or ""):
        token = fresh = secrets.token_urlsafe(32)
    await uow.act_as(questionnaires.anonymous_respondent(token))
    return fresh


def with_cookie(response, fresh: str | None):
    """The answer, setting the anonymous respondent's new cookie if `act_as_respondent` made one."""
    if fresh:
        response.set_cookie(
            RESPONDENT_COOKIE,
            fresh,
            max_age=400 * 86400,
            path="/estat/questionnaires",
            httponly=True,
            samesite="lax",
            secure=get_settings().cookie_secure,
        )
    return response


@get("/questionnaires/{qid:uuid}", opt=op_public("questionnaire"), include_in_schema=False)
async def questionnaire_page(request: Request, uow: UnitOfWork, principal: Principal, qid: uuid.UUID) -> Any:
    fresh = await act_as_respondent(request, uow, principal)
    try:
        qn = await questionnaires.get(uow, qid)
    except NotFound as exc:
        return not_found(request, exc.detail)
    done = await questionnaires.answered(uow, qid)
    return with_cookie(
        view(request, "estat/questionnaire.html", qn=qn, done=done, errors={}, given={}, kinds=questionnaires.KINDS),
        fresh,
    )


@post("/questionnaires/{qid:uuid}", opt=op_public("questionnaire"), include_in_schema=False, status_code=200)
async def questionnaire_answer(request: Request, uow: UnitOfWork, principal: Principal, qid: uuid.UUID) -> Any:
    fresh = await act_as_respondent(request, uow, principal)
    qn = await questionnaires.get(uow, qid)
    form = await request.form()
    answers: dict[str, list[int] | str] = {}
    given: dict[str, Any] = {}
    for q in qn.questions:
        key = f"q_{q.id}"
        if q.kind == "text":
            answers[str(q.id)] = given[str(q.id)] = str(form.get(key, ""))
        else:
            raw = form.getall(key, []) if hasattr(form, "getall") else ([form[key]] if key in form else [])
            picked = [int(v) for v in raw if str(v).isdigit()]
            answers[str(q.id)] = picked
            given[str(q.id)] = set(picked)
    try:
        await questionnaires.respond(uow, qid, answers, registered=is_registered(principal))
    except GovstatError as exc:
        errors = {e.field: e.message for e in exc.errors}
        done = exc.status == 409
        return with_cookie(
            view(
                request,
                "estat/questionnaire.html",
                status_code=exc.status,
                qn=qn,
                done=done,
                errors=errors,
                error=exc.detail,
                given=given,
                kinds=questionnaires.KINDS,
            ),
            fresh,
        )
    return with_cookie(view(request, "estat/questionnaire_done.html", qn=qn), fresh)


@get("/questionnaires/{qid:uuid}/results", opt=op_public("questionnaire"), include_in_schema=False)
async def questionnaire_public_results(request: Request, qid: uuid.UUID) -> Any:
    results = await questionnaires.public_results(qid)
    if results is None:
        return not_found(request, "集計結果は公開されていません / the results are not public")
    return view(request, "estat/questionnaire_results.html", res=results, admin=False, qn=None)


router = estat_pages(questionnaires_page, questionnaire_page, questionnaire_answer, questionnaire_public_results)
