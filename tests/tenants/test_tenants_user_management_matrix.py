"""Who may manage whom (hardening issue 8): a non-operator changes only users (and API keys) whose
current roles are all roles it may grant; `mic` and `operator` are the operator's alone.

The table is walked in full: caller x target user's roles x operation -> expected status."""

from __future__ import annotations

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.root.seed import demo_password
from govstat.tenants import schemas, users
from tests.support import factories as f

API = "/api/auth"
GRANTABLE = {"agency_admin", "agency_staff", "intermediary"}
TARGETS = (("agency_staff",), ("agency_admin",), ("intermediary",), ("mic",), ("agency_admin", "mic"))
CALLERS = ("operator", "admin", "admin_key", "staff", "mic", "public", "anonymous")


async def _target(tenant_id: uuid.UUID, roles: tuple[str, ...]) -> uuid.UUID:
    async with UnitOfWork(f.OPERATOR) as uow:
        row = await users.create_user(
            uow,
            tenant_id,
            schemas.UserIn(login=f.unique("m"), display_name="対象", password=f.PASSWORD, roles=list(roles)),
        )
    return row.id


def _expected(caller: str, allowed: bool, ok: int) -> int:
    if caller == "anonymous":
        return 401
    if caller in ("staff", "mic", "public"):
        return 403  # the gateway: the route is the operator's and the agency administrators'
    if caller == "operator":
        return ok
    return ok if allowed else 403


async def _caller_headers(client, caller: str, t: f.TenantFixture, mic_login: str) -> dict[str, str]:
    client.cookies.clear()
    if caller == "operator":
        return f.csrf_headers(await f.operator_client_csrf(client))
    if caller == "admin":
        return f.csrf_headers(await f.sign_in(client, t.admin_login))
    if caller == "admin_key":
        return {"Authorization": f"Bearer {await f.api_key(t.id, roles=('agency_admin',))}"}
    if caller == "staff":
        return f.csrf_headers(await f.sign_in(client, t.staff_login))
    if caller == "mic":
        return f.csrf_headers(await f.sign_in(client, mic_login))
    if caller == "public":
        login = f.unique("p")
        r = await client.post(
            "/api/account/register",
            json={"login": login, "display_name": "一般", "email": f"{login}@example.jp", "password": f.PASSWORD},
        )
        assert r.status_code == 201, r.text
        return f.csrf_headers(await f.sign_in(client, login))
    return {}


async def test_user_management_matrix(client):
    t = await f.make_tenant()
    mic_login = f.unique("mic")
    async with UnitOfWork(f.OPERATOR) as uow:
        await users.create_user(
            uow, t.id, schemas.UserIn(login=mic_login, display_name="総務省 監督", password=f.PASSWORD, roles=["mic"])
        )
    targets = {roles: await _target(t.id, roles) for roles in TARGETS}
    async with UnitOfWork(f.OPERATOR) as uow:
        keys = []
        for _ in CALLERS:
            created = await users.create_api_key(uow, t.id, schemas.ApiKeyIn(name="k", roles=["agency_staff"]), "")
            keys.append(created.id)

    got: dict[tuple, int] = {}
    expected: dict[tuple, int] = {}
    for n, caller in enumerate(CALLERS):
        h = await _caller_headers(client, caller, t, mic_login)
        for roles, user_id in targets.items():
            allowed = set(roles) <= GRANTABLE
            patches = {
                "password": {"password": "another-long-secret-2026"},
                "email": {"email": "x@example.jp"},
                "status": {"status": "active"},
                "display_name": {"display_name": "改名"},
                "roles": {"roles": list(roles)},
            }
            for op, body in patches.items():
                r = await client.patch(f"{API}/users/{user_id}", headers=h, json=body)
                got[(caller, roles, f"patch {op}")] = r.status_code
                expected[(caller, roles, f"patch {op}")] = _expected(caller, allowed, 200)
            body = {"login": f.unique("c"), "display_name": "新規", "password": f.PASSWORD, "roles": list(roles)}
            r = await client.post(f"{API}/tenants/{t.id}/users", headers=h, json=body)
            got[(caller, roles, "create")] = r.status_code
            expected[(caller, roles, "create")] = _expected(caller, allowed, 201)
        for roles in (("agency_staff",), ("agency_admin",)):
            r = await client.post(f"{API}/tenants/{t.id}/api-keys", headers=h, json={"name": "n", "roles": list(roles)})
            got[(caller, roles, "create key")] = r.status_code
            expected[(caller, roles, "create key")] = _expected(caller, True, 201)
        r = await client.delete(f"{API}/api-keys/{keys[n]}", headers=h)
        got[(caller, ("agency_staff",), "revoke key")] = r.status_code
        expected[(caller, ("agency_staff",), "revoke key")] = _expected(caller, True, 200)
        r = await client.get(f"{API}/tenants/{t.id}/users", headers=h)
        got[(caller, (), "list")] = r.status_code
        expected[(caller, (), "list")] = _expected(caller, True, 200)
    wrong = {k: (got[k], v) for k, v in expected.items() if got[k] != v}
    assert wrong == {}, f"{len(wrong)} of {len(expected)} cells differ (got, expected): {wrong}"
    assert len(expected) == len(CALLERS) * (len(TARGETS) * 6 + 4)


async def test_an_agency_admin_cannot_take_over_the_mic_oversight_account(client):
    """The reproduced finding: mic-admin set mic-oversight's password and then listed every tenant."""
    async with UnitOfWork(f.OPERATOR) as uow:
        victim = await uow.fetchval("SELECT id FROM app_user WHERE login = 'mic-oversight'")
    h = f.csrf_headers(await f.sign_in(client, "mic-admin", demo_password("mic-admin")))
    for body in (
        {"password": "taken-over-password-2026"},
        {"email": "attacker@example.jp"},
        {"status": "disabled"},
        {"roles": ["agency_staff"]},
    ):
        r = await client.patch(f"{API}/users/{victim}", headers=h, json=body)
        assert r.status_code == 403, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    client.cookies.clear()
    r = await client.post("/auth/login", json={"login": "mic-oversight", "password": "taken-over-password-2026"})
    assert r.status_code == 401
    await f.sign_in(client, "mic-oversight", demo_password("mic-oversight"))  # unchanged and still active
