"""AUTH-1, AUTH-2: users with roles and argon2id passwords, agency administrators inside their own
tenant, and API keys for agencies' systems (shown once, stored hashed, revocable at once)."""

import uuid

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.tenants.apikeys import hash_token
from tests.support import factories as f

API = "/api/auth"


def new_user(*roles: str) -> dict:
    return {
        "login": f.unique("u"),
        "display_name": "新しい職員",
        "password": "a-long-enough-secret",
        "roles": list(roles) or ["agency_staff"],
    }


async def user_row(login: str) -> dict | None:
    async with UnitOfWork(f.OPERATOR) as uow:
        row = await uow.fetchrow(
            "SELECT id, tenant_id, password_hash, roles, status FROM app_user WHERE login = $1", login
        )
    return dict(row) if row else None


async def test_passwords_are_stored_as_argon2id_and_never_shown(client):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.operator_client_csrf(client))
    body = new_user("agency_admin")
    mark = await f.outbox_mark()
    r = await client.post(f"{API}/tenants/{t.id}/users", headers=h, json=body)
    assert r.status_code == 201, r.text
    assert "password" not in r.text and "hash" not in r.text
    row = await user_row(body["login"])
    assert row["password_hash"].startswith("$argon2id$") and body["password"] not in row["password_hash"]
    assert (row["tenant_id"], row["roles"]) == (t.id, ["agency_admin"])
    listed = (await client.get(f"{API}/tenants/{t.id}/users")).json()
    assert all("password_hash" not in u for u in listed) and body["login"] in {u["login"] for u in listed}
    [event] = await f.audit_events(mark, t.id, "user.")
    assert (event.action, event.target_id, event.detail["roles"]) == ("user.created", r.json()["id"], ["agency_admin"])
    await f.sign_in(client, body["login"], body["password"])


async def test_short_password_is_refused(client):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.operator_client_csrf(client))
    r = await client.post(f"{API}/tenants/{t.id}/users", headers=h, json={**new_user(), "password": "short"})
    assert r.status_code in (400, 422) and r.json()["errors"][0]["field"] == "password"


async def test_agency_admin_creates_staff_in_own_tenant(client):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.sign_in(client, t.admin_login))
    body = new_user("agency_staff", "intermediary")
    r = await client.post(f"{API}/tenants/{t.id}/users", headers=h, json=body)
    assert r.status_code == 201, r.text
    assert (await user_row(body["login"]))["tenant_id"] == t.id
    me = await client.post("/auth/login", json={"login": body["login"], "password": body["password"]})
    assert me.status_code == 200 and me.json()["tenant_id"] == str(t.id)


async def test_agency_admin_gets_404_for_another_tenant(client):
    t, other = await f.make_tenant(), await f.make_tenant()
    victim = await user_row(other.staff_login)
    h = f.csrf_headers(await f.sign_in(client, t.admin_login))
    body = new_user()
    assert (await client.post(f"{API}/tenants/{other.id}/users", headers=h, json=body)).status_code == 404
    assert (await client.get(f"{API}/tenants/{other.id}/users")).status_code == 404
    assert (await client.get(f"{API}/tenants/{other.id}")).status_code == 404
    r = await client.patch(f"{API}/users/{victim['id']}", headers=h, json={"status": "disabled"})
    assert r.status_code == 404
    assert await user_row(body["login"]) is None and (await user_row(other.staff_login))["status"] == "active"


@pytest.mark.parametrize("roles", [["operator"], ["mic"], ["agency_staff", "operator"]])
async def test_agency_admin_cannot_grant_operator_or_mic_roles(client, roles):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.sign_in(client, t.admin_login))
    body = new_user(*roles)
    r = await client.post(f"{API}/tenants/{t.id}/users", headers=h, json=body)
    assert r.status_code == 403, r.text
    assert await user_row(body["login"]) is None
    staff = await user_row(t.staff_login)
    r = await client.patch(f"{API}/users/{staff['id']}", headers=h, json={"roles": roles})
    assert r.status_code == 403
    assert (await user_row(t.staff_login))["roles"] == ["agency_staff"]


async def test_agency_staff_cannot_manage_users(client):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.sign_in(client, t.staff_login))
    assert (await client.post(f"{API}/tenants/{t.id}/users", headers=h, json=new_user())).status_code == 403
    assert (await client.get(f"{API}/tenants/{t.id}/users")).status_code == 403


async def test_a_disabled_user_cannot_sign_in_and_their_open_session_ends(client, app):
    t = await f.make_tenant()
    staff = await user_row(t.staff_login)
    async with f.another_client(app) as session:
        await f.sign_in(session, t.staff_login)
        assert (await session.get(f"{API}/masters/agencies")).status_code == 200
        h = f.csrf_headers(await f.sign_in(client, t.admin_login))
        r = await client.patch(f"{API}/users/{staff['id']}", headers=h, json={"status": "disabled"})
        assert r.status_code == 200 and r.json()["status"] == "disabled"
        assert (await session.get(f"{API}/masters/agencies")).status_code == 401
        assert (await session.get("/api/me")).json()["kind"] == "anonymous"
        again = await session.post("/auth/login", json={"login": t.staff_login, "password": f.PASSWORD})
        assert again.status_code == 401


async def test_a_password_change_ends_open_sessions_and_the_old_password(client, app):
    t = await f.make_tenant()
    staff = await user_row(t.staff_login)
    async with f.another_client(app) as session:
        await f.sign_in(session, t.staff_login)
        h = f.csrf_headers(await f.operator_client_csrf(client))
        r = await client.patch(f"{API}/users/{staff['id']}", headers=h, json={"password": "a-brand-new-secret"})
        assert r.status_code == 200
        assert (await session.get(f"{API}/masters/agencies")).status_code == 401
        old = await session.post("/auth/login", json={"login": t.staff_login, "password": f.PASSWORD})
        assert old.status_code == 401
        await f.sign_in(session, t.staff_login, "a-brand-new-secret")


async def test_api_key_token_is_shown_once_and_stored_only_as_a_hash(client):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.sign_in(client, t.admin_login))
    mark = await f.outbox_mark()
    r = await client.post(
        f"{API}/tenants/{t.id}/api-keys", headers=h, json={"name": "集計システム", "roles": ["agency_staff"]}
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["token"].startswith(f"gsk_{created['prefix']}_")
    listed = (await client.get(f"{API}/tenants/{t.id}/api-keys")).json()
    assert [k["id"] for k in listed] == [created["id"]]
    assert all("token" not in k and "key_hash" not in k for k in listed)
    assert created["token"] not in (await client.get(f"{API}/tenants/{t.id}/api-keys")).text
    async with UnitOfWork(f.OPERATOR) as uow:
        row = await uow.fetchrow("SELECT key_hash, created_by FROM api_key WHERE id = $1", uuid.UUID(created["id"]))
    assert row["key_hash"] == hash_token(created["token"]) and created["token"] not in row["key_hash"]
    assert row["created_by"] == (await user_row(t.admin_login))["id"]
    [event] = await f.audit_events(mark, t.id, "api_key.")
    assert event.action == "api_key.created" and created["token"] not in str(event.detail)


async def test_api_key_works_as_bearer_and_revocation_stops_it_at_once(client, app):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.sign_in(client, t.admin_login))
    created = (
        await client.post(f"{API}/tenants/{t.id}/api-keys", headers=h, json={"name": "連携", "roles": ["agency_admin"]})
    ).json()
    bearer = {"Authorization": f"Bearer {created['token']}"}
    async with f.another_client(app) as system:
        r = await system.get(f"{API}/tenants/{t.id}/users", headers=bearer)
        assert r.status_code == 200 and {u["login"] for u in r.json()} >= {t.admin_login, t.staff_login}
        users_url = f"{API}/tenants/{t.id}/users"
        assert (await system.get(users_url, headers={"X-API-Key": created["token"]})).status_code == 200
        wrong = created["token"][:-4] + "AAAA"
        assert (await system.get(users_url, headers={"Authorization": f"Bearer {wrong}"})).status_code == 401

        mark = await f.outbox_mark()
        r = await client.delete(f"{API}/api-keys/{created['id']}", headers=h)
        assert r.status_code == 200 and r.json()["revoked_at"] and "key_hash" not in r.json()
        assert (await system.get(f"{API}/tenants/{t.id}/users", headers=bearer)).status_code == 401
        assert [e.action for e in await f.audit_events(mark, t.id, "api_key.")] == ["api_key.revoked"]


async def test_api_keys_of_another_tenant_are_404(client):
    t, other = await f.make_tenant(), await f.make_tenant()
    token = await f.api_key(other.id)
    async with UnitOfWork(f.OPERATOR) as uow:
        key_id = await uow.fetchval("SELECT id FROM api_key WHERE tenant_id = $1", other.id)
    h = f.csrf_headers(await f.sign_in(client, t.admin_login))
    assert (await client.delete(f"{API}/api-keys/{key_id}", headers=h)).status_code == 404
    assert (await client.get(f"{API}/tenants/{other.id}/api-keys")).status_code == 404
    assert (
        await client.post(
            f"{API}/tenants/{other.id}/api-keys", headers=h, json={"name": "x", "roles": ["agency_staff"]}
        )
    ).status_code == 404
    client.cookies.clear()
    r = await client.get(f"{API}/masters/agencies", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200  # still valid: nothing happened to it


async def test_a_system_with_an_admin_key_can_issue_keys(client):
    t = await f.make_tenant()
    token = await f.api_key(t.id, roles=("agency_admin",))
    r = await client.post(
        f"{API}/tenants/{t.id}/api-keys",
        headers={"Authorization": f"Bearer {token}"},
        json={"name": "子キー", "roles": ["agency_staff"]},
    )
    assert r.status_code == 201, r.text  # created_by names no person here (it references app_user)
    other = await f.make_tenant()
    r = await client.post(
        f"{API}/tenants/{other.id}/api-keys",
        headers={"Authorization": f"Bearer {token}"},
        json={"name": "x", "roles": ["agency_staff"]},
    )
    assert r.status_code == 404
