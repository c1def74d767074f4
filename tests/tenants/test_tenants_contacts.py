"""GOV-6: exactly one primary and one deputy contact per active tenant, enforced by the database;
changes go through the operator and keep the history. GOV-3: a constituent ministry starts active,
under the bulk contract, with both contacts."""

import datetime as dt
import uuid

import pytest

from govstat.platform.db.engine import DB
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict
from govstat.tenants.contacts import check_contacts_now
from govstat.tenants.tables import ContactPerson
from tests.support import factories as f

API = "/api/auth/tenants"


def person(role: str, name: str) -> dict:
    return {"role": role, "name": name, "email": f"{f.unique('x')}@example.go.jp", "division": "統計課"}


def both(code: str) -> dict:
    return {"primary": person("primary", f"主 {code}"), "deputy": person("deputy", f"副 {code}")}


async def current(tenant_id: uuid.UUID) -> dict[str, dict]:
    async with UnitOfWork(f.OPERATOR) as uow:
        rows = await uow.repo(ContactPerson).find(
            ContactPerson.tenant_id == tenant_id, ContactPerson.valid_to.is_null()
        )
    return {r["role"]: r for r in rows}


async def test_a_change_replaces_the_current_contact_and_keeps_the_old_one_in_history(client):
    t = await f.make_tenant()
    before = await current(t.id)
    h = f.csrf_headers(await f.operator_client_csrf(client))
    mark = await f.outbox_mark()
    r = await client.post(f"{API}/{t.id}/contacts", headers=h, json=person("primary", "新 主担当"))
    assert r.status_code == 201, r.text

    now = (await client.get(f"{API}/{t.id}/contacts")).json()
    assert sorted((c["role"], c["name"]) for c in now) == [("deputy", "副 担当"), ("primary", "新 主担当")]
    history = (await client.get(f"{API}/{t.id}/contacts/history")).json()
    old = next(c for c in history if c["id"] == str(before["primary"]["id"]))
    assert old["name"] == "主 担当" and old["valid_to"] is not None
    assert dt.datetime.fromisoformat(old["valid_to"]) >= dt.datetime.fromisoformat(old["valid_from"])
    assert len(history) == 3 and [c for c in history if c["valid_to"] is None and c["role"] == "primary"] == [
        c for c in now if c["role"] == "primary"
    ]

    [event] = await f.audit_events(mark, t.id, "contact.")
    assert event.action == "contact.changed" and event.target_id == r.json()["id"]
    assert event.detail["role"] == "primary" and event.detail["replaced"] == str(before["primary"]["id"])


async def test_replacing_both_contacts_at_once(client):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.operator_client_csrf(client))
    r = await client.put(
        f"{API}/{t.id}/contacts", headers=h, json={"primary": person("primary", "甲"), "deputy": person("deputy", "乙")}
    )
    assert r.status_code == 200, r.text
    assert {role: c["name"] for role, c in (await current(t.id)).items()} == {"primary": "甲", "deputy": "乙"}


async def test_a_contact_in_the_wrong_slot_is_refused_and_nothing_changes(client):
    t = await f.make_tenant()
    before = await current(t.id)
    h = f.csrf_headers(await f.operator_client_csrf(client))
    r = await client.put(
        f"{API}/{t.id}/contacts", headers=h, json={"primary": person("deputy", "甲"), "deputy": person("deputy", "乙")}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "primary.role"
    assert await current(t.id) == before


async def test_malformed_contact_answers_problem_details_naming_the_field(client):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.operator_client_csrf(client))
    r = await client.post(f"{API}/{t.id}/contacts", headers=h, json={**person("primary", "甲"), "email": "no-at-sign"})
    assert r.status_code in (400, 422) and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "email"


async def test_the_database_refuses_ending_the_deputy_without_a_replacement():
    t = await f.make_tenant()
    deputy = (await current(t.id))["deputy"]
    with pytest.raises(Conflict) as caught:
        async with UnitOfWork(f.OPERATOR) as uow:
            await uow.repo(ContactPerson).update(deputy["id"], valid_to=dt.datetime.now(dt.UTC))
            await check_contacts_now(uow)  # the constraint trigger's COMMIT-time check, run now
    assert caught.value.extra["constraint"] == "tenant_contacts_complete"
    assert (await current(t.id))["deputy"]["id"] == deputy["id"]


async def test_the_database_refuses_deleting_a_current_contact():
    t = await f.make_tenant()
    primary = (await current(t.id))["primary"]
    with pytest.raises(Conflict):
        async with UnitOfWork(f.OPERATOR) as uow:
            await uow.repo(ContactPerson).delete(primary["id"])
            await check_contacts_now(uow)
    assert (await current(t.id))["primary"]["id"] == primary["id"]


async def test_the_database_refuses_a_second_current_primary():
    t = await f.make_tenant()
    with pytest.raises(Conflict) as caught:
        async with UnitOfWork(f.OPERATOR) as uow:
            await uow.repo(ContactPerson).add(
                id=uuid.uuid4(),
                tenant_id=t.id,
                role="primary",
                name="二人目",
                email="second@example.go.jp",
                valid_from=dt.datetime.now(dt.UTC),
            )
    assert caught.value.extra["constraint"] == "contact_person_one_current"
    assert len(await current(t.id)) == 2


async def test_the_database_refuses_an_active_tenant_without_contacts():
    tid = await f.make_applicant()
    with pytest.raises(Conflict):
        async with UnitOfWork(f.OPERATOR) as uow:
            await uow.execute("UPDATE tenant SET status = 'active' WHERE id = $1", tid)  # past the state machine
            await check_contacts_now(uow)
    async with UnitOfWork(f.OPERATOR) as uow:
        assert await uow.fetchval("SELECT status FROM tenant WHERE id = $1", tid) == "applied"


async def test_a_violation_found_at_commit_is_a_conflict_and_leaks_nothing():
    t = await f.make_tenant()
    deputy = (await current(t.id))["deputy"]
    in_use = DB.pool.get_size() - DB.pool.get_idle_size()
    with pytest.raises(Conflict) as caught:
        async with UnitOfWork(f.OPERATOR) as uow:  # no check_contacts_now(): the trigger fires at COMMIT
            await uow.repo(ContactPerson).update(deputy["id"], valid_to=dt.datetime.now(dt.UTC))
    assert caught.value.extra["constraint"] == "tenant_contacts_complete"
    assert DB.pool.get_size() - DB.pool.get_idle_size() == in_use  # the connection went back to the pool
    assert (await current(t.id))["deputy"]["id"] == deputy["id"]  # and this task can open the next one


async def test_agency_admin_reads_own_contacts_only_and_cannot_change_them(client):
    t, other = await f.make_tenant(), await f.make_tenant()
    h = f.csrf_headers(await f.sign_in(client, t.admin_login))
    assert len((await client.get(f"{API}/{t.id}/contacts")).json()) == 2
    assert len((await client.get(f"{API}/{t.id}/contacts/history")).json()) == 2
    assert (await client.get(f"{API}/{other.id}/contacts")).status_code == 404
    assert (await client.get(f"{API}/{other.id}/contacts/history")).status_code == 404
    r = await client.post(f"{API}/{t.id}/contacts", headers=h, json=person("primary", "勝手に"))
    assert r.status_code == 403  # GOV-6: changed by the operator's procedure
    assert (await current(t.id))["primary"]["name"] == "主 担当"


async def test_gov3_constituent_needs_the_bulk_contract_and_is_active_at_once(client):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    code = f.unique("m")
    body = {
        "tenant": {"code": code, "name_ja": "テスト省", "bulk_contract_id": str(uuid.uuid4())},
        "contacts": both(code),
    }
    r = await client.post(f"{API}/constituents", headers=h, json=body)
    assert r.status_code == 404 and "bulk_contract" in r.json()["detail"]
    body["tenant"]["bulk_contract_id"] = "not-a-uuid"
    r = await client.post(f"{API}/constituents", headers=h, json=body)
    assert r.status_code in (400, 422) and r.json()["errors"][0]["field"] == "tenant.bulk_contract_id"
    del body["contacts"]["deputy"]
    body["tenant"]["bulk_contract_id"] = str(await f.bulk_contract_id())
    assert (await client.post(f"{API}/constituents", headers=h, json=body)).status_code in (400, 422)
    assert code not in {t["code"] for t in (await client.get(API)).json()}  # nothing half-written

    mark = await f.outbox_mark()
    body["contacts"] = both(code)
    r = await client.post(f"{API}/constituents", headers=h, json=body)
    assert r.status_code == 201, r.text
    t = r.json()
    assert (t["kind"], t["status"], t["bulk_contract_id"]) == ("constituent", "active", str(await f.bulk_contract_id()))
    contacts = (await client.get(f"{API}/{t['id']}/contacts")).json()
    assert sorted((c["role"], c["name"]) for c in contacts) == [("deputy", f"副 {code}"), ("primary", f"主 {code}")]
    assert [e.action for e in await f.audit_events(mark, uuid.UUID(t["id"]))] == [
        "contact.changed",
        "contact.changed",
        "tenant.constituent_created",
    ]
