"""The public pages of 政府統計の総合窓口 (e-Stat) under /estat (ESTAT-1..4). Japanese first, English beside it.

Every page reads through the request's unit of work in the caller's own scope: for the public
that is the anonymous scope, in which row-level security shows published and due tables only.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.params import Parameter
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, NotFound
from govstat.platform.security import Principal
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.estat.api import tables
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.estat.portal import (
    contacts,
    downloads,
    mypage,
    questionnaires,
    regional,
    releases,
    search,
    tableview,
)
from govstat.platform.subsystems.estat.portal.common import (
    CREDIT,
    GOV_STAT_CODE,
    JST,
    check_stats_data_id,
    is_registered,
    jst,
    number,
    op_public,
    op_registered,
    pages,
    query_dict,
)
from govstat.platform.subsystems.estat.portal.schemas import SavedQueryIn
from govstat.platform.subsystems.statdb import usage
from govstat.platform.web.deps import principal_of, set_units
from govstat.platform.web.pages import page

PAGE = 20
PageNo = Annotated[int, Parameter(query="page", ge=1, le=100_000)]
RESPONDENT_COOKIE = "estat_respondent"
HELP_TOPICS = {
    "search": "統計データの探し方 / How to search",
    "api": "API の使い方 / Using the API",
    "licence": "利用規約・クレジット表示 / Terms of use and credit",
    "links": "リンク集 / Links",
}


def view(request: Request, template: str, *, status_code: int = 200, **context: Any):
    """A portal page: the helpers every estat template uses."""
    return page(
        request,
        template,
        status_code=status_code,
        jst=jst,
        number=number,
        credit=CREDIT,
        registered=is_registered(principal_of(request)),
        **context,
    )


def not_found(request: Request, message: str):
    return view(request, "estat/not_found.html", status_code=404, message=message)


# --- ESTAT-1: search, statistics, overviews ------------------------------------------------------


@get("/", opt=op_public("search"), include_in_schema=False)
async def home(request: Request, uow: UnitOfWork) -> Any:
    _, arrivals = await releases.new_arrivals(uow, days=90, limit=8)
    return view(
        request,
        "estat/home.html",
        c=search.Conditions(),
        choices=await search.choices(uow),
        arrivals=arrivals,
        upcoming=await releases.upcoming(uow, limit=8),
        area_levels=search.AREA_LEVELS,
        kinds=search.KINDS,
    )


@get("/search", opt=op_public("search"), include_in_schema=False)
async def search_page(request: Request, uow: UnitOfWork, page_no: PageNo = 1) -> Any:
    c = search.Conditions.of(query_dict(request))
    result = await search.search(uow, c, limit=PAGE, offset=(page_no - 1) * PAGE)
    set_units(request, len(result.items))
    return view(
        request,
        "estat/search.html",
        status_code=422 if result.error else 200,
        c=c,
        result=result,
        choices=await search.choices(uow),
        page_no=page_no,
        pages=pages(result.total, PAGE),
        area_levels=search.AREA_LEVELS,
        kinds=search.KINDS,
        sorts={"new": "新着順 / newest", "survey": "調査年月順 / survey date", "title": "表題順 / title"},
    )


@get("/statistics", opt=op_public("read"), include_in_schema=False)
async def statistics_page(request: Request, uow: UnitOfWork, field: str = "", agency: str = "") -> Any:
    rows = await search.statistics(uow, field_code=field, agency=agency)
    return view(
        request, "estat/statistics.html", rows=rows, field=field, agency=agency, choices=await search.choices(uow)
    )


@get("/statistics/{code:str}", opt=op_public("read"), include_in_schema=False)
async def statistic_page(
    request: Request, uow: UnitOfWork, principal: Principal, code: str, page_no: PageNo = 1
) -> Any:
    stat = await search.statistic(uow, code) if GOV_STAT_CODE.match(code) else None
    if stat is None:
        return not_found(request, f"政府統計 {code} が見つかりません / no government statistic {code}")
    c = search.Conditions(stat=code)
    result = await search.search(uow, c, limit=PAGE, offset=(page_no - 1) * PAGE)
    subscribed = await mypage.is_subscribed(uow, code) if is_registered(principal) else False
    return view(
        request,
        "estat/statistic.html",
        stat=stat,
        result=result,
        page_no=page_no,
        pages=pages(result.total, PAGE),
        divisions=await search.divisions(uow, stat["agency_code"]),
        contact=await contacts.primary_contact(uow, stat["agency_code"], code),
        subscribed=subscribed,
        upcoming=await releases.upcoming(uow, gov_stat_code=code, limit=20),
    )


# --- ESTAT-2: a table with its pickers, graph and downloads ---------------------------------------


async def _table(uow: UnitOfWork, stats_data_id: str) -> dict[str, Any]:
    check_stats_data_id(stats_data_id)
    try:
        return await tables.published(uow, stats_data_id)
    except EstatFault:
        raise NotFound(
            f"統計表 {stats_data_id} は公開されていません / table {stats_data_id} is not published"
        ) from None


@get("/tables/{stats_data_id:str}", opt=op_public("table"), include_in_schema=False)
async def table_page(
    request: Request, uow: UnitOfWork, stats_data_id: str, start: Annotated[int, Parameter(ge=1)] = 1
) -> Any:
    try:
        t = await _table(uow, stats_data_id)
    except NotFound as exc:
        return not_found(request, exc.detail)
    dims = await tableview.dimensions(uow, t["id"])
    q = query_dict(request)
    sel = tableview.selection(q, dims)
    cells = await tableview.fetch(uow, t["id"], dims, sel, start=start)
    counts = {k: len(v) for k, v in tableview.present_codes(cells.rows, dims).items()}
    col = tableview.column_dim(sel, dims, counts)
    usage.count(uow, t, views=1)
    set_units(request, len(cells.rows))
    query = sel.query()
    return view(
        request,
        "estat/table.html",
        status_code=422 if cells.error else 200,
        t=t,
        dims=dims,
        sel=sel,
        cells=cells,
        grid=tableview.pivot(cells.rows, dims, col),
        graph=tableview.graph_data(cells.rows, dims),
        query=query,
        page_cells=tableview.PAGE_CELLS,
        level_options=tableview.level_options,
        prefecture_ranges=tableview.prefecture_ranges,
        notes=tables.notes(t),
        has_area=any(d.obj_id == "area" for d in dims),
    )


@get(
    "/tables/{stats_data_id:str}/download.csv",
    opt=op_public("download"),
    include_in_schema=False,
    media_type="text/csv",
)
async def download_csv(request: Request, uow: UnitOfWork, principal: Principal, stats_data_id: str) -> Response:
    t, dims, sel, _n = await _download(request, uow, stats_data_id)
    return downloads.csv_response(principal.scope(), t, dims, sel)


@get("/tables/{stats_data_id:str}/download.xlsx", opt=op_public("download"), include_in_schema=False)
async def download_xlsx(request: Request, principal: Principal, stats_data_id: str) -> Response:
    # The request's one unit of work, opened here rather than injected: it reads the cells and ends
    # (commits, returns its connection to the pool) before the workbook of up to 100,000 cells is built.
    async with UnitOfWork(principal.scope()) as uow:
        t, dims, sel, _n = await _download(request, uow, stats_data_id)
        rows = await downloads.xlsx_rows(uow, t, dims, sel)
    return await downloads.xlsx_response(t, dims, sel, rows)


async def _download(request: Request, uow: UnitOfWork, stats_data_id: str):
    from govstat.platform.errors import InvalidInput

    t = await _table(uow, stats_data_id)
    dims = await tableview.dimensions(uow, t["id"])
    sel = tableview.selection(query_dict(request), dims)
    try:
        n = await tableview.count(uow, t["id"], dims, sel)
    except EstatFault as fault:
        raise InvalidInput(f"選択が正しくありません / invalid selection: {fault.message}") from None
    if n > tableview.MAX_DOWNLOAD:
        raise InvalidInput(
            f"{n:,} セルは多すぎます。{tableview.MAX_DOWNLOAD:,} セル以下に絞り込んでください"
            f" / {n:,} cells: narrow the selection to at most {tableview.MAX_DOWNLOAD:,}"
        )
    usage.count(uow, t, downloads=1)  # STATDB-3: downloads per table, for its owner
    set_units(request, n)
    return t, dims, sel, n


@get("/files/{file_id:uuid}", opt=op_public("download"), include_in_schema=False)
async def file_download(request: Request, uow: UnitOfWork, file_id: uuid.UUID) -> Response:
    """A published table file as it was registered (TABLES-2), counted for its owner (TABLES-3)."""
    from govstat.platform.subsystems.tables import published as files
    from govstat.platform.subsystems.tables import usage as file_usage

    row = await files.download(uow, file_id)
    if row is None:
        raise NotFound("統計表ファイルが見つかりません / table file not found")
    file_usage.count(uow, {"id": row.id, "tenant_id": row.tenant_id, "status": row.status}, downloads=1)
    set_units(request, 1)
    from urllib.parse import quote

    media = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[row.format]
    return Response(
        bytes(row.content),
        media_type=media,
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(row.filename, safe='')}"},
    )


@post("/tables/{stats_data_id:str}/save", opt=op_registered(), include_in_schema=False)
async def save_query(request: Request, uow: UnitOfWork, stats_data_id: str) -> Any:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k not in ("_csrf", "name")}
    name = str(form.get("name", "")).strip()[:100] or f"{stats_data_id} {dt.datetime.now(JST):%Y-%m-%d %H:%M}"
    await mypage.save_query(
        uow, SavedQueryIn(name=name, stats_data_id=check_stats_data_id(stats_data_id), params=values)
    )
    return Redirect("/estat/mypage#saved", status_code=303)


# --- ESTAT-2: regional statistics (社会・人口統計体系 style) ---------------------------------------


@get("/regional", opt=op_public("regional"), include_in_schema=False)
async def regional_page(request: Request, uow: UnitOfWork) -> Any:
    q = query_dict(request)
    options = await regional.candidates(uow)
    if not options:
        return view(request, "estat/regional.html", options=[], t=None)
    sid = q.get("table") or options[0].stats_data_id
    try:
        t = await _table(uow, sid)
    except NotFound as exc:
        return not_found(request, exc.detail)
    dims = await tableview.dimensions(uow, t["id"])
    result = await regional.ranking(uow, t, dims, q)
    area = next((d for d in dims if d.obj_id == "area"), None)
    set_units(request, len(result.rows))
    request_query = {
        "table": t["stats_data_id"],
        "view": result.view,
        "pref": result.pref,
        **{f"cd{tableview.SUFFIX[obj]}": code for obj, code in result.items.items()},
    }
    return view(
        request,
        "estat/regional.html",
        options=options,
        t=t,
        dims=dims,
        r=result,
        prefs=tableview.prefecture_ranges(area) if area else [],
        chart=regional.to_json(result),
        request_query=request_query,
    )


# --- ESTAT-3: release calendar and new arrivals --------------------------------------------------


@get("/calendar", opt=op_public("calendar"), include_in_schema=False)
async def calendar_page(request: Request, uow: UnitOfWork, month: str = "", stat: str = "", agency: str = "") -> Any:
    first, start, end = releases.month_bounds(month)
    entries = await releases.calendar(uow, start, end, gov_stat_code=stat, agency=agency)
    prev_month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (end.date()).strftime("%Y-%m")
    set_units(request, len(entries))
    return view(
        request,
        "estat/calendar.html",
        first=first,
        entries=entries,
        weeks=releases.weeks(first, entries),
        prev_month=prev_month,
        next_month=next_month,
        stat=stat,
        agency=agency,
        choices=await search.choices(uow),
        today=dt.datetime.now(JST).date(),
    )


@get("/new", opt=op_public("calendar"), include_in_schema=False)
async def new_page(
    request: Request, uow: UnitOfWork, days: Annotated[int, Parameter(ge=1, le=366)] = 30, page_no: PageNo = 1
) -> Any:
    total, rows = await releases.new_arrivals(uow, days=days, limit=PAGE, offset=(page_no - 1) * PAGE)
    set_units(request, len(rows))
    return view(request, "estat/new.html", rows=rows, total=total, days=days, page_no=page_no, pages=pages(total, PAGE))


# --- ESTAT-4: help, inquiries, questionnaires, My page -------------------------------------------


@get("/help", opt=op_public("help"), include_in_schema=False)
async def help_index(request: Request) -> Any:
    return view(request, "estat/help.html", topic="", topics=HELP_TOPICS, base_url=get_settings().base_url)


@get("/help/{topic:str}", opt=op_public("help"), include_in_schema=False)
async def help_page(request: Request, topic: str) -> Any:
    if topic not in HELP_TOPICS:
        return not_found(request, f"ヘルプ「{topic}」はありません / no such help page")
    return view(request, "estat/help.html", topic=topic, topics=HELP_TOPICS, base_url=get_settings().base_url)


@get("/inquiry", opt=op_public("help"), include_in_schema=False)
async def inquiry_page(request: Request, principal: Principal) -> Any:
    return view(request, "estat/inquiry.html", subject=request.query_params.get("subject", "")[:200])


@get("/questionnaires", opt=op_public("questionnaire"), include_in_schema=False)
async def questionnaires_page(request: Request, uow: UnitOfWork) -> Any:
    rows = await uow.fetch(
        "SELECT id, title, description, audience, status, show_results, published_at"
        " FROM estat_questionnaire WHERE status IN ('published', 'closed')"
        " ORDER BY status DESC, published_at DESC"
    )
    return view(request, "estat/questionnaires.html", rows=[dict(r) for r in rows])


async def _act_as_respondent(request: Request, uow: UnitOfWork, principal: Principal) -> str | None:
    """Registered users answer as themselves; an anonymous browser as its cookie (a new one if none)."""
    if is_registered(principal) or principal.subject:
        return None
    token = request.cookies.get(RESPONDENT_COOKIE, "")
    fresh = None
    if not re.fullmatch(r"[A-Za-z0-9_-]{32,64}", token or ""):
        token = fresh = secrets.token_urlsafe(32)
    await uow.act_as(questionnaires.anonymous_respondent(token))
    return fresh


def _with_cookie(response, fresh: str | None):
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
    fresh = await _act_as_respondent(request, uow, principal)
    try:
        qn = await questionnaires.get(uow, qid)
    except NotFound as exc:
        return not_found(request, exc.detail)
    done = await questionnaires.answered(uow, qid)
    return _with_cookie(
        view(request, "estat/questionnaire.html", qn=qn, done=done, errors={}, given={}, kinds=questionnaires.KINDS),
        fresh,
    )


@post("/questionnaires/{qid:uuid}", opt=op_public("questionnaire"), include_in_schema=False, status_code=200)
async def questionnaire_answer(request: Request, uow: UnitOfWork, principal: Principal, qid: uuid.UUID) -> Any:
    fresh = await _act_as_respondent(request, uow, principal)
    qn = await questionnaires.get(uow, qid)
    form = await request.form()
    answers: dict[str, list[int] | str] = {}
    given: dict[str, Any] = {}
    for q in qn["questions"]:
        key = f"q_{q['id']}"
        if q["kind"] == "text":
            answers[str(q["id"])] = given[str(q["id"])] = str(form.get(key, ""))
        else:
            raw = form.getall(key, []) if hasattr(form, "getall") else ([form[key]] if key in form else [])
            picked = [int(v) for v in raw if str(v).isdigit()]
            answers[str(q["id"])] = picked
            given[str(q["id"])] = set(picked)
    try:
        await questionnaires.respond(uow, qid, answers, registered=is_registered(principal))
    except GovstatError as exc:
        errors = {e.field: e.message for e in exc.errors}
        done = exc.status == 409
        return _with_cookie(
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
    return _with_cookie(view(request, "estat/questionnaire_done.html", qn=qn), fresh)


@get("/questionnaires/{qid:uuid}/results", opt=op_public("questionnaire"), include_in_schema=False)
async def questionnaire_public_results(request: Request, qid: uuid.UUID) -> Any:
    results = await questionnaires.public_results(qid)
    if results is None:
        return not_found(request, "集計結果は公開されていません / the results are not public")
    return view(request, "estat/questionnaire_results.html", res=results, admin=False, qn=None)


@get("/mypage", opt=op_registered(), include_in_schema=False)
async def mypage_page(request: Request, uow: UnitOfWork) -> Any:
    subs = await mypage.subscriptions(uow)
    subscribed = {s["gov_stat_code"] for s in subs}
    stats = [s for s in (await search.choices(uow)).stats if s.code not in subscribed]
    return view(
        request,
        "estat/mypage.html",
        subs=subs,
        stats=stats,
        saved=await mypage.saved_queries(uow),
        notices=await mypage.notifications(uow),
    )


def _back(request: Request, form, default: str = "/estat/mypage") -> str:
    target = str(form.get("next", "") or "")
    return target if target.startswith("/estat") and "//" not in target else default


@post("/mypage/subscriptions", opt=op_registered(), include_in_schema=False)
async def mypage_subscribe(request: Request, uow: UnitOfWork) -> Any:
    form = await request.form()
    await mypage.subscribe(uow, str(form.get("gov_stat_code", "")))
    return Redirect(_back(request, form), status_code=303)


@post("/mypage/subscriptions/{code:str}/delete", opt=op_registered(), include_in_schema=False)
async def mypage_unsubscribe(request: Request, uow: UnitOfWork, code: str) -> Any:
    form = await request.form()
    await mypage.unsubscribe(uow, code)
    return Redirect(_back(request, form), status_code=303)


@post("/mypage/saved-queries/{query_id:uuid}/delete", opt=op_registered(), include_in_schema=False)
async def mypage_delete_query(request: Request, uow: UnitOfWork, query_id: uuid.UUID) -> Any:
    await mypage.delete_query(uow, query_id)
    return Redirect("/estat/mypage#saved", status_code=303)


router = Router(
    path="/estat",
    tags=["e-Stat portal"],
    route_handlers=[
        home,
        search_page,
        statistics_page,
        statistic_page,
        table_page,
        download_csv,
        download_xlsx,
        file_download,
        save_query,
        regional_page,
        calendar_page,
        new_page,
        help_index,
        help_page,
        inquiry_page,
        questionnaires_page,
        questionnaire_page,
        questionnaire_answer,
        questionnaire_public_results,
        mypage_page,
        mypage_subscribe,
        mypage_unsubscribe,
        mypage_delete_query,
    ],
)
