"""GOV-11: a ticket's life (answer, forward to whom and when, resolve, close, reopen), 409 on a wrong step,
4xx naming the field with nothing written, tenants kept apart, and the e-Stat inquiry form."""

import datetime as dt

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import audit_events, csrf_headers, make_tenant, operator_client_csrf, outbox_mark, sign_in
from tests.support.helpdesk_factories import record_ticket

API = "/api/ops/helpdesk"


async def _tenant_id(code: str):
    async with UnitOfWork(Scope.system("test")) as uow:
        return await uow.fetchval("SELECT id FROM tenant WHERE code = $1", code)


async def _count(sql: str, *args) -> int:
    async with UnitOfWork(Scope.system("test")) as uow:
        return await uow.fetchval(sql, *args)


async def test_forwarding_records_to_whom_and_when_and_the_states_follow(client):
    tenant = await make_tenant()
    h = csrf_headers(await operator_client_csrf(client))
    t = await record_ticket(
        client,
        h,
        channel="email",
        requester_kind="agency",
        tenant_id=str(tenant.id),
        requester_name="統計 太郎",
        subject="農林業センサスの調査票について",
        body="集計区分の定義を教えてください",
    )
    mark = await outbox_mark()
    before = dt.datetime.now(dt.UTC)

    fwd = await client.post(
        f"{API}/tickets/{t['id']}/forward",
        headers=h,
        json={"to": "statistic_owner", "statistic_code": "00500209", "note": "所管府省へ照会"},
    )
    assert fwd.status_code == 200, fwd.text
    assert fwd.json()["state"] == "forwarded" and fwd.json()["first_response_at"]  # a forward is a first response
    answered = await client.post(
        f"{API}/tickets/{t['id']}/answer", headers=h, json={"body": "所管府省の回答を転送します"}
    )
    assert answered.json()["state"] == "answered"
    again = await client.post(
        f"{API}/tickets/{t['id']}/forward", headers=h, json={"to": "subsystem_operator", "module_key": "online"}
    )
    assert again.status_code == 200 and again.json()["first_response_at"] == fwd.json()["first_response_at"]

    detail = (await client.get(f"{API}/tickets/{t['id']}", headers=h)).json()
    forwards = [e for e in detail["events"] if e["kind"] == "forwarded"]
    maff = await _tenant_id("maff")
    assert [(e["forwarded_to_kind"], e["statistic_code"], e["module_key"]) for e in forwards] == [
        ("statistic_owner", "00500209", None),
        ("subsystem_operator", None, "online"),
    ]
    assert "農林水産省" in forwards[0]["forwarded_to"] and forwards[0]["forwarded_to_tenant_id"] == str(maff)
    assert "オンライン調査システム" in forwards[1]["forwarded_to"]
    assert all(dt.datetime.fromisoformat(e["at"]) >= before and e["actor"] for e in forwards)
    assert forwards[0]["body"] == "所管府省へ照会"

    for action, state in (("resolve", "resolved"), ("close", "closed")):
        r = await client.post(f"{API}/tickets/{t['id']}/{action}", headers=h, json={})
        assert r.status_code == 200 and r.json()["state"] == state
    reopened = await client.post(f"{API}/tickets/{t['id']}/reopen", headers=h, json={"reason": "回答が不十分"})
    assert reopened.json()["state"] == "received" and reopened.json()["reopen_count"] == 1
    assert reopened.json()["resolved_at"] is None and reopened.json()["closed_at"] is None

    actions = [e.action for e in await audit_events(mark, tenant.id, "helpdesk.")]
    assert actions == [
        "helpdesk.ticket_forwarded",
        "helpdesk.ticket_answered",
        "helpdesk.ticket_forwarded",
        "helpdesk.ticket_resolved",
        "helpdesk.ticket_closed",
        "helpdesk.ticket_reopened",
    ]


async def test_a_wrong_step_is_409_and_changes_nothing(client):
    h = csrf_headers(await operator_client_csrf(client))
    t = await record_ticket(client, h, channel="email", requester_kind="general", subject="API の appId")
    mark = await outbox_mark()
    for action, body in (("close", {}), ("resolve", {}), ("reopen", {"reason": "x"})):
        r = await client.post(f"{API}/tickets/{t['id']}/{action}", headers=h, json=body)
        assert r.status_code == 409, (action, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["type"].endswith("/invalid-transition") and r.json()["state"] == "received"
    assert (await client.get(f"{API}/tickets/{t['id']}", headers=h)).json()["events"] == []
    assert await audit_events(mark, prefix="helpdesk.") == []


async def test_malformed_input_names_the_field_and_writes_nothing(client):
    tenant = await make_tenant()
    h = csrf_headers(await operator_client_csrf(client))
    tickets = await _count("SELECT count(*) FROM helpdesk_ticket")
    mark = await outbox_mark()
    cases = [
        ({"channel": "fax", "requester_kind": "general", "subject": "x"}, "channel"),
        ({"channel": "phone", "requester_kind": "agency", "subject": "x"}, "tenant_id"),
        ({"channel": "phone", "requester_kind": "general", "subject": ""}, "subject"),
        ({"channel": "phone", "requester_kind": "general", "subject": "x", "module_key": "nosuch"}, "module_key"),
        (
            {
                "channel": "phone",
                "requester_kind": "general",
                "subject": "x",
                "received_at": "2099-01-01T10:00:00+09:00",
            },
            "received_at",
        ),
        # help outside hours on a call that came in within them (a Wednesday 10:00)
        (
            {
                "channel": "phone",
                "requester_kind": "agency",
                "tenant_id": str(tenant.id),
                "subject": "x",
                "received_at": "2026-01-07T10:00:00+09:00",
                "help_out_of_hours": True,
                "handling_minutes": 30,
            },
            "help_out_of_hours",
        ),
        ({"channel": "phone", "requester_kind": "general", "subject": "x", "colour": "red"}, "colour"),
    ]
    for body, field in cases:
        r = await client.post(f"{API}/tickets", headers=h, json=body)
        assert r.status_code in (400, 422), (field, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert field in r.json()["detail"] or field in str(r.json().get("errors")), (field, r.json())
    t = (
        await client.post(
            f"{API}/tickets", headers=h, json={"channel": "email", "requester_kind": "general", "subject": "x"}
        )
    ).json()
    bad = await client.post(f"{API}/tickets/{t['id']}/forward", headers=h, json={"to": "statistic_owner"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "statistic_code"
    unknown = await client.post(
        f"{API}/tickets/{t['id']}/forward", headers=h, json={"to": "statistic_owner", "statistic_code": "99999999"}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "statistic_code"
    assert (await client.get(f"{API}/tickets/{t['id']}", headers=h)).json()["state"] == "received"
    assert await _count("SELECT count(*) FROM helpdesk_ticket") == tickets + 1
    assert [e.action for e in await audit_events(mark, prefix="helpdesk.")] == ["helpdesk.ticket_received"]


async def test_agencies_see_only_their_own_tickets(client, app):
    from tests.support.factories import another_client

    a, b = await make_tenant(), await make_tenant()
    ha = csrf_headers(await sign_in(client, a.staff_login))
    mine = await client.post(
        f"{API}/requests",
        headers=ha,
        json={"subject": "統計表の登録エラー", "body": "E0123 が出ます", "module_key": "tables"},
    )
    assert mine.status_code == 201, mine.text
    t = mine.json()
    assert (t["tenant_id"], t["channel"], t["via"], t["requester_kind"]) == (
        str(a.id),
        "web",
        "agency_portal",
        "agency",
    )
    assert (await client.get(f"{API}/tickets/{t['id']}")).status_code == 200
    async with another_client(app) as other:
        hb = csrf_headers(await sign_in(other, b.staff_login))
        assert (await other.get(f"{API}/tickets/{t['id']}")).status_code == 404
        r = await other.post(f"{API}/tickets/{t['id']}/reopen", headers=hb, json={"reason": "x"})
        assert r.status_code == 404
        assert t["id"] not in {x["id"] for x in (await other.get(f"{API}/tickets")).json()["items"]}
        assert (await other.post(f"{API}/tickets/{t['id']}/answer", headers=hb, json={"body": "x"})).status_code == 403
        assert (await other.get(f"/ops/helpdesk/{t['id']}")).status_code == 404
    listed = (await client.get(f"{API}/tickets")).json()
    assert {x["tenant_id"] for x in listed["items"]} == {str(a.id)} and listed["total"] == 1


async def test_the_estat_inquiry_form_makes_an_operator_email_ticket(client, app):
    from tests.support.factories import another_client

    r = await client.post(
        "/api/helpdesk/inquiries",
        json={
            "name": "山田 花子",
            "email": "hanako@example.jp",
            "subject": "人口推計の公表日",
            "body": "次回はいつですか",
            "module_key": "estat",
        },
    )
    assert r.status_code == 201, r.text
    number, ticket_id = r.json()["number"], r.json()["id"]
    assert number.startswith("HD-")
    assert (await client.get(f"{API}/tickets/{ticket_id}")).status_code == 401  # anonymous reads nothing back
    bad = await client.post("/api/helpdesk/inquiries", json={"email": "not-an-address", "subject": "x", "body": "y"})
    assert bad.status_code in (400, 422) and "email" in bad.json()["detail"]

    h = csrf_headers(await operator_client_csrf(client))
    t = (await client.get(f"{API}/tickets/{ticket_id}", headers=h)).json()
    assert (t["number"], t["tenant_id"], t["channel"], t["via"], t["requester_kind"], t["requester_email"]) == (
        number,
        None,
        "email",
        "estat_form",
        "general",
        "hanako@example.jp",
    )
    assert t["targets"]["first_response"]["status"] == "pending"
    async with another_client(app) as agency:
        tenant = await make_tenant()
        await sign_in(agency, tenant.admin_login)
        assert (await agency.get(f"{API}/tickets/{ticket_id}")).status_code == 404  # general users' tickets: operator's
