"""MIC (総務省) oversees the bulk contract and the tenants: it reads every tenant's record, contracts,
council decisions and subscriptions, and changes nothing of other tenants."""

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.root.seed import demo_password
from govstat.platform.security import Scope
from govstat.tenants.tables import ContactPerson, Subscription, Tenant
from tests.support.factories import make_tenant, sign_in


async def test_mic_reads_every_tenant_and_its_contract_data(client):
    other = await make_tenant(modules=("area",))
    csrf = await sign_in(client, "mic-oversight", demo_password("mic-oversight"))
    listing = await client.get("/api/auth/tenants")
    assert listing.status_code == 200
    codes = {t["code"] for t in listing.json()}
    assert {"mic", "maff", "meti", "nara-pref", "kobe-city", other.code} <= codes
    detail = await client.get(f"/api/auth/tenants/{other.id}")
    assert detail.status_code == 200 and [s["module_key"] for s in detail.json()["subscriptions"]] == ["area"]
    assert detail.json()["contacts"] == []  # people's contact data is not part of oversight
    refused = await client.post(f"/api/auth/tenants/{other.id}/activate", headers={"x-csrf-token": csrf})
    assert refused.status_code == 403


async def test_oversight_is_read_only_and_only_for_the_marked_tables():
    other = await make_tenant()
    async with UnitOfWork(Scope(tenant_id=None, role="mic", actor="test")) as uow:
        assert await uow.repo(Tenant).get(other.id)
        assert await uow.repo(Subscription).count(Subscription.tenant_id == other.id) == 1
        assert await uow.repo(ContactPerson).count(ContactPerson.tenant_id == other.id) == 0
        changed = await uow.fetch(
            "UPDATE subscription SET ends_on = current_date WHERE tenant_id = $1 RETURNING id", other.id
        )
        assert changed == []  # RLS: reading across tenants, never writing
    async with UnitOfWork(Scope(tenant_id=None, role="agency", actor="test")) as uow:
        assert await uow.repo(Tenant).first(Tenant.id == other.id) is None
