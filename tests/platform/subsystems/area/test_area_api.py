"""AREA-1..3 through the HTTP API: codes on a date, history, operator maintenance with audit."""

import datetime as dt

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import make_tenant, operator_client_csrf, sign_in
from tests.support.outbox import decode, name_of


async def test_codes_valid_on_a_date(client):
    r = await client.get("/api/area/codes", params={"date": "2005-01-01", "q": "上磯"})
    assert r.status_code == 200
    items = r.json()["items"]
    assert [(i["code"], i["code6"], i["name"], i["name_kana"]) for i in items] == [
        ("01335", "013358", "上磯町", "かみいそちょう")
    ]
    r = await client.get("/api/area/codes", params={"date": "2024-05-26", "q": "上磯"})
    assert r.json()["total"] == 0


async def test_nara_has_39_municipalities_today(client):
    r = await client.get("/api/area/codes", params={"date": "2024-05-26", "pref": "29", "limit": 500})
    rows = [i for i in r.json()["items"] if i["level"] in ("city", "town", "village")]
    assert len(rows) == 39


async def test_history_forward_and_backward(client):
    fwd = (await client.get("/api/area/codes/013358/history")).json()["steps"]
    assert [(s["old_code"], s["new_code"], s["effective_on"]) for s in fwd] == [("01335", "01236", "2006-02-01")]
    back = (await client.get("/api/area/codes/01236/history", params={"direction": "backward"})).json()["steps"]
    assert {s["old_code"] for s in back} >= {"01335", "01336"}


async def test_wrong_check_digit_is_a_problem_naming_the_field(client):
    r = await client.get("/api/area/codes/012361")
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["errors"][0]["field"] == "code" and "012360" in body["detail"]


async def _outbox_actions(since: dt.datetime) -> list[str]:
    async with UnitOfWork(Scope.system()) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE created_at >= $1 ORDER BY seq", since)
    return [name_of(decode(r["payload"]).payload) or "" for r in rows]


async def test_operator_registers_updates_and_deletes_a_gazette_change(client):
    csrf = await operator_client_csrf(client)
    h = {"x-csrf-token": csrf}
    since = dt.datetime.now(dt.UTC)
    body = {
        "code": "292095",
        "effective_on": "2030-04-01",
        "reason": "生駒市(29209)の名称変更（試験）",
        "kind": "rename",
        "gazette_ref": "官報 令和12年 号外第1号",
        "ends": ["292095"],
        "starts": [{"code": "292095", "name": "新生駒市", "name_kana": "しんいこまし", "level": "city"}],
        "links": [{"old_code": "292095", "new_code": "292095", "old_name": "生駒市", "new_name": "新生駒市"}],
    }
    r = await client.post("/api/area/changes", json=body, headers=h)
    assert r.status_code == 201, r.text
    change_id = r.json()["id"]
    names = lambda d: [i["name"] for i in d.json()["items"]]  # noqa: E731
    assert names(await client.get("/api/area/codes", params={"date": "2030-05-01", "q": "生駒", "level": "city"})) == [
        "新生駒市"
    ]
    assert names(await client.get("/api/area/codes", params={"date": "2030-03-31", "q": "生駒", "level": "city"})) == [
        "生駒市"
    ]

    r = await client.patch(f"/api/area/changes/{change_id}", json={"gazette_ref": "官報 号外第2号"}, headers=h)
    assert r.status_code == 200 and r.json()["gazette_ref"] == "官報 号外第2号"
    assert (await client.delete(f"/api/area/changes/{change_id}", headers=h)).status_code == 204
    assert names(await client.get("/api/area/codes", params={"date": "2030-05-01", "q": "生駒", "level": "city"})) == [
        "生駒市"
    ]
    actions = await _outbox_actions(since)
    for expected in ("area.change.registered", "area.change.updated", "area.change.deleted"):
        assert expected in actions


async def test_bad_change_is_refused_whole(client):
    csrf = await operator_client_csrf(client)
    async with UnitOfWork(Scope.system()) as uow:
        before = await uow.fetchval("SELECT count(*) FROM area_change")
    body = {
        "code": "292095",
        "effective_on": "2030-04-01",
        "reason": "x",
        "kind": "rename",
        "gazette_ref": "g",
        "ends": ["292095"],
        "starts": [{"code": "292096", "name": "誤", "level": "city"}],
    }
    r = await client.post("/api/area/changes", json=body, headers={"x-csrf-token": csrf})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "starts[0].code"
    r = await client.post("/api/area/changes", json={**body, "kind": "nonsense"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"
    async with UnitOfWork(Scope.system()) as uow:
        assert await uow.fetchval("SELECT count(*) FROM area_change") == before


async def test_only_the_operator_maintains_codes(client):
    t = await make_tenant()
    csrf = await sign_in(client, t.admin_login)
    r = await client.post("/api/area/changes", json={}, headers={"x-csrf-token": csrf})
    assert r.status_code == 403 and r.json()["type"].endswith("/forbidden")
    anonymous = await client.post("/api/area/reload")
    assert anonymous.status_code in (401, 403)


async def test_pages_render_in_japanese(client):
    r = await client.get("/area", params={"date": "2005-01-01", "q": "上磯"})
    assert r.status_code == 200 and "上磯町" in r.text and "標準地域コード" in r.text
    r = await client.get("/area/codes/01236")
    assert r.status_code == 200 and "北斗市" in r.text and "上磯町" in r.text
    r = await client.get("/area/changes", params={"year": 2006, "q": "北斗"})
    assert r.status_code == 200 and "北斗市" in r.text and "<svg" in r.text
