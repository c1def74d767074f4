"""The call audit (issue 9, section 4): every call of a route declared `audit=True` leaves exactly one
"gateway.call" audit event in the outbox, written in the call's own transaction, naming who called,
their tenant, the operation, the target (the path parameters), the outcome and the trace id.

The routes are enumerated from the app, so a new audited route is walked the day it exists. Each is
called by a caller its declaration admits (tenant A's API key for the agencies' routes, the operator
otherwise) with the ids of tests/support/world_*.py and a body from the OpenAPI document; a call that
succeeds must leave one success event, one that fails no success event.
Run: GOVSTAT_TEST_DB=... pytest -q tests/gateway/test_call_audit.py
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field

import pytest
from litestar import Litestar, get, post

from govstat.ops.consumers import AuditLogConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import Envelope, decode
from govstat.platform.module import Access, access
from govstat.platform.security import Role, Scope
from govstat.platform.web.audited import ACTION, note_status, unaudited_routes
from govstat.platform.web.deps import DEPENDENCIES
from tests.support import walker, walker_registry
from tests.support.factories import another_client, operator_client_csrf, outbox_mark
from tests.support.routes import handlers
from tests.support.world import Caller, make_world

ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")  # reads first, removals last: later calls still find their objects
# within a method, an object's life in order (a draft is finalised before it is approved, published before closed)
STEPS = ("finalise", "publish", "schedule", "approve", "promote", "transition", "close", "reject", "delete")
AGENCY_ROLES = {Role.AGENCY_ADMIN, Role.AGENCY_STAFF}


def _later(days: int, hours: int = 0) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days, hours=hours)).isoformat()


def bodies() -> dict[tuple[str, str], dict]:
    """Bodies the OpenAPI examples cannot guess (a future time, a free word, a form's fields): so that
    these calls succeed and are held to the success checks, not only to "no success when failed"."""
    word = secrets.token_hex(3)
    window = {"starts_at": _later(40), "ends_at": _later(40, 2), "description": "定期保守 / maintenance"}
    return {
        ("POST", "/api/estat/synonyms"): {"json": {"word": f"人口{word}", "synonym": f"住民{word}"}},
        ("POST", "/estat/admin/synonyms"): {"data": {"word": f"世帯{word}", "synonym": f"所帯{word}"}},
        ("POST", "/api/estat/questionnaires"): {
            "json": {"title": "利用者アンケート", "questions": [{"kind": "text", "text": "ご意見をお聞かせください"}]}
        },
        ("POST", "/api/ops/maintenance"): {"json": window},
        ("PUT", "/api/ops/maintenance/{window_id:uuid}"): {"json": window},
        ("POST", "/api/ops/incidents/{incident_id:uuid}/transition"): {"json": {"to": "closed"}},
        ("POST", "/api/statdb/tables/{stats_data_id:str}/schedule"): {"json": {"publish_at": _later(30)}},
        ("POST", "/api/tables/files/{file_id:uuid}/schedule"): {"json": {"publish_at": _later(30)}},
        ("POST", "/statdb/tables/{stats_data_id:str}/schedule"): {"data": {"publish_at": _later(31)}},
        ("POST", "/tables/files/{file_id:uuid}/schedule"): {"data": {"publish_at": _later(31)}},
        ("POST", "/api/metadata/records/{record_id:uuid}/reject"): {"json": {"reason": "記載漏れ"}},
        ("POST", "/metadata/manage/{record_id:uuid}/reject"): {"data": {"reason": "記載漏れ"}},
        **_subsystem_bodies(word),
    }


def _subsystem_bodies(word: str) -> dict[tuple[str, str], dict]:
    """The issue-10..13 subsystems' bodies (a unique name, a real polygon, a future deadline)."""
    today = dt.date.today()
    square = [[[139.75, 35.68], [139.76, 35.68], [139.76, 35.69], [139.75, 35.69], [139.75, 35.68]]]
    notice = {"title": f"お知らせ{word}", "body": "本文"}
    return {
        ("POST", "/api/portal/boards"): {"json": {"name": f"掲示板{word}", "member_kinds": ["agency"]}},
        ("POST", "/api/portal/boards/{board_id:uuid}/posts"): {"json": {"title": "件名", "body": "本文"}},
        ("POST", "/portal/boards"): {"data": {"name": f"掲示板{word}2", "member_kinds": "agency"}},
        ("POST", "/portal/boards/{board_id:uuid}"): {"data": {"title": "件名", "body": "本文"}},
        ("POST", "/portal/posts/{post_id:uuid}/reply"): {"data": {"body": "返信"}},
        ("POST", "/portal/notices"): {"data": notice},
        ("POST", "/portal/notices/{notice_id:uuid}/edit"): {"data": notice},
        ("POST", "/portal/pages"): {"data": {"slug": f"walk-{word}", "title": "ページ"}},
        ("POST", "/api/items/code-lists"): {
            "json": {"id": f"walk-{word}", "name_ja": "区分", "options": [{"code": "1", "label_ja": "はい"}]}
        },
        ("POST", "/api/items/code-lists/from-classification"): {"json": {"id": f"walk-c-{word}", "version": "jsic-14"}},
        ("POST", "/api/online/surveys"): {
            "json": {
                "code": f"walk{word}",
                "name_ja": "調査",
                "opens_at": _later(1),
                "deadline_at": _later(10),
                "retention_until": (today + dt.timedelta(days=400)).isoformat(),
            }
        },
        ("POST", "/api/gis/areas"): {
            "json": {"name": f"区域{word}", "geometry": {"type": "Polygon", "coordinates": square}}
        },
        ("POST", "/api/onsite/facilities"): {"json": {"name": f"施設{word}", "ranges": ["10.20.0.0/24"]}},
        ("POST", "/api/onsite/datasets"): {
            "json": {
                "survey_name": "調査",
                "year": 2020,
                "title": f"データ{word}",
                "variables": [{"name": "sex", "codes": ["1", "2"]}],
                "retention_until": (today + dt.timedelta(days=400)).isoformat(),
            }
        },
        ("POST", "/enumerators"): {
            "data": {
                "name": "調査 太郎",
                "appointed_from": today.isoformat(),
                "appointed_to": (today + dt.timedelta(days=365)).isoformat(),
            }
        },
        ("POST", "/enumerators/{enumerator_id:uuid}/assignments"): {
            "data": {"survey_name": "国勢調査", "survey_date": "2020-10-01", "area_code": "13101"}
        },
        ("POST", "/items/manage/units"): {"data": {"code": f"walk{word}", "name_ja": "定義単位"}},
        ("POST", "/items/manage/code-lists/from-classification"): {
            "data": {"id": f"walk-f-{word}", "version": "jsic-14"}
        },
        ("POST", "/items/manage/items"): {
            "data": {"id": f"walk_i_{word}", "label_ja": "項目", "answer_type": "text", "max_length": "10"}
        },
        ("POST", "/estat/admin/questionnaires/new"): {
            "data": {"title": f"アンケート{word}", "audience": "anyone", "q1_text": "ご意見", "q1_kind": "text"}
        },
        ("POST", "/api/frame/register/{unit_id:int}/edits"): {
            "json": {"effective_on": today.isoformat(), "reason": "訂正", "employees": 5}
        },
    }


def _world_bodies(world) -> dict[tuple[str, str], dict]:
    """Bodies naming the world's own objects (the items world's draft questionnaire and a spare item)."""
    builder = "/items/builder/{questionnaire_id:uuid}"
    return {
        (
            "POST",
            "/api/items/questionnaires/{questionnaire_id:uuid}/draft",
        ): {"json": world.extra["items_definition"]},
        ("POST", f"{builder}/changes"): {"json": {"op": "move_section", "section": "s1", "position": 0}},
        ("POST", f"{builder}/add"): {"data": {"item_id": world.extra["items_spare_item"], "section": "s1"}},
    }


def _step(path: str) -> int:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return STEPS.index(last) if last in STEPS else -1


@dataclass
class Outcome:
    routes: int = 0
    succeeded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    sample: Envelope | None = None


def audited_routes(app) -> list[tuple[str, str, Access]]:
    found = [
        (m, h.path, h.access)
        for h in handlers(app)
        if h.access is not None and h.access.audit
        for m in h.methods
        if m in ORDER
    ]
    return sorted(found, key=lambda r: (ORDER.index(r[0]), _step(r[1]), r[1]))


def traceparent() -> tuple[str, str]:
    trace_id = secrets.token_hex(16)
    return trace_id, f"00-{trace_id}-{secrets.token_hex(8)}-01"


async def call_events(since: int) -> list[Envelope]:
    async with UnitOfWork(Scope.system("test")) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE seq > $1 AND kind = 'audit' ORDER BY seq", since)
    return [e for e in (decode(bytes(r["payload"])) for r in rows) if e.payload.action == ACTION]


async def _who(login: str) -> tuple[str, uuid.UUID]:
    async with UnitOfWork(Scope.system("test")) as uow:
        row = await uow.fetchrow("SELECT id, tenant_id FROM app_user WHERE login = $1", login)
    return str(row["id"]), row["tenant_id"]


def _check(where: str, events: list[Envelope], status: int, expect: dict) -> list[str]:
    if status >= 400:
        wrong = [e for e in events if e.payload.outcome == "success"]
        many = len(events) > 1
        return (
            [f"{where}: failed call left {len(wrong)} success and {len(events)} call events"] if wrong or many else []
        )
    if len(events) != 1:
        return [f"{where}: {len(events)} call audit events, expected exactly one"]
    e, p = events[0], events[0].payload
    got = {
        "actor": p.actor,
        "actor_kind": p.actor_kind,
        "tenant": e.tenant_id,
        "operation": p.detail.get("operation"),
        "target": p.target_id,
        "outcome": p.outcome,
        "trace_id": p.detail.get("trace_id"),
        "envelope_trace": e.trace.get("trace_id"),
        "method": p.detail.get("method"),
        "path": p.detail.get("path"),
    }
    return [f"{where}: {k} is {got[k]!r}, expected {v!r}" for k, v in expect.items() if got[k] != v]


@pytest.fixture(scope="module")
async def walked(app):
    world = await make_world(app)
    doc = app.openapi_schema.to_schema()
    ids = walker.body_ids(world)
    out = Outcome()
    agency_actor = world.owned["api_key"]
    op_actor, op_tenant = await _who("operator")
    known = bodies() | _world_bodies(world)
    async with another_client(app) as oc, another_client(app) as ac:
        operator = Caller("operator", oc, await operator_client_csrf(oc))
        agency = Caller("A's API key", ac, api_key=world.extra["a_api_key"])
        # a questionnaire for the reads of one (walker_registry finds it), made before the walk
        r = await oc.post(
            "/api/estat/questionnaires",
            headers=operator.headers,
            json=known[("POST", "/api/estat/questionnaires")]["json"],
        )
        assert r.status_code == 201, r.text
        for method, path, declared in audited_routes(app):
            out.routes += 1
            by_agency = bool(declared.roles & AGENCY_ROLES)
            caller = agency if by_agency else operator
            url, _ = (await walker_registry.urls(path, world))[0]
            kwargs = walker._request_kwargs(doc, method, path, caller, ids)
            if (method, path) in known:
                kwargs.pop("json", None), kwargs.pop("data", None), kwargs.pop("files", None)
                body = known[(method, path)]
                kwargs |= {"json": body["json"]} if "json" in body else {"data": {**body["data"], "_csrf": caller.csrf}}
            trace_id, header = traceparent()
            kwargs["headers"] = {**kwargs["headers"], "traceparent": header}
            mark = await outbox_mark()
            r = await caller.client.request(method, url, **kwargs)
            events = await call_events(mark)
            where = f"{method} {url} as {caller.name} -> {r.status_code}"
            target = "/".join(url.split("/")[i] for i, part in enumerate(path.split("/")) if part.startswith("{"))
            expect = {
                "actor": agency_actor if by_agency else op_actor,
                "tenant": world.a.id if by_agency else op_tenant,
                "actor_kind": "agency" if by_agency else "operator",
                "operation": declared.operation,
                "target": target,
                "outcome": "success",
                "trace_id": trace_id,
                "envelope_trace": trace_id,
                "method": method,
                "path": url.split("?")[0],
            }
            out.findings += _check(where, events, r.status_code, expect)
            (out.succeeded if r.status_code < 400 else out.failed).append(where)
            if r.status_code < 400 and by_agency and out.sample is None and events:
                out.sample = events[0]
    print(f"\ncall audit walk: {out.routes} audited routes, {len(out.succeeded)} succeeded; failed: {out.failed}")
    return world, out


def test_every_audited_call_leaves_one_event_naming_who_what_and_the_trace(walked):
    _, out = walked
    assert out.routes >= 47
    assert out.findings == [], "\n".join(out.findings)


def test_the_walk_really_succeeded_on_most_audited_routes(walked):
    """A walk where every call failed would prove nothing: most audited calls get through."""
    _, out = walked
    assert len(out.succeeded) >= 0.6 * out.routes, out.failed
    assert {w.split()[0] for w in out.succeeded} == set(ORDER)  # a success of every method
    assert {"operator", "A's API key"} <= {w.split(" as ")[1].split(" ->")[0] for w in out.succeeded}
    assert any(w.split()[1].startswith("/api/") for w in out.succeeded)  # JSON API and HTML pages alike
    assert any(not w.split()[1].startswith("/api/") for w in out.succeeded)


async def test_an_invalid_body_writes_no_call_audit(walked, app):
    world, _ = walked
    async with another_client(app) as c:
        mark = await outbox_mark()
        r = await c.post(
            "/api/tables/classes",
            headers={"x-api-key": world.extra["a_api_key"]},
            json={"gov_stat_code": "00200521", "code": "bad", "name_ja": "x", "unknown_field": 1},
        )
        assert r.status_code in (400, 422), r.text
        assert await call_events(mark) == []


async def test_a_handler_that_raises_rolls_its_call_audit_back(walked, app):
    """A 404 raised by the handler after the unit of work opened: the transaction, and the audit in it, roll back."""
    world, _ = walked
    async with another_client(app) as c:
        mark = await outbox_mark()
        r = await c.patch(
            f"/api/tables/classes/{uuid.uuid4()}",
            headers={"x-api-key": world.extra["a_api_key"]},
            json={"name_ja": "無い分類"},
        )
        assert r.status_code == 404, r.text
        assert await call_events(mark) == []


async def test_a_page_that_answers_its_form_again_is_audited_as_a_failure(walked, app):
    """A page may answer 422 without raising (its form, with the error): the transaction commits, so the
    call is audited, as a failure with the status the caller saw."""
    world, _ = walked
    async with another_client(app) as c:
        csrf = await operator_client_csrf(c)
        mark = await outbox_mark()
        r = await c.post(f"/metadata/manage/{world.owned['record']}/reject", data={"reason": " ", "_csrf": csrf})
        assert r.status_code == 422, r.text
    [event] = await call_events(mark)
    assert event.payload.outcome == "failure" and event.payload.detail["status"] == 422
    assert event.payload.target_id == world.owned["record"]


async def test_the_audit_log_read_model_shows_a_call(walked, app):
    """Through the ops consumer into the hash-chained log, and found by the agency's /api/ops/audit search."""
    world, out = walked
    assert out.sample is not None
    await AuditLogConsumer().apply(out.sample)
    async with another_client(app) as c:
        r = await c.get(
            "/api/ops/audit",
            params={"action": ACTION, "actor": out.sample.payload.actor, "limit": 500},
            headers={"x-api-key": world.extra["a_api_key"]},
        )
        assert r.status_code == 200, r.text
    rows = [i for i in r.json()["items"] if i["detail"].get("trace_id") == out.sample.trace["trace_id"]]
    assert len(rows) == 1, r.json()
    assert rows[0]["outcome"] == "success" and rows[0]["detail"]["operation"] == out.sample.payload.detail["operation"]


def test_an_audited_route_without_the_requests_unit_of_work_stops_the_app():
    @post("/x", opt=access(Role.OPERATOR, op="x.y", audit=True))
    async def no_uow() -> None:
        return None

    @get("/y", opt=access(Role.OPERATOR, op="x.y", audit=True), after_request=lambda r: r)
    async def own_hook(uow: UnitOfWork) -> None:
        return None

    problems = unaudited_routes(Litestar([no_uow, own_hook], after_request=note_status, dependencies=DEPENDENCIES))
    assert any("POST /x" in p and "uow" in p for p in problems), problems
    assert any("GET /y" in p and "after_request" in p for p in problems), problems
