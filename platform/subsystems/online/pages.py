"""The respondent's pages (ONLINE-1): their units, the password change the first sign-in asks for,
and the questionnaire form of one unit, rendered on the server from the definition (no JavaScript
needed): drafts, submission, update until the deadline."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import FieldError, InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.items.validation import visible_questions
from govstat.platform.subsystems.online import answering, bulk, context, forms, respondents, submissions
from govstat.platform.web.headers import SESSION_COOKIE
from govstat.platform.web.pages import page

JST = dt.timezone(dt.timedelta(hours=9))
RESPONDENT = access(Role.RESPONDENT, op="online.answer")
SUBMIT = access(Role.RESPONDENT, op="online.submit", audit=True)


@get("/online", opt=RESPONDENT)
async def home(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    if await respondents.must_change(uow):
        return Redirect("/online/password", status_code=303)
    survey, units = await answering.my_units(uow)
    return page(request, "online/home.html", survey=survey, units=units, jst=JST)


@get("/online/password", opt=RESPONDENT)
async def password_page(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    return page(request, "online/password.html", first=await respondents.must_change(uow), errors=[])


@post("/online/password", opt=RESPONDENT)
async def change_password(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    form = await request.form()
    try:
        await respondents.change_password(
            uow,
            str(form.get("current", "")),
            str(form.get("new", "")),
            str(form.get("again", "")),
            session=request.cookies.get(SESSION_COOKIE, ""),
        )
    except InvalidInput as exc:
        return page(request, "online/password.html", status_code=422, first=True, errors=exc.errors)
    return Redirect("/online", status_code=303)


@get("/online/preferences", opt=RESPONDENT)
async def preferences(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    return page(request, "online/preferences.html", opt_out=await respondents.opted_out(uow), saved=False)


@post("/online/preferences", opt=RESPONDENT)
async def save_preferences(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    form = await request.form()
    await respondents.set_opt_out(uow, form.get("reminders") != "on")
    return page(request, "online/preferences.html", opt_out=await respondents.opted_out(uow), saved=True)


async def render_form(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    unit_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: list[FieldError] | None = None,
    status: int = 200,
    notice: str = "",
    action: str = "",
    back: str = "",
    here: context.UnitContext | None = None,
) -> Any:
    """The questionnaire form of one unit (the respondent's, or an intermediary's paper entry at `action`)."""
    c = here or await context.load(uow, unit_id)
    u, survey = c.unit, c.survey
    d = await forms.definition(uow, survey)
    pre = forms.preprinted(d, u)
    draft = False
    if values is None:
        values, draft = await submissions.form_values(uow, c, pre)
    lang = "en" if request.query_params.get("lang") == "en" else "ja"
    return page(
        request,
        "online/form.html",
        status_code=status,
        unit=u,
        survey=survey,
        d=d,
        shown={q.item_id for q in visible_questions(d, values)},
        values=values,
        pre=pre,
        errors=errors or [],
        by_item={e.field: e.message for e in errors or []},
        draft=draft,
        notice=notice,
        lang=lang,
        is_open=survey.is_open(dt.datetime.now(dt.UTC)),
        jst=JST,
        action=action or f"/online/units/{unit_id}",
        paper=bool(action),
        back=back or "/online",
    )


@get("/online/units/{unit_id:uuid}", opt=RESPONDENT)
async def unit_form(request: Request[Any, Any, Any], uow: UnitOfWork, unit_id: uuid.UUID) -> Any:
    here = await context.load(uow, unit_id)
    if here.must_change:
        return Redirect("/online/password", status_code=303)
    notice = {"saved": "下書きを保存しました / draft saved"}.get(request.query_params.get("done", ""), "")
    return await render_form(request, uow, unit_id, notice=notice, here=here)


@post("/online/units/{unit_id:uuid}", opt=SUBMIT)
async def unit_post(request: Request[Any, Any, Any], uow: UnitOfWork, unit_id: uuid.UUID) -> Any:
    form = await request.form()
    # the unit, its survey and the password flag in one round trip; a submission's lock on the unit too
    here = await context.load(uow, unit_id, lock=form.get("_action") != "draft")
    if here.must_change:
        return Redirect("/online/password", status_code=303)
    values = {k: str(v) for k, v in form.items() if not k.startswith("_")}
    if form.get("_action") == "draft":
        # as a submission: only while the survey takes answers (review h20: drafts went on after the
        # deadline and the hand-off), and only the questionnaire's items, bounded
        submissions.check_accepting(here.survey, dt.datetime.now(dt.UTC))
        try:
            kept = forms.draft_of(await forms.definition(uow, here.survey), values)
        except InvalidInput as exc:
            return await render_form(request, uow, unit_id, values=values, errors=exc.errors, status=422, here=here)
        await forms.save_draft(uow, here.unit, kept, here.aes())
        lang = "&lang=en" if request.query_params.get("lang") == "en" else ""
        return Redirect(f"/online/units/{unit_id}?done=saved{lang}", status_code=303)
    try:
        base = int(str(form.get("_base_version", "0")))
    except ValueError:
        raise InvalidInput.field("_base_version", "版の番号が不正です / not a version number") from None
    try:
        done = await submissions.submit_to(uow, here, values, base_version=base, locked=True)
    except InvalidInput as exc:
        return await render_form(request, uow, unit_id, values=values, errors=exc.errors, status=422, here=here)
    return page(request, "online/receipt.html", submission=done, jst=JST, thanked=False)


@post("/online/units/{unit_id:uuid}/feedback", opt=RESPONDENT)
async def feedback(request: Request[Any, Any, Any], uow: UnitOfWork, unit_id: uuid.UUID) -> Any:
    """The short アンケート after a submission: how easy it was, how long it took, a comment."""
    form = await request.form()
    done = await answering.feedback(
        uow, unit_id, str(form.get("ease", "")), str(form.get("minutes", "")), str(form.get("comment", ""))
    )
    return page(request, "online/receipt.html", submission=done, jst=JST, thanked=True)


@get("/online/bulk/template.csv", opt=RESPONDENT)
async def bulk_template(uow: UnitOfWork) -> Response[bytes]:
    """The CSV laid out by the questionnaire, one row per unit, pre-printed values filled in."""
    survey, units = await answering.my_units(uow)
    body = bulk.template(await forms.definition(uow, survey), units)
    headers = {"Content-Disposition": f'attachment; filename="{survey.code}-bulk.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@post("/online/bulk", opt=SUBMIT, request_max_body_size=20 * 1024 * 1024)
async def bulk_upload(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    """Every unit at once from the filled-in CSV or XLSX: all rows valid, or none stored (errors by line and item)."""
    form = await request.form()
    upload = form.get("file")
    survey, units = await answering.my_units(uow)
    try:
        if not isinstance(upload, UploadFile):
            raise InvalidInput.field("file", "ファイルを選んでください / choose a file")
        done = await bulk.submit_file(uow, await upload.read(), upload.filename or "")
    except InvalidInput as exc:
        return page(
            request, "online/home.html", status_code=422, survey=survey, units=units, jst=JST, errors=exc.errors
        )
    survey, units = await answering.my_units(uow)
    return page(request, "online/home.html", survey=survey, units=units, jst=JST, done=done)


respondent_pages = Router(
    path="/",
    route_handlers=[
        home,
        password_page,
        change_password,
        preferences,
        save_preferences,
        unit_form,
        unit_post,
        feedback,
        bulk_template,
        bulk_upload,
    ],
)
