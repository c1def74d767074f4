"""GOV-1, GOV-2: the admission and withdrawal of approved bodies (a state machine), through /api/auth.
(GOV-3, constituent ministries under the bulk contract: test_tenants_contacts.py.)"""

import uuid

import pytest

from govstat.platform.clock import today_jst
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidTransition
from govstat.tenants import admission, schemas, subscriptions, users
from govstat.tenants.admission import TRANSITIONS, next_status
from govstat.tenants.contacts import replace_contacts
from tests.support import factories as f

API = "/api/auth/tenants"
INVALID_TRANSITION = "https://govstat.example.go.jp/problems/invalid-transition"
TODAY = today_jst()


def decision(outcome: str = "approved", on: str = "2026-05-20") -> dict:
    return {"outcome": outcome, "decided_on": on, "reference": f"協議会決定-{f.unique('d')}", "summary": "審議結果"}


def contract() -> dict:
    return {"reference": f"利用契約-{f.unique('c')}", "signed_on": "2026-06-01", "starts_on": "2026-06-01"}


def contacts(code: str) -> dict:
    return {
        "primary": {"role": "primary", "name": "主 担当", "email": f"p@{code}.example.jp"},
        "deputy": {"role": "deputy", "name": "副 担当", "email": f"d@{code}.example.jp"},
    }


def assert_invalid_transition(r) -> None:
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"] == INVALID_TRANSITION


async def apply(client, h) -> tuple[uuid.UUID, str]:
    code = f.unique("a")
    r = await client.post(
        f"{API}/applications",
        headers=h,
        json={
            "code": code,
            "name_ja": f"承認機関{code}",
            "submitted_on": "2026-04-10",
            "document_ref": f"申請書-{code}",
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "applied" and r.json()["kind"] == "approved_body"
    return uuid.UUID(r.json()["id"]), code


async def tenant(client, tid) -> dict:
    r = await client.get(f"{API}/{tid}")
    assert r.status_code == 200, r.text
    return r.json()


async def test_gov2_admission_end_to_end_records_every_step_and_its_audit_event(client):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    mark = await f.outbox_mark()
    tid, code = await apply(client, h)
    d = decision()
    r = await client.post(f"{API}/{tid}/admission-decision", headers=h, json=d)
    assert r.status_code == 201 and r.json()["status"] == "approved"
    c = contract()
    assert (await client.post(f"{API}/{tid}/contract", headers=h, json=c)).json()["status"] == "contracted"
    assert (await client.put(f"{API}/{tid}/contacts", headers=h, json=contacts(code))).status_code == 200
    r = await client.post(f"{API}/{tid}/activate", headers=h)
    assert r.status_code == 201 and r.json()["status"] == "active" and r.json()["activated_at"]

    t = await tenant(client, tid)
    assert t["status"] == "active"
    [application] = t["applications"]
    [dec] = t["decisions"]
    assert (dec["decided_on"], dec["reference"], dec["outcome"]) == ("2026-05-20", d["reference"], "approved")
    assert application["decision_id"] == dec["id"] and application["document_ref"] == f"申請書-{code}"
    assert [(k["reference"], k["ends_on"]) for k in t["contracts"]] == [(c["reference"], None)]
    assert {p["role"] for p in t["contacts"]} == {"primary", "deputy"}

    events = await f.audit_events(mark, tenant_id=tid)
    actions = [e.action for e in events]
    assert actions == [
        "tenant.applied",
        "tenant.approve_admission",
        "tenant.sign_contract",
        "contact.changed",
        "contact.changed",
        "tenant.activate",
    ]
    assert all(e.actor_kind == "operator" for e in events)
    assert {e.target_id for e in events if e.action.startswith("tenant.")} == {str(tid)}
    assert events[-1].detail == {"status_from": "contracted", "status_to": "active"}


async def test_gov2_rejected_application_can_go_no_further(client):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    tid, _ = await apply(client, h)
    r = await client.post(f"{API}/{tid}/admission-decision", headers=h, json=decision("rejected"))
    assert r.status_code == 201 and r.json()["status"] == "rejected"
    assert [d["outcome"] for d in (await tenant(client, tid))["decisions"]] == ["rejected"]
    assert_invalid_transition(await client.post(f"{API}/{tid}/contract", headers=h, json=contract()))
    assert_invalid_transition(await client.post(f"{API}/{tid}/admission-decision", headers=h, json=decision()))
    t = await tenant(client, tid)
    assert t["status"] == "rejected" and t["contracts"] == [] and len(t["decisions"]) == 1


async def test_activation_without_a_signed_contract_is_refused_and_writes_nothing(client):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    tid, code = await apply(client, h)
    await client.post(f"{API}/{tid}/admission-decision", headers=h, json=decision())
    await client.put(f"{API}/{tid}/contacts", headers=h, json=contacts(code))
    mark = await f.outbox_mark()
    r = await client.post(f"{API}/{tid}/activate", headers=h)
    assert_invalid_transition(r)
    assert "contract" in r.json()["detail"]
    t = await tenant(client, tid)
    assert t["status"] == "approved" and t["activated_at"] is None
    assert await f.audit_events(mark, tenant_id=tid) == []


async def test_activation_without_both_contacts_is_refused(client):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    tid, _ = await apply(client, h)
    await client.post(f"{API}/{tid}/admission-decision", headers=h, json=decision())
    await client.post(f"{API}/{tid}/contract", headers=h, json=contract())
    mark = await f.outbox_mark()
    assert_invalid_transition(await client.post(f"{API}/{tid}/activate", headers=h))
    assert (await tenant(client, tid))["status"] == "contracted"
    assert await f.audit_events(mark, tenant_id=tid) == []


async def test_a_step_refused_by_the_database_leaves_no_half_written_rows(client):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    first, _ = await apply(client, h)
    second, _ = await apply(client, h)
    for tid in (first, second):
        await client.post(f"{API}/{tid}/admission-decision", headers=h, json=decision())
    c = contract()
    assert (await client.post(f"{API}/{first}/contract", headers=h, json=c)).status_code == 201
    mark = await f.outbox_mark()
    r = await client.post(f"{API}/{second}/contract", headers=h, json=c)  # the same contract reference
    assert r.status_code == 409 and r.json()["type"].endswith("/conflict")
    t = await tenant(client, second)
    assert (t["status"], t["contracts"]) == ("approved", [])
    assert await f.audit_events(mark) == []


ROUTE = ["approved", "contracted", "active", "withdrawal_applied", "withdrawal_approved", "withdrawn"]


async def _tenant_in(state: str) -> uuid.UUID:
    """An approved body brought to `state` through the use cases (the set-up is not what is tested here)."""
    tid = await f.make_applicant()

    def council(outcome):
        return schemas.DecisionIn(outcome=outcome, decided_on=TODAY, reference=f.unique("r"))

    async def to_active(u):
        await replace_contacts(u, tid, f.contact_pair(f.unique("c")))
        await admission.activate(u, tid)

    steps = {
        "approved": lambda u: admission.decide_admission(u, tid, council("approved")),
        "rejected": lambda u: admission.decide_admission(u, tid, council("rejected")),
        "contracted": lambda u: admission.sign_contract(
            u, tid, schemas.ContractIn(reference=f.unique("k"), signed_on=TODAY, starts_on=TODAY)
        ),
        "active": to_active,
        "withdrawal_applied": lambda u: admission.apply_withdrawal(
            u, tid, schemas.WithdrawalIn(submitted_on=TODAY, document_ref=f.unique("w"))
        ),
        "withdrawal_approved": lambda u: admission.decide_withdrawal(u, tid, council("approved")),
        "withdrawn": lambda u: admission.end_contract(u, tid, schemas.ContractEndIn(ends_on=TODAY)),
    }
    path = ROUTE[: ROUTE.index(state) + 1] if state in ROUTE else {"applied": [], "rejected": ["rejected"]}[state]
    for step in path:
        async with UnitOfWork(f.OPERATOR) as uow:
            await steps[step](uow)
    return tid


# endpoint -> the one state it may be called in
ENDPOINTS = {
    "admission-decision": "applied",
    "contract": "approved",
    "activate": "contracted",
    "withdrawal": "active",
    "withdrawal-decision": "withdrawal_applied",
    "contract-end": "withdrawal_approved",
}
BODIES = {
    "admission-decision": decision,
    "withdrawal-decision": decision,
    "contract": contract,
    "withdrawal": lambda: {"submitted_on": "2026-09-01", "document_ref": f.unique("w")},
    "contract-end": lambda: {"ends_on": TODAY.isoformat()},
    "activate": lambda: None,
}
STATES = [
    "applied",
    "approved",
    "rejected",
    "contracted",
    "active",
    "withdrawal_applied",
    "withdrawal_approved",
    "withdrawn",
]


@pytest.mark.parametrize("state", STATES)
async def test_every_invalid_transition_answers_409_and_changes_nothing(client, state):
    tid = await _tenant_in(state)
    h = f.csrf_headers(await f.operator_client_csrf(client))
    assert (await tenant(client, tid))["status"] == state
    for endpoint, allowed_in in ENDPOINTS.items():
        if allowed_in == state:
            continue
        body = BODIES[endpoint]()
        r = await client.post(f"{API}/{tid}/{endpoint}", headers=h, **({"json": body} if body else {}))
        assert_invalid_transition(r)
    assert (await tenant(client, tid))["status"] == state


def test_the_state_machine_table_matches_gov2():
    for current in STATES:
        for action, (sources, target) in TRANSITIONS.items():
            if current in sources:
                assert next_status(current, action) == target
            else:
                with pytest.raises(InvalidTransition):
                    next_status(current, action)
    assert TRANSITIONS["activate"] == (frozenset({"contracted"}), "active")
    assert TRANSITIONS["end_contract"] == (frozenset({"withdrawal_approved"}), "withdrawn")


async def test_constituent_ministries_do_not_go_through_admission(client):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.operator_client_csrf(client))
    for endpoint in ENDPOINTS:
        body = BODIES[endpoint]()
        assert_invalid_transition(
            await client.post(f"{API}/{t.id}/{endpoint}", headers=h, **({"json": body} if body else {}))
        )
    assert (await tenant(client, t.id))["status"] == "active"


async def test_gov2_withdrawal_ends_subscriptions_sign_in_sessions_and_keys(client, app):
    from govstat.gateway.subscriptions import tenant_profile

    tid = await _tenant_in("active")
    admin = f.unique("w")
    async with UnitOfWork(f.OPERATOR) as uow:
        await subscriptions.subscribe(uow, tid, schemas.SubscriptionIn(module_key="area"), {"area"})
        await users.create_user(
            uow, tid, schemas.UserIn(login=admin, display_name="管理者", password=f.PASSWORD, roles=["agency_admin"])
        )
    token = await f.api_key(tid, roles=("agency_admin",))
    bearer = {"Authorization": f"Bearer {token}"}
    async with f.another_client(app) as agency:
        await f.sign_in(agency, admin)
        assert (await agency.get(f"{API}/{tid}/users")).status_code == 200
        assert (await agency.get(f"{API}/{tid}/users", headers=bearer)).status_code == 200  # key now cached
        assert "area" in (await tenant_profile(tid)).modules

        h = f.csrf_headers(await f.operator_client_csrf(client))
        r = await client.post(
            f"{API}/{tid}/withdrawal", headers=h, json={"submitted_on": TODAY.isoformat(), "document_ref": "脱退申請-1"}
        )
        assert r.json()["status"] == "withdrawal_applied"
        assert (await agency.get(f"{API}/{tid}/users")).status_code == 200  # still served until the end
        r = await client.post(f"{API}/{tid}/withdrawal-decision", headers=h, json=decision(on=TODAY.isoformat()))
        assert r.json()["status"] == "withdrawal_approved"
        mark = await f.outbox_mark()
        r = await client.post(f"{API}/{tid}/contract-end", headers=h, json={"ends_on": TODAY.isoformat()})
        assert r.status_code == 201 and r.json()["status"] == "withdrawn"

        t = await tenant(client, tid)
        assert t["subscriptions"] == [] and t["contracts"][0]["ends_on"] == TODAY.isoformat()
        assert [d["subject"] for d in t["decisions"]] == ["admission", "withdrawal"]
        assert "area" not in (await tenant_profile(tid)).modules
        assert [e.action for e in await f.audit_events(mark, tid)] == ["subscription.ended", "tenant.end_contract"]
        assert (await agency.post("/auth/login", json={"login": admin, "password": f.PASSWORD})).status_code == 401
        assert (await agency.get(f"{API}/{tid}/users")).status_code == 401  # the open session ended
        assert (await agency.get(f"{API}/{tid}/users", headers=bearer)).status_code == 401


async def test_gov2_rejected_withdrawal_returns_to_active(client):
    tid = await _tenant_in("withdrawal_applied")
    h = f.csrf_headers(await f.operator_client_csrf(client))
    early = await client.post(f"{API}/{tid}/withdrawal-decision", headers=h, json=decision("rejected"))
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "decided_on"  # before the application
    r = await client.post(f"{API}/{tid}/withdrawal-decision", headers=h, json=decision("rejected", TODAY.isoformat()))
    assert r.status_code == 201 and r.json()["status"] == "active"
    assert [d["outcome"] for d in (await tenant(client, tid))["decisions"]] == ["approved", "rejected"]
