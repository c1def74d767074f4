"""The operator's replay of dead letters over HTTP (ops/monitoring/dead_letters.py): operators only,
RFC 9457 answers for an unknown id (404), one replayed already or still dated ahead (409), and the
dead-letter list shows what was replayed, by whom."""

import datetime as dt
import uuid

from govstat.ops.consumers import AuditLogConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.markers import SKEW
from govstat.platform.security import Scope
from govstat.platform.web.audited import ACTION
from tests.platform.test_events_replay import audit_event, audit_rows, row, set_aside
from tests.support.factories import audit_events, csrf_headers, make_tenant, operator_client_csrf, outbox_mark, sign_in

PROBLEM = "application/problem+json"


async def _operator_id() -> str:
    async with UnitOfWork(Scope.system("test")) as uow:
        return str(await uow.fetchval("SELECT id FROM app_user WHERE login = 'operator'"))


async def test_the_operator_replays_a_dead_letter_once_and_the_list_shows_it(client):
    target = f"http-{uuid.uuid4().hex[:8]}"
    dead = await set_aside(AuditLogConsumer.name, audit_event(target))
    headers = csrf_headers(await operator_client_csrf(client))
    mark = await outbox_mark()

    r = await client.post(f"/api/ops/dead-letters/{dead}/replay", headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["id"], body["outcome"], body["replayed_by"]) == (dead, "applied", await _operator_id())
    assert await audit_rows(target) == 1
    calls = [e for e in await audit_events(mark) if e.action == ACTION]  # declared audited: one call event
    assert [c.target_id for c in calls] == [str(dead)]

    again = await client.post(f"/api/ops/dead-letters/{dead}/replay", headers=headers)
    assert again.status_code == 409 and again.headers["content-type"].startswith(PROBLEM)
    assert "再処理済" in again.json()["detail"] and again.json()["outcome"] == "applied"
    assert await audit_rows(target) == 1

    listed = (await client.get("/api/ops/dead-letters", params={"limit": 200})).json()
    shown = next(r for r in listed["latest"] if r["id"] == dead)
    assert shown["outcome"] == "applied" and shown["replayed_at"] is not None


async def test_unknown_ids_answer_404_and_future_events_409(client):
    headers = csrf_headers(await operator_client_csrf(client))
    r = await client.post("/api/ops/dead-letters/999999999/replay", headers=headers)
    assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["status"] == 404 and "999999999" in r.json()["detail"]

    ahead = audit_event("ahead", occurred_at=dt.datetime.now(dt.UTC) + SKEW + dt.timedelta(hours=1))
    dead = await set_aside(AuditLogConsumer.name, ahead, error="FutureEvent: ahead")
    r = await client.post(f"/api/ops/dead-letters/{dead}/replay", headers=headers)
    assert r.status_code == 409 and r.headers["content-type"].startswith(PROBLEM)
    assert "先です" in r.json()["detail"] and r.json()["occurred_at"] == ahead.occurred_at.isoformat()
    assert (await row(dead))["replayed_at"] is None


async def test_a_consumers_dead_letters_are_replayed_together(client):
    targets = [f"many-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    ids = [await set_aside(AuditLogConsumer.name, audit_event(t)) for t in targets]
    headers = csrf_headers(await operator_client_csrf(client))
    r = await client.post("/api/ops/dead-letters/replay", params={"consumer": AuditLogConsumer.name}, headers=headers)
    assert r.status_code == 200, r.text
    assert {i["id"] for i in r.json()["items"] if i["outcome"] == "applied"} >= set(ids)
    assert [await audit_rows(t) for t in targets] == [1, 1]


async def test_only_operators_may_replay(client):
    dead = await set_aside(AuditLogConsumer.name, audit_event(f"denied-{uuid.uuid4().hex[:8]}"))
    anonymous = await client.post(f"/api/ops/dead-letters/{dead}/replay")
    assert anonymous.status_code == 401
    t = await make_tenant()
    headers = csrf_headers(await sign_in(client, t.admin_login))
    for path in (
        f"/api/ops/dead-letters/{dead}/replay",
        f"/api/ops/dead-letters/replay?consumer={AuditLogConsumer.name}",
    ):
        r = await client.post(path, headers=headers)
        assert r.status_code == 403 and r.headers["content-type"].startswith(PROBLEM)
    assert (await row(dead))["replayed_at"] is None
