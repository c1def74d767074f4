"""GOV-7: liaison meeting members are derived from the current primary contacts of every active tenant
plus the operator; meetings keep date, agenda, minutes and attendance."""

import datetime as dt
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.tenants import contacts, schemas
from tests.support.factories import OPERATOR, another_client, csrf_headers, make_tenant, operator_client_csrf, sign_in

API = "/api/ops/governance/liaison"


async def test_members_follow_a_change_of_primary_contact(client):
    tenant = await make_tenant()
    h = csrf_headers(await operator_client_csrf(client))
    members = (await client.get(f"{API}/members", headers=h)).json()
    secretariat = [m for m in members if m["secretariat"]]
    assert len(secretariat) == 1 and secretariat[0]["tenant_kind"] == "operator" and members[0]["secretariat"]
    [mine] = [m for m in members if m["tenant_id"] == str(tenant.id)]
    assert mine["name"] == "主 担当" and mine["email"] == f"p@{tenant.code}.example.jp"

    async with UnitOfWork(OPERATOR) as uow:  # the operator's procedure for a change of contact (GOV-6)
        await contacts.change_contact(
            uow,
            tenant.id,
            schemas.ContactIn(
                role="primary", name="新 正担当", division="統計企画課", email=f"new@{tenant.code}.example.jp"
            ),
        )
    members = (await client.get(f"{API}/members", headers=h)).json()
    [mine] = [m for m in members if m["tenant_id"] == str(tenant.id)]
    assert (mine["name"], mine["division"], mine["email"]) == (
        "新 正担当",
        "統計企画課",
        f"new@{tenant.code}.example.jp",
    )
    assert sum(m["tenant_id"] == str(tenant.id) for m in members) == 1  # one member per tenant, never the deputy
    page = await client.get("/ops/governance")
    table = page.text.split('id="members"')[1].split("</table>")[0]
    assert f"new@{tenant.code}.example.jp" in table and f"p@{tenant.code}.example.jp" not in table


async def test_meeting_agenda_minutes_and_attendance(client, app):
    a = await make_tenant()
    h = csrf_headers(await operator_client_csrf(client))
    held = dt.datetime.now(dt.UTC)  # held now, with `a` (created just before) a member
    r = await client.post(
        f"{API}/meetings",
        headers=h,
        json={
            "title": "令和8年度 第1回担当者会議",
            "held_at": held.isoformat(),
            "place": "統計センター 大会議室",
            "agenda": [
                {"kind": "annual_report", "title": "令和7年度 利用状況及び障害対応の報告"},
                {"kind": "annual_plan", "title": "令和8年度 運用管理計画", "presenter": "統計センター"},
            ],
        },
    )
    assert r.status_code == 201, r.text
    meeting = r.json()
    assert [(i["position"], i["kind"]) for i in meeting["agenda"]] == [(1, "annual_report"), (2, "annual_plan")]

    came = await client.post(
        f"{API}/meetings/{meeting['id']}/attendance", headers=h, json={"tenant_id": str(a.id), "attended": True}
    )
    assert came.status_code == 200 and came.json()["attendee_name"] == "主 担当"
    stranger = await client.post(
        f"{API}/meetings/{meeting['id']}/attendance", headers=h, json={"tenant_id": str(uuid.uuid4()), "attended": True}
    )
    assert stranger.status_code == 422 and stranger.json()["errors"][0]["field"] == "tenant_id"
    earlier = (
        await client.post(
            f"{API}/meetings", headers=h, json={"title": "前回", "held_at": (held - dt.timedelta(days=30)).isoformat()}
        )
    ).json()
    before_a = await client.post(
        f"{API}/meetings/{earlier['id']}/attendance", headers=h, json={"tenant_id": str(a.id), "attended": True}
    )
    assert before_a.status_code == 422  # not yet a member on that meeting's date
    minutes = await client.put(f"{API}/meetings/{meeting['id']}/minutes", headers=h, json={"minutes": "1. 報告を了承"})
    assert minutes.status_code == 200 and minutes.json()["minutes_recorded_at"]
    future = (
        await client.post(
            f"{API}/meetings", headers=h, json={"title": "次回", "held_at": (held + dt.timedelta(days=30)).isoformat()}
        )
    ).json()
    assert (
        await client.put(f"{API}/meetings/{future['id']}/minutes", headers=h, json={"minutes": "x"})
    ).status_code == 409
    naive = await client.post(f"{API}/meetings", headers=h, json={"title": "x", "held_at": "2026-12-01T10:00:00"})
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "held_at"

    async with another_client(app) as agency:
        await sign_in(agency, a.staff_login)
        assert (await agency.get(f"{API}/members")).status_code == 403
        seen = next(m for m in (await agency.get(f"{API}/meetings")).json() if m["id"] == meeting["id"])
        assert [x["tenant_id"] for x in seen["attendance"]] == [str(a.id)] and seen["minutes"] == "1. 報告を了承"
