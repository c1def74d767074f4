"""GOV-5, GOV-16: change requests are deliberated at the council and their cost billed to the agency;
improvement requests go to the council where required; every step is audited; tenants kept apart."""

import datetime as dt

from govstat.gateway.billing.charges import ExtraChargeConsumer
from govstat.ops.governance.events import CostAssigned
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import (
    another_client,
    audit_events,
    csrf_headers,
    make_tenant,
    operator_client_csrf,
    outbox_mark,
    sign_in,
)
from tests.support.outbox import decode

API = "/api/ops/governance"
SYSTEM = Scope.system("test")


async def _cost_events(since: int) -> list:
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE seq > $1 AND kind = 'domain' ORDER BY seq", since)
    return [e for e in (decode(bytes(r["payload"])) for r in rows) if isinstance(e.payload, CostAssigned)]


async def test_change_request_goes_through_the_council_and_bills_its_cost(client, app):
    tenant = await make_tenant()
    ha = csrf_headers(await sign_in(client, tenant.admin_login))
    r = await client.post(
        f"{API}/requests",
        headers=ha,
        json={
            "kind": "change",
            "module_key": "online",
            "title": "調査票様式の個別改修",
            "body": "独自の回答欄を追加したい",
        },
    )
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["state"] == "submitted" and req["number"].startswith("CR-") and req["tenant_id"] == str(tenant.id)

    async with another_client(app) as op:
        h = csrf_headers(await operator_client_csrf(op))
        url = f"{API}/requests/{req['id']}"
        mark = await outbox_mark()
        assert (await op.post(f"{url}/coordinate", headers=h, json={"note": "総務省と調整"})).json()[
            "state"
        ] == "coordinating"
        early = await op.post(f"{url}/decision", headers=h, json={"outcome": "accepted"})
        assert early.status_code == 409 and early.json()["type"].endswith("/invalid-transition")  # not deliberated
        assert (await op.post(f"{url}/refer", headers=h, json={})).json()["state"] == "deliberation"
        missing = await op.post(f"{url}/decision", headers=h, json={"outcome": "accepted"})
        assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "council_decision_id"
        wrong = (
            await op.post(
                f"{API}/council-decisions",
                headers=h,
                json={
                    "subject": "regulation",
                    "outcome": "approved",
                    "decided_on": "2026-11-20",
                    "reference": "協議会 R8-3",
                },
            )
        ).json()
        mismatch = await op.post(
            f"{url}/decision", headers=h, json={"outcome": "accepted", "council_decision_id": wrong["id"]}
        )
        assert mismatch.status_code == 422 and mismatch.json()["errors"][0]["field"] == "council_decision_id"
        too_early = await op.post(f"{url}/cost", headers=h, json={"amount_yen": 250_000})
        assert too_early.status_code == 409  # not accepted yet

        d = await op.post(
            f"{API}/council-decisions",
            headers=h,
            json={
                "subject": "change_request",
                "tenant_id": str(tenant.id),
                "outcome": "approved",
                "decided_on": "2026-11-20",
                "reference": "協議会決定 R8-個別-7",
                "summary": "個別改修を承認",
            },
        )
        assert d.status_code == 201, d.text
        accepted = await op.post(
            f"{url}/decision", headers=h, json={"outcome": "accepted", "council_decision_id": d.json()["id"]}
        )
        assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
        assert accepted.json()["council_decision_id"] == d.json()["id"]

        cost = await op.post(f"{url}/cost", headers=h, json={"amount_yen": 250_000, "occurred_on": "2026-11-25"})
        assert cost.status_code == 200 and cost.json()["cost_yen"] == 250_000
        assert (await op.post(f"{url}/cost", headers=h, json={"amount_yen": 1})).status_code == 409
        [event] = await _cost_events(mark)
        assert event.tenant_id == tenant.id
        assert event.payload == CostAssigned(
            amount_yen=250_000,
            description=f"個別改修等 {req['number']}: 調査票様式の個別改修",
            source_ref=req["number"],
            occurred_on=dt.date(2026, 11, 25),
        )
        assert await ExtraChargeConsumer().apply(event) is True
        async with UnitOfWork(SYSTEM) as uow:
            charge = await uow.fetchrow(
                "SELECT kind, amount_yen, occurred_on FROM extra_charge WHERE tenant_id = $1 AND source_ref = $2",
                tenant.id,
                req["number"],
            )
        assert dict(charge) == {"kind": "agency_change", "amount_yen": 250_000, "occurred_on": dt.date(2026, 11, 25)}

        for step, state in (("start", "in_progress"), ("complete", "done")):
            assert (await op.post(f"{url}/{step}", headers=h, json={})).json()["state"] == state
        bad = await op.post(f"{url}/report", headers=h, json={"reported_on": "2026-12-01"})
        assert bad.status_code in (400, 422) and "report_ref" in bad.json()["detail"]
        done = await op.post(
            f"{url}/report", headers=h, json={"report_ref": "協議会報告 R8-12", "reported_on": "2026-12-01"}
        )
        assert done.json()["state"] == "reported"
        assert (await op.post(f"{url}/start", headers=h, json={})).status_code == 409

        actions = [e.action for e in await audit_events(mark, tenant.id, "change_request.")]
        assert actions == [
            "change_request.coordinate",
            "change_request.refer",
            "change_request.decide",
            "change_request.cost_fixed",
            "change_request.start",
            "change_request.complete",
            "change_request.report",
        ]
    detail = (await client.get(f"{API}/requests/{req['id']}")).json()  # the agency follows its request
    assert [(e["action"], e["state_to"]) for e in detail["events"]] == [
        ("coordinate", "coordinating"),
        ("refer", "deliberation"),
        ("decide", "accepted"),
        ("cost", "accepted"),
        ("start", "in_progress"),
        ("complete", "done"),
        ("report", "reported"),
    ]


async def test_improvement_request_without_council_and_agencies_kept_apart(client, app):
    a, b = await make_tenant(), await make_tenant()
    h = csrf_headers(await sign_in(client, a.staff_login))
    req = (
        await client.post(
            f"{API}/requests",
            headers=h,
            json={"kind": "improvement", "title": "検索結果の並べ替え", "body": "公表日順に並べたい"},
        )
    ).json()
    assert req["number"].startswith("IR-")
    assert (await client.post(f"{API}/requests/{req['id']}/coordinate", headers=h, json={})).status_code == 403
    async with another_client(app) as other:
        await sign_in(other, b.staff_login)
        assert (await other.get(f"{API}/requests/{req['id']}")).status_code == 404
        assert req["id"] not in {r["id"] for r in (await other.get(f"{API}/requests")).json()}
    async with another_client(app) as op:
        ho = csrf_headers(await operator_client_csrf(op))
        url = f"{API}/requests/{req['id']}"
        await op.post(f"{url}/coordinate", headers=ho, json={})
        ok = await op.post(f"{url}/decision", headers=ho, json={"outcome": "accepted", "note": "総務省と調整済み"})
        assert ok.status_code == 200 and ok.json()["state"] == "accepted" and ok.json()["council_decision_id"] is None
        assert (await op.post(f"{url}/cost", headers=ho, json={"amount_yen": 1000})).status_code == 409
        malformed = await op.post(f"{url}/decision", headers=ho, json={"outcome": "maybe"})
        assert malformed.status_code in (400, 422) and "outcome" in malformed.json()["detail"]
