"""The intermediary's pages (ONLINE-2): its granted surveys, reception status of its units, paper
answer entry, the fixed forms (receipt list, non-response list per area) and the completion report."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.online import submissions, surveys
from govstat.platform.subsystems.online.intermediaries import service
from govstat.platform.subsystems.online.pages import render_form
from govstat.platform.web.pages import page

READ = access(Role.INTERMEDIARY, op="online.survey_read")
ENTER = access(Role.INTERMEDIARY, op="online.paper_entry", audit=True)
BASE = "/online/intermediary"


@get(BASE, opt=READ)
async def home(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    return page(
        request, "online/intermediary.html", grants=await service.grants(uow), surveys=await surveys.listing(uow)
    )


@get(BASE + "/{survey_id:uuid}", opt=READ)
async def survey(request: Request[Any, Any, Any], uow: UnitOfWork, survey_id: uuid.UUID) -> Any:
    s = await surveys.get(uow, survey_id)
    mine = [g for g in await service.grants(uow) if g.survey_id == survey_id]
    units = await service.units(uow, survey_id)
    return page(request, "online/intermediary_survey.html", survey=s, grant=mine[0] if mine else None, units=units)


def _csv(body: bytes, name: str) -> Response[bytes]:
    return Response(
        body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@get(BASE + "/{survey_id:uuid}/receipts.csv", opt=READ)
async def receipts(uow: UnitOfWork, survey_id: uuid.UUID) -> Response[bytes]:
    return _csv(service.receipt_list(await service.units(uow, survey_id, submitted=True)), "receipts.csv")


@get(BASE + "/{survey_id:uuid}/nonresponse.csv", opt=READ)
async def nonresponse(uow: UnitOfWork, survey_id: uuid.UUID) -> Response[bytes]:
    return _csv(service.nonresponse_list(await service.units(uow, survey_id, submitted=False)), "nonresponse.csv")


@post(BASE + "/{survey_id:uuid}/complete", opt=ENTER)
async def complete(request: Request[Any, Any, Any], uow: UnitOfWork, survey_id: uuid.UUID) -> Any:
    form = await request.form()
    await service.complete(uow, survey_id, str(form.get("note", "")))
    return Redirect(f"{BASE}/{survey_id}", status_code=303)


async def _unit(uow: UnitOfWork, survey_id: uuid.UUID, unit_id: uuid.UUID) -> None:
    u = await submissions.unit(uow, unit_id)  # row-level security: only the units assigned to the caller
    if u.survey_id != survey_id:
        raise NotFound("調査単位が見つかりません / no such unit")


@get(BASE + "/{survey_id:uuid}/units/{unit_id:uuid}", opt=READ)
async def paper_form(request: Request[Any, Any, Any], uow: UnitOfWork, survey_id: uuid.UUID, unit_id: uuid.UUID) -> Any:
    await _unit(uow, survey_id, unit_id)
    here = f"{BASE}/{survey_id}/units/{unit_id}"
    return await render_form(request, uow, unit_id, action=here, back=f"{BASE}/{survey_id}")


@post(BASE + "/{survey_id:uuid}/units/{unit_id:uuid}", opt=ENTER)
async def paper_entry(
    request: Request[Any, Any, Any], uow: UnitOfWork, survey_id: uuid.UUID, unit_id: uuid.UUID
) -> Any:
    """A paper questionnaire typed in by the intermediary: a submission on channel `paper`."""
    await _unit(uow, survey_id, unit_id)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if not k.startswith("_")}
    here = f"{BASE}/{survey_id}/units/{unit_id}"
    base = str(form.get("_base_version", "0"))
    if not base.isdigit() or len(base) > 6:
        raise InvalidInput.field("_base_version", "版の番号が不正です / not a version number")
    try:
        await submissions.submit(uow, unit_id, values, base_version=int(base), channel="paper")
    except InvalidInput as exc:
        return await render_form(
            request, uow, unit_id, values=values, errors=exc.errors, status=422, action=here, back=f"{BASE}/{survey_id}"
        )
    return Redirect(f"{BASE}/{survey_id}", status_code=303)


pages = Router(path="/", route_handlers=[home, survey, receipts, nonresponse, complete, paper_form, paper_entry])
