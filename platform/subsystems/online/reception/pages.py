"""The agency's pages (ONLINE-3): its surveys, the reception dashboard by area (live counts from the
read model), the non-respondents, and the respondent list upload that answers the letter file."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import UploadFile

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.online import export, respondents, surveys
from govstat.platform.subsystems.online.intermediaries import service as intermediaries
from govstat.platform.subsystems.online.reception import queries as reception
from govstat.platform.web.pages import page

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READ = access(*AGENCY, op="online.survey_read")


@get("/online/manage", opt=READ)
async def manage(request: Request[Any, Any, Any], uow: UnitOfWork) -> Any:
    return page(request, "online/manage.html", surveys=await surveys.listing(uow))


@get("/online/manage/{survey_id:uuid}", opt=READ)
async def dashboard(request: Request[Any, Any, Any], uow: UnitOfWork, survey_id: uuid.UUID) -> Any:
    survey = await surveys.view(uow, survey_id)
    counts = await reception.by_area(uow, survey_id)
    _, missing = await export.status(uow, survey_id, submitted=False, limit=200, offset=0)
    grants = await intermediaries.named(uow, await intermediaries.grants(uow, survey_id))
    return page(request, "online/dashboard.html", survey=survey, r=counts, missing=missing, errors=[], grants=grants)


@post("/online/manage/{survey_id:uuid}/respondents", opt=access(*AGENCY, op="online.respondents_import", audit=True))
async def upload_respondents(request: Request[Any, Any, Any], uow: UnitOfWork, survey_id: uuid.UUID) -> Any:
    """The list as a file from the dashboard's form: answers the letter file (CSV) to save and print."""
    form = await request.form()
    upload = form.get("file")
    survey = await surveys.get(uow, survey_id)
    try:
        if not isinstance(upload, UploadFile):
            raise InvalidInput.field("file", "CSVファイルを選んでください / choose a CSV file")
        creds = await respondents.import_list(uow, survey_id, await upload.read())
    except InvalidInput as exc:
        view = await surveys.view(uow, survey_id)
        counts = await reception.by_area(uow, survey_id)
        return page(
            request, "online/dashboard.html", status_code=422, survey=view, r=counts, missing=[], errors=exc.errors
        )
    return Response(
        respondents.letter_csv(survey, creds, get_settings().base_url),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="letters-{survey.code}.csv"',
            "Cache-Control": "no-store",
        },
    )


agency_pages = Router(path="/", route_handlers=[manage, dashboard, upload_respondents])
