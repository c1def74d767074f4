"""PLAT-2: authentication, roles, subscriptions, CSRF, sign-in lockout, metering, through the real app."""

import uuid

from govstat.platform.cache import redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import decode
from govstat.platform.security import Scope
from govstat.tenants import schemas, subscriptions
from tests.support.factories import OPERATOR, api_key, make_tenant, sign_in


async def test_anonymous_gets_401_problem_on_protected_route(client):
    r = await client.get("/api/area/export")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/unauthenticated")


async def test_subscribed_agency_staff_reach_the_agency_api(client):
    t = await make_tenant(modules=("area",))
    await sign_in(client, t.staff_login)
    r = await client.get("/api/area/export", params={"date": "2024-05-26"})
    assert r.status_code == 200 and r.text.startswith("\ufeff標準地域コード")
    assert "奈良県" in r.text


async def test_no_subscription_is_403(client):
    t = await make_tenant(modules=())
    await sign_in(client, t.staff_login)
    r = await client.get("/api/area/export")
    assert r.status_code == 403 and "area" in r.json()["detail"]


async def test_unsubscribing_takes_effect_at_once(client):
    t = await make_tenant(modules=("area",))
    await sign_in(client, t.staff_login)
    assert (await client.get("/api/area/export")).status_code == 200
    async with UnitOfWork(OPERATOR) as uow:
        await subscriptions.unsubscribe(uow, t.id, "area")
    assert (await client.get("/api/area/export")).status_code == 403
    async with UnitOfWork(OPERATOR) as uow:
        await subscriptions.subscribe(uow, t.id, schemas.SubscriptionIn(module_key="area"), {"area"})
    assert (await client.get("/api/area/export")).status_code == 200


async def test_role_is_checked(client):
    t = await make_tenant()
    csrf = await sign_in(client, t.admin_login)
    r = await client.post("/api/area/reload", headers={"x-csrf-token": csrf})
    assert r.status_code == 403 and r.json()["type"].endswith("/forbidden")


async def test_api_key_for_agency_systems(client):
    t = await make_tenant()
    token = await api_key(t.id)
    r = await client.get("/api/area/export", headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 200
    bad = await client.get("/api/area/export", headers={"x-api-key": token[:-2] + "xx"})
    assert bad.status_code == 401


async def test_cookie_writes_need_the_csrf_token(client):
    t = await make_tenant()
    csrf = await sign_in(client, t.admin_login)
    body = {
        "login": f"u{uuid.uuid4().hex[:8]}",
        "display_name": "x",
        "password": "long-enough-password",
        "roles": ["agency_staff"],
    }
    no_token = await client.post(f"/api/auth/tenants/{t.id}/users", json=body)
    assert no_token.status_code == 403 and "CSRF" in no_token.json()["detail"]
    ok = await client.post(f"/api/auth/tenants/{t.id}/users", json=body, headers={"x-csrf-token": csrf})
    assert ok.status_code == 201, ok.text


async def test_cross_tenant_ids_answer_404(client):
    a, b = await make_tenant(), await make_tenant()
    await sign_in(client, a.admin_login)
    assert (await client.get(f"/api/auth/tenants/{b.id}")).status_code == 404
    assert (await client.get(f"/api/auth/tenants/{b.id}/users")).status_code == 404
    assert (await client.get(f"/api/auth/tenants/{a.id}")).status_code == 200


async def test_sign_in_failures_lock_out_and_are_audited(client):
    t = await make_tenant()
    for _ in range(5):
        r = await client.post("/auth/login", json={"login": t.staff_login, "password": "wrong-password!!"})
        assert r.status_code == 401
    r = await client.post("/auth/login", json={"login": t.staff_login, "password": "correct-horse-battery-staple"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    async with UnitOfWork(Scope.system()) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE kind = 'audit' ORDER BY seq DESC LIMIT 50")
    failed = [
        p
        for p in (decode(r["payload"]).payload for r in rows)
        if p.action == "auth.sign_in_failed" and p.detail.get("login") == t.staff_login
    ]
    assert len(failed) == 6 and {p.detail["reason"] for p in failed} == {"bad_credentials", "locked"}
    await redis_client().delete(f"govstat:signin-fail:login:{t.staff_login}")


async def test_portal_lists_the_subscribed_subsystems(client):
    t = await make_tenant(modules=("area",))
    await sign_in(client, t.staff_login)
    r = await client.get("/portal")
    assert r.status_code == 200 and "標準地域コード管理システム" in r.text
    t2 = await make_tenant(modules=())
    await sign_in(client, t2.staff_login)
    r = await client.get("/portal")
    assert "標準地域コード管理システム" not in r.text and "利用登録されたサブシステムはありません" in r.text
