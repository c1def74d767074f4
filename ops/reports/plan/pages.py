"""The agency administrator's pages for the plan's survey: /ops/plans/surveys (the surveys its
organisation was asked) and /ops/plans/surveys/<id> (its answer as a plain HTML form, no script)."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Request, Router, get, post
from litestar.response import Redirect

from govstat.ops.reports import labels, periods, usage
from govstat.ops.reports.access import PLANS
from govstat.ops.reports.files.sheets import jst
from govstat.ops.reports.plan import survey
from govstat.ops.reports.plan.rows import WishRow
from govstat.ops.reports.schemas import ResponseIn
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Principal, Role
from govstat.platform.web.pages import page

ADMIN = access(Role.AGENCY_ADMIN, op=PLANS, subscription=False)
WISH_ROWS = 5


def form_to_response(form: Any, catalog: Catalog) -> ResponseIn:
    """Form fields (level_<key>, calls_<key>, peak_<key>, heavy_<key> per subsystem; b_module_<i>,
    b_month_<i>, b_participants_<i>, b_note_<i> per wished briefing; comments) as the API's answer."""
    uses: list[dict[str, Any]] = []
    wishes: list[dict[str, Any]] = []
    for key in usage.subsystem_names(catalog):
        level = form.get(f"level_{key}", "")
        if level:
            uses.append(
                {
                    "module_key": key,
                    "level": level,
                    "calls_per_month": _int(form.get(f"calls_{key}")),
                    "peak_calls_per_month": _int(form.get(f"peak_{key}")),
                    "heavy_months": [int(m) for m in form.getall(f"heavy_{key}", []) if m],
                }
            )
    for i in range(WISH_ROWS):
        if form.get(f"b_module_{i}"):
            wishes.append(
                {
                    "module_key": form.get(f"b_module_{i}"),
                    "preferred_month": _int(form.get(f"b_month_{i}")),
                    "participants": _int(form.get(f"b_participants_{i}")),
                    "note": form.get(f"b_note_{i}", ""),
                }
            )
    try:
        return msgspec.convert({"uses": uses, "briefings": wishes, "comments": form.get("comments", "")}, ResponseIn)
    except (msgspec.ValidationError, ValueError) as exc:
        raise InvalidInput(f"入力内容を確認してください / please check the form: {exc}") from None


def _int(value: Any) -> int | None:
    value = (value or "").strip() if isinstance(value, str) else value
    return int(value) if value not in (None, "") else None


async def _form(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    principal: Principal,
    catalog: Catalog,
    survey_id: uuid.UUID,
    *,
    error: str = "",
    status_code: int = 200,
) -> Any:
    found = await survey.for_agency(uow, survey_id, principal.tenant_id)
    mine = await survey.my_response(uow, principal, survey_id)
    uses = {u.module_key: u for u in mine.uses} if mine else {}
    wishes: list[WishRow | None] = list(mine.briefings) if mine else []
    fy = found.fiscal_year
    return page(
        request,
        "reports/answer.html",
        status_code=status_code,
        survey=found,
        response=mine,
        uses=uses,
        wishes=wishes + [None] * max(0, WISH_ROWS - len(wishes)),
        names=usage.subsystem_names(catalog),
        levels=labels.LEVELS,
        months=[(m, periods.month_label(fy, m)) for m in periods.FY_MONTHS],
        open=found.deadline > periods.now(),
        error=error,
        jst=jst,
    )


@get("/ops/plans/surveys", opt=ADMIN, include_in_schema=False)
async def surveys_page(request: Request[Any, Any, Any], uow: UnitOfWork, principal: Principal) -> Any:
    return page(request, "reports/surveys.html", surveys=await survey.surveys(uow, principal), jst=jst, era=periods.era)


@get("/ops/plans/surveys/{survey_id:uuid}", opt=ADMIN, include_in_schema=False)
async def answer_page(
    request: Request[Any, Any, Any], uow: UnitOfWork, principal: Principal, catalog: Catalog, survey_id: uuid.UUID
) -> Any:
    return await _form(request, uow, principal, catalog, survey_id)


@post("/ops/plans/surveys/{survey_id:uuid}", opt=ADMIN, include_in_schema=False)
async def answer_form(
    request: Request[Any, Any, Any], uow: UnitOfWork, principal: Principal, catalog: Catalog, survey_id: uuid.UUID
) -> Any:
    try:
        data = form_to_response(await request.form(), catalog)
        survey.check(data)
    except InvalidInput as exc:
        return await _form(request, uow, principal, catalog, survey_id, error=exc.detail, status_code=422)
    await survey.answer(uow, principal, survey_id, data)
    return Redirect(f"/ops/plans/surveys/{survey_id}?saved=1", status_code=303)


router = Router(path="/", route_handlers=[surveys_page, answer_page, answer_form], tags=["ops / 運用管理計画"])
