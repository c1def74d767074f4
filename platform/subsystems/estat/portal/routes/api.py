"""The portal's JSON API under /api/estat: the operator's synonym list and questionnaires, a
registered user's subscriptions and saved queries, and public reads (calendar, regional ranking)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Request, Response, Router, delete, get, post, put
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.security import Principal
from govstat.platform.subsystems.estat.api import table_refs
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.estat.portal import mypage, questionnaires, regional, releases, synonyms, tableview
from govstat.platform.subsystems.estat.portal.common import (
    check_stats_data_id,
    is_registered,
    op_operator,
    op_public,
    op_registered,
    query_dict,
)
from govstat.platform.subsystems.estat.portal.pages.questionnaires import act_as_respondent, with_cookie
from govstat.platform.subsystems.estat.portal.rows import (
    QuestionnaireDetail,
    QuestionnaireListed,
    SavedQuery,
    SavedQueryStored,
    Subscribed,
    Subscription,
    Synonym,
)
from govstat.platform.subsystems.estat.portal.schemas import QuestionnaireIn, ResponseIn, SavedQueryIn, SynonymIn
from govstat.platform.web.deps import set_units

TAGS = ["e-Stat portal / 政府統計の総合窓口"]


# --- the operator's synonym list (ESTAT-1) -------------------------------------------------------


@get("/synonyms", opt=op_operator("synonyms"))
async def list_synonyms(uow: UnitOfWork, q: str = "") -> list[Synonym]:
    """The synonym list (同義語辞書): each pair works both ways in keyword search."""
    return await synonyms.list_synonyms(uow, q)


@post("/synonyms", opt=op_operator("synonyms"))
async def add_synonym(uow: UnitOfWork, data: SynonymIn) -> Synonym:
    return await synonyms.add(uow, data.word, data.synonym)


@delete("/synonyms/{synonym_id:int}", opt=op_operator("synonyms"), status_code=204)
async def remove_synonym(uow: UnitOfWork, synonym_id: int) -> None:
    await synonyms.remove(uow, synonym_id)


# --- questionnaires (ESTAT-4) --------------------------------------------------------------------


@get("/questionnaires", opt=op_operator("questionnaires"))
async def list_questionnaires(uow: UnitOfWork, status: str | None = None) -> list[QuestionnaireListed]:
    return await questionnaires.list_all(uow, status=status)


@post("/questionnaires", opt=op_operator("questionnaires"))
async def create_questionnaire(uow: UnitOfWork, data: QuestionnaireIn) -> QuestionnaireDetail:
    """Build a questionnaire (a draft): questions of kind single, multiple or text, each required or not."""
    return await questionnaires.create(uow, data)


@get("/questionnaires/{qid:uuid}", opt=op_operator("questionnaires"))
async def get_questionnaire(uow: UnitOfWork, qid: uuid.UUID) -> QuestionnaireDetail:
    return await questionnaires.get(uow, qid)


@post("/questionnaires/{qid:uuid}/publish", opt=op_operator("questionnaires"), status_code=200)
async def publish_questionnaire(uow: UnitOfWork, qid: uuid.UUID) -> QuestionnaireDetail:
    return await questionnaires.transition(uow, qid, "published")


@post("/questionnaires/{qid:uuid}/close", opt=op_operator("questionnaires"), status_code=200)
async def close_questionnaire(uow: UnitOfWork, qid: uuid.UUID) -> QuestionnaireDetail:
    return await questionnaires.transition(uow, qid, "closed")


@get("/questionnaires/{qid:uuid}/results", opt=op_operator("questionnaires"))
async def questionnaire_results(uow: UnitOfWork, qid: uuid.UUID) -> dict[str, Any]:
    """Respondents, counts per choice and the free texts."""
    return await questionnaires.results(uow, qid)


@post("/questionnaires/{qid:uuid}/responses", opt=op_public("questionnaire"))
async def respond(
    request: Request, uow: UnitOfWork, principal: Principal, qid: uuid.UUID, data: ResponseIn
) -> Response:
    """Answer a published questionnaire once (registered users as themselves, others per browser cookie)."""
    fresh = await act_as_respondent(request, uow, principal)
    body = await questionnaires.respond(uow, qid, data.answers, registered=is_registered(principal))
    return with_cookie(Response(body, status_code=201), fresh)


# --- a registered user's My page (ESTAT-3, ESTAT-4) ---------------------------------------------


@get("/subscriptions", opt=op_registered())
async def list_subscriptions(uow: UnitOfWork) -> list[Subscription]:
    """The government statistics you get new-arrival e-mails for."""
    return await mypage.subscriptions(uow)


@put("/subscriptions/{code:str}", opt=op_registered(), status_code=200)
async def subscribe(uow: UnitOfWork, code: str) -> Subscribed:
    return await mypage.subscribe(uow, code)


@delete("/subscriptions/{code:str}", opt=op_registered(), status_code=200)
async def unsubscribe(uow: UnitOfWork, code: str) -> Subscribed:
    return await mypage.unsubscribe(uow, code)


@get("/saved-queries", opt=op_registered())
async def list_saved(uow: UnitOfWork) -> list[SavedQuery]:
    return await mypage.saved_queries(uow)


@post("/saved-queries", opt=op_registered())
async def save_query(uow: UnitOfWork, data: SavedQueryIn) -> SavedQueryStored:
    """Save a table page's selection by name (the e-Stat narrowing parameters: cdCat01, lvArea, ...)."""
    return await mypage.save_query(uow, data)


@delete("/saved-queries/{query_id:uuid}", opt=op_registered(), status_code=204)
async def delete_saved(uow: UnitOfWork, query_id: uuid.UUID) -> None:
    await mypage.delete_query(uow, query_id)


# --- public reads --------------------------------------------------------------------------------


@get("/releases", opt=op_public("calendar"))
async def release_calendar(
    request: Request, uow: UnitOfWork, month: str = "", stat: str = "", agency: str = ""
) -> dict[str, Any]:
    """公表予定: the announced publications of a month (YYYY-MM, JST), with their status."""
    first, start, end = releases.month_bounds(month)
    rows = await releases.calendar(uow, start, end, gov_stat_code=stat, agency=agency)
    set_units(request, len(rows))
    keep = (
        "release_key",
        "kind",
        "stats_data_id",
        "file_id",
        "gov_stat_code",
        "stat_name",
        "agency_code",
        "agency_name",
        "title",
        "table_no",
        "survey_date",
        "publish_at",
        "status",
        "published_at",
    )
    return {"month": first.strftime("%Y-%m"), "items": [{k: getattr(r, k) for k in keep} for r in rows]}


@get("/regional", opt=op_public("regional"))
async def regional_ranking(
    request: Request, uow: UnitOfWork, table: Annotated[str, Parameter(pattern=r"^[0-9]{10}$")]
) -> dict[str, Any]:
    """A table's item for every prefecture (view=pref) or every municipality of `pref` (view=muni), ranked."""
    try:
        t = await table_refs.published(uow, check_stats_data_id(table))
    except EstatFault:
        raise NotFound(f"統計表 {table} は公開されていません / table {table} is not published") from None
    dims = await tableview.dimensions(uow, t.id)
    result = regional.to_json(await regional.ranking(uow, t, dims, query_dict(request)))
    set_units(request, len(result["rows"]))
    return {"stats_data_id": table, "title": t.title, **result}


router = Router(
    path="/api/estat",
    tags=TAGS,
    route_handlers=[
        list_synonyms,
        add_synonym,
        remove_synonym,
        list_questionnaires,
        create_questionnaire,
        get_questionnaire,
        publish_questionnaire,
        close_questionnaire,
        questionnaire_results,
        respond,
        list_subscriptions,
        subscribe,
        unsubscribe,
        list_saved,
        save_query,
        delete_saved,
        release_calendar,
        regional_ranking,
    ],
)
