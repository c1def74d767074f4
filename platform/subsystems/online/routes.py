"""The agency's API under /api/online (ONLINE-1, ONLINE-3): surveys, respondents and their letters.
Session or API key; every route is the agency's (admin or staff) and audited where it reveals
credentials or answers."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.params import Parameter
from litestar.response import Stream

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.online import export, keys, respondents, surveys, versioning
from govstat.platform.subsystems.online.reception import queries as reception
from govstat.platform.subsystems.online.schemas import Credential, RespondentView, SurveyIn, SurveyView
from govstat.platform.web.deps import set_units
from govstat.platform.web.paging import Listing, Offset

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
Limit = Annotated[int, Parameter(ge=1, le=1000)]
MAX_UPLOAD = 20 * 1024 * 1024


@post("/surveys", opt=access(*AGENCY, op="online.survey_manage", audit=True), status_code=201)
async def create_survey(uow: UnitOfWork, data: SurveyIn) -> SurveyView:
    """A survey cycle with its schedule (open, reminders, deadline, retention) and its questionnaire."""
    return await surveys.create(uow, data)


@get("/surveys", opt=access(*AGENCY, op="online.survey_read"))
async def list_surveys(uow: UnitOfWork) -> list[SurveyView]:
    return await surveys.listing(uow)


@get("/surveys/{survey_id:uuid}", opt=access(*AGENCY, op="online.survey_read"))
async def get_survey(uow: UnitOfWork, survey_id: uuid.UUID) -> SurveyView:
    return await surveys.view(uow, survey_id)


def _letter(request: Request[Any, Any, Any], survey: Any, creds: list[Credential], status: int) -> Response[Any]:
    set_units(request, len(creds))
    accept = request.headers.get("accept", "")
    if "application/json" in accept:
        return Response(creds, status_code=status, headers={"Cache-Control": "no-store"})
    if "application/pdf" in accept:  # the letters to print, one page each
        # Imported on first use: reportlab, few requests need (issue 15: the app's base RSS)
        from govstat.platform.subsystems.online import letter_pdf

        return Response(
            letter_pdf.letter_pdf(survey, creds, get_settings().base_url),
            status_code=status,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="letters-{survey.code}.pdf"',
                "Cache-Control": "no-store",
            },
        )
    return Response(
        respondents.letter_csv(survey, creds, get_settings().base_url),
        status_code=status,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="letters-{survey.code}.csv"',
            "Cache-Control": "no-store",
        },
    )


@post(
    "/surveys/{survey_id:uuid}/respondents",
    opt=access(*AGENCY, op="online.respondents_import", audit=True),
    status_code=201,
    request_max_body_size=MAX_UPLOAD,
)
async def import_respondents(request: Request[Any, Any, Any], uow: UnitOfWork, survey_id: uuid.UUID) -> Response[Any]:
    """The respondent list as CSV (the body, text/csv). Answers the letter file, the only copy of the
    initial passwords: CSV for mail merge, PDF with `Accept: application/pdf` (a page each, to print), or
    JSON with `Accept: application/json`. Errors name line and column."""
    creds = await respondents.import_list(uow, survey_id, await request.body())
    return _letter(request, await surveys.get(uow, survey_id), creds, 201)


@get("/surveys/{survey_id:uuid}/respondents", opt=access(*AGENCY, op="online.respondents_read"))
async def list_respondents(
    request: Request[Any, Any, Any], uow: UnitOfWork, survey_id: uuid.UUID, limit: Limit = 100, offset: Offset = 0
) -> Listing[RespondentView]:
    total, rows = await respondents.listing(uow, survey_id, limit, offset)
    set_units(request, len(rows))
    return Listing(total=total, offset=offset, items=rows)


@post(
    "/surveys/{survey_id:uuid}/respondents/{respondent_id:uuid}/reissue",
    opt=access(*AGENCY, op="online.respondents_import", audit=True),
    status_code=200,
)
async def reissue(
    request: Request[Any, Any, Any], uow: UnitOfWork, survey_id: uuid.UUID, respondent_id: uuid.UUID
) -> Response[Any]:
    """A new initial password for one respondent (lost letter): the old one and open sessions end."""
    cred = await respondents.reissue(uow, survey_id, respondent_id)
    return _letter(request, await surveys.get(uow, survey_id), [cred], 200)


@post(
    "/surveys/{survey_id:uuid}/questionnaire",
    opt=access(Role.AGENCY_ADMIN, op="online.survey_manage", audit=True),
    status_code=200,
)
async def move_questionnaire(uow: UnitOfWork, survey_id: uuid.UUID, data: versioning.MoveIn) -> versioning.Moved:
    """Ask a newer published version of the questionnaire: drafts migrate by item id; the report says
    what changed, what was dropped and what respondents must re-check."""
    return await versioning.move(uow, survey_id, data.version)


@get("/surveys/{survey_id:uuid}/reception", opt=access(*AGENCY, op="online.survey_read"))
async def reception_counts(uow: UnitOfWork, survey_id: uuid.UUID) -> reception.Reception:
    """Reception by area: units, first submissions (web and paper) and updates, from the read model."""
    await surveys.get(uow, survey_id)
    return await reception.by_area(uow, survey_id)


@get("/surveys/{survey_id:uuid}/status", opt=access(*AGENCY, op="online.respondents_read"))
async def unit_status(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    survey_id: uuid.UUID,
    submitted: bool | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing[export.UnitStatus]:
    """Each unit's latest version and receipt number (`submitted=false`: the non-respondents)."""
    await surveys.get(uow, survey_id)
    total, rows = await export.status(uow, survey_id, submitted=submitted, limit=limit, offset=offset)
    set_units(request, len(rows))
    return Listing(total=total, offset=offset, items=rows)


@get("/surveys/{survey_id:uuid}/answers.csv", opt=access(*AGENCY, op="online.answers_export", audit=True))
async def answers_csv(uow: UnitOfWork, survey_id: uuid.UUID) -> Stream:
    """The raw answers (調査票情報), long: one line per unit, version and item, with its provenance
    (preprinted, confirmed, edited). Streamed; the read is audited."""
    survey = await surveys.get(uow, survey_id)
    await keys.data_key(uow, survey_id)  # past the retention date (key shredded): 410 before any byte is sent
    return export.answers_csv(uow.scope, survey_id, survey.code)


api = Router(
    path="/api/online",
    route_handlers=[
        create_survey,
        list_surveys,
        get_survey,
        import_respondents,
        list_respondents,
        reissue,
        move_questionnaire,
        reception_counts,
        unit_status,
        answers_csv,
    ],
)
