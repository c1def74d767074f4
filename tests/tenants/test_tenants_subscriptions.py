"""GOV-1: tenants subscribe to the subsystems they use; the gateway serves only those (PLAT-2)."""

import datetime as dt
import uuid

from govstat.gateway.subscriptions import tenant_profile
from govstat.platform.cache import SUBSCRIPTIONS_KEY, redis_client
from govstat.platform.clock import today_jst
from govstat.platform.db.uow import UnitOfWork
from govstat.tenants import schemas
from govstat.tenants.subscriptions import end_all_subscriptions, subscribe
from tests.support import factories as f

API = "/api/auth/tenants"
EXPORT = "/api/area/export"  # an agency route of the area module: needs the subscription


async def open_rows(tenant_id: uuid.UUID) -> list[dict]:
    """Subscriptions that serve, or will serve, some day from today on."""
    async with UnitOfWork(f.OPERATOR) as uow:
        rows = await uow.fetch(
            "SELECT module_key, starts_on, ends_on FROM subscription WHERE tenant_id = $1"
            " AND (ends_on IS NULL OR ends_on > greatest(starts_on, current_date))",
            tenant_id,
        )
    return [dict(r) for r in rows]


async def cached(tenant_id: uuid.UUID) -> bool:
    return bool(await redis_client().exists(SUBSCRIPTIONS_KEY.format(tenant_id)))


async def test_subscribing_to_an_unknown_module_is_422_naming_module_key(client):
    t = await f.make_tenant(modules=())
    h = f.csrf_headers(await f.operator_client_csrf(client))
    mark = await f.outbox_mark()
    for key in ("nosuch", "auth"):  # `auth` is the platform's own, not a subsystem one subscribes to
        r = await client.post(f"{API}/{t.id}/subscriptions", headers=h, json={"module_key": key})
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in r.json()["errors"]] == ["module_key"]
    r = await client.post(f"{API}/{t.id}/subscriptions", headers=h, json={"module_key": "Area!"})
    assert r.status_code in (400, 422) and r.json()["errors"][0]["field"] == "module_key"
    assert await open_rows(t.id) == [] and await f.audit_events(mark, t.id) == []


async def test_subscribe_and_unsubscribe_change_the_gateway_profile_and_clear_its_cache(client):
    t = await f.make_tenant(modules=())
    h = f.csrf_headers(await f.operator_client_csrf(client))
    assert (await tenant_profile(t.id)).modules == frozenset() and await cached(t.id)

    mark = await f.outbox_mark()
    r = await client.post(f"{API}/{t.id}/subscriptions", headers=h, json={"module_key": "area"})
    assert r.status_code == 201 and r.json()["starts_on"] == today_jst().isoformat()
    assert not await cached(t.id)  # invalidated after the commit
    assert (await tenant_profile(t.id)).modules == {"area"}
    assert [s["module_key"] for s in (await client.get(f"{API}/{t.id}/subscriptions")).json()] == ["area"]

    r = await client.delete(f"{API}/{t.id}/subscriptions/area", headers=h)
    assert r.status_code == 200 and r.json()["ends_on"] == today_jst().isoformat()
    assert not await cached(t.id)
    assert (await tenant_profile(t.id)).modules == frozenset()
    assert (await client.get(f"{API}/{t.id}/subscriptions")).json() == []

    events = await f.audit_events(mark, t.id, "subscription.")
    assert [(e.action, e.detail["module_key"]) for e in events] == [
        ("subscription.started", "area"),
        ("subscription.ended", "area"),
    ]


async def test_staff_of_an_unsubscribed_tenant_get_403_on_the_modules_routes(client, app):
    t = await f.make_tenant(modules=("area",))
    async with f.another_client(app) as staff:
        await f.sign_in(staff, t.staff_login)
        r = await staff.get(EXPORT)
        assert r.status_code == 200 and r.text.startswith("\ufeff標準地域コード")

        h = f.csrf_headers(await f.operator_client_csrf(client))
        assert (await client.delete(f"{API}/{t.id}/subscriptions/area", headers=h)).status_code == 200
        r = await staff.get(EXPORT)  # at once: the cached profile was dropped
        assert r.status_code == 403 and "area" in r.json()["detail"]

        r = await client.post(f"{API}/{t.id}/subscriptions", headers=h, json={"module_key": "area"})
        assert r.status_code == 201
        assert (await staff.get(EXPORT)).status_code == 200  # subscribing again serves it again


async def test_api_keys_follow_the_subscription_too(client):
    t = await f.make_tenant(modules=())
    bearer = {"Authorization": f"Bearer {await f.api_key(t.id)}"}
    assert (await client.get(EXPORT, headers=bearer)).status_code == 403
    async with UnitOfWork(f.OPERATOR) as uow:
        await subscribe(uow, t.id, schemas.SubscriptionIn(module_key="area"), {"area"})
    assert (await client.get(EXPORT, headers=bearer)).status_code == 200


async def test_a_module_can_be_subscribed_only_once_at_a_time(client):
    t = await f.make_tenant(modules=("area",))
    h = f.csrf_headers(await f.operator_client_csrf(client))
    r = await client.post(f"{API}/{t.id}/subscriptions", headers=h, json={"module_key": "area"})
    assert r.status_code == 409
    assert len(await open_rows(t.id)) == 1


async def test_unsubscribing_what_is_not_subscribed_is_404(client):
    t = await f.make_tenant(modules=())
    h = f.csrf_headers(await f.operator_client_csrf(client))
    assert (await client.delete(f"{API}/{t.id}/subscriptions/area", headers=h)).status_code == 404


async def test_a_tenant_not_yet_contracted_cannot_subscribe(client):
    tid = await f.make_applicant()
    h = f.csrf_headers(await f.operator_client_csrf(client))
    r = await client.post(f"{API}/{tid}/subscriptions", headers=h, json={"module_key": "area"})
    assert r.status_code == 409 and r.json()["type"].endswith("/invalid-transition")
    assert await open_rows(tid) == []


async def test_agency_admin_reads_own_subscriptions_but_only_the_operator_changes_them(client):
    t, other = await f.make_tenant(modules=("area",)), await f.make_tenant()
    h = f.csrf_headers(await f.sign_in(client, t.admin_login))
    assert [s["module_key"] for s in (await client.get(f"{API}/{t.id}/subscriptions")).json()] == ["area"]
    assert (await client.get(f"{API}/{other.id}/subscriptions")).status_code == 404
    assert (await client.delete(f"{API}/{t.id}/subscriptions/area", headers=h)).status_code == 403
    assert (await client.post(f"{API}/{t.id}/subscriptions", headers=h, json={"module_key": "area"})).status_code == 403
    assert len(await open_rows(t.id)) == 1


async def test_a_future_subscription_starts_on_its_date():
    t = await f.make_tenant(modules=())
    later = today_jst() + dt.timedelta(days=30)
    async with UnitOfWork(f.OPERATOR) as uow:
        await subscribe(uow, t.id, schemas.SubscriptionIn(module_key="area", starts_on=later), {"area"})
    assert (await tenant_profile(t.id)).modules == frozenset()
    assert [r["starts_on"] for r in await open_rows(t.id)] == [later]


async def test_ending_all_subscriptions_also_ends_those_not_started_yet():
    t = await f.make_tenant(modules=("area",))
    later = today_jst() + dt.timedelta(days=30)
    async with UnitOfWork(f.OPERATOR) as uow:
        await uow.execute("UPDATE subscription SET ends_on = current_date WHERE tenant_id = $1", t.id)
        await subscribe(uow, t.id, schemas.SubscriptionIn(module_key="area", starts_on=later), {"area"})
    async with UnitOfWork(f.OPERATOR) as uow:
        await end_all_subscriptions(uow, t.id, today_jst())
    assert await open_rows(t.id) == []  # nothing would start after the contract ended
