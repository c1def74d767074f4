"""GOV-10: yearly briefings per subsystem and briefings on request; sessions with capacity counted across
agencies; registrations by agency users; attendance recorded by the operator."""

import datetime as dt

from tests.support.factories import another_client, csrf_headers, make_tenant, operator_client_csrf, sign_in

API = "/api/ops/governance/briefings"


async def test_yearly_briefing_sessions_registration_and_attendance(client, app):
    a, b = await make_tenant(), await make_tenant()
    h = csrf_headers(await operator_client_csrf(client))
    year = 2026  # the session's database is fresh
    briefing = await client.post(
        f"{API}",
        headers=h,
        json={
            "kind": "annual",
            "fiscal_year": year,
            "module_key": "online",
            "title": "オンライン調査システム操作説明会",
        },
    )
    assert briefing.status_code == 201, briefing.text
    twice = await client.post(
        f"{API}", headers=h, json={"kind": "annual", "fiscal_year": year, "module_key": "online", "title": "二度目"}
    )
    assert twice.status_code == 409  # once a year per subsystem
    now = dt.datetime.now(dt.UTC)
    session = await client.post(
        f"{API}/{briefing.json()['id']}/sessions",
        headers=h,
        json={
            "starts_at": (now - dt.timedelta(minutes=5)).isoformat(),
            "ends_at": (now + dt.timedelta(hours=2)).isoformat(),
            "online": True,
            "online_url": "https://meet.example.go.jp/x",
            "capacity": 1,
        },
    )
    assert session.status_code == 201, session.text
    sid = session.json()["id"]
    nowhere = await client.post(
        f"{API}/{briefing.json()['id']}/sessions",
        headers=h,
        json={"starts_at": now.isoformat(), "ends_at": (now + dt.timedelta(hours=1)).isoformat(), "capacity": 10},
    )
    assert nowhere.status_code == 422 and nowhere.json()["errors"][0]["field"] == "place"

    async with another_client(app) as ca, another_client(app) as cb:
        ha = csrf_headers(await sign_in(ca, a.staff_login))
        hb = csrf_headers(await sign_in(cb, b.staff_login))
        reg = await ca.post(f"{API}/sessions/{sid}/registrations", headers=ha, json={})
        assert reg.status_code == 201, reg.text
        assert (await ca.post(f"{API}/sessions/{sid}/registrations", headers=ha, json={})).status_code == 409
        full = await cb.post(f"{API}/sessions/{sid}/registrations", headers=hb, json={})
        assert full.status_code == 409 and "満席" in full.json()["detail"]  # the seat went to another agency
        seen_b = next(s for br in (await cb.get(API)).json()["briefings"] for s in br["sessions"] if s["id"] == sid)
        assert seen_b["seats_left"] == 0 and seen_b["registrations"] == []  # counted, not revealed
        assert (await cb.post(f"{API}/registrations/{reg.json()['id']}/cancel", headers=hb)).status_code == 404

        marked = await client.post(
            f"{API}/sessions/{sid}/attendance",
            headers=h,
            json=[{"registration_id": reg.json()["id"], "attended": True}],
        )
        assert marked.status_code == 200 and marked.json()[0]["attended"] is True
        assert (await ca.post(f"{API}/registrations/{reg.json()['id']}/cancel", headers=ha)).status_code == 409
        seen_a = next(s for br in (await ca.get(API)).json()["briefings"] for s in br["sessions"] if s["id"] == sid)
        assert [r["attended"] for r in seen_a["registrations"]] == [True]
        # an agency cannot record attendance
        assert (await ca.post(f"{API}/sessions/{sid}/attendance", headers=ha, json=[])).status_code == 403


async def test_briefing_on_request(client, app):
    a = await make_tenant()
    async with another_client(app) as ca:
        ha = csrf_headers(await sign_in(ca, a.admin_login))
        req = await ca.post(f"{API}/requests", headers=ha, json={"module_key": "tables", "topic": "統計表の登録手順"})
        assert req.status_code == 201 and req.json()["state"] == "requested"
    h = csrf_headers(await operator_client_csrf(client))
    missing = await client.post(API, headers=h, json={"kind": "on_request", "fiscal_year": 2026, "title": "x"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "request_id"
    r = await client.post(
        API,
        headers=h,
        json={
            "kind": "on_request",
            "fiscal_year": 2026,
            "module_key": "tables",
            "title": "統計表管理システム説明会（要請）",
            "request_id": req.json()["id"],
        },
    )
    assert r.status_code == 201, r.text
    overview = (await client.get(API)).json()
    assert next(x for x in overview["requests"] if x["id"] == req.json()["id"])["state"] == "scheduled"
    again = await client.post(
        API, headers=h, json={"kind": "on_request", "fiscal_year": 2026, "title": "y", "request_id": req.json()["id"]}
    )
    assert again.status_code == 409
