import datetime as dt
from tests.support import factories as f
from tests.support.factories import client  # noqa: F401
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope

async def test_probe(client):
    t = await f.make_tenant()
    csrf = await f.sign_in(client, t.admin_login)
    r = await client.get(f"/api/auth/tenants/{t.id}/users")
    print("admin list users", r.status_code, r.text[:300])
    r = await client.get("/api/auth/masters/agencies")
    print("admin masters", r.status_code, r.text[:200])
    # activation without contacts
    client.cookies.clear(); op = await f.operator_client_csrf(client)
    h = {"X-CSRF-Token": op}
    aid = await f.make_applicant()
    r = await client.post(f"/api/auth/tenants/{aid}/admission-decision", json={"outcome": "approved", "decided_on": "2026-05-01", "reference": "d-" + str(aid)}, headers=h)
    print("decide", r.status_code, r.text[:200])
    r = await client.post(f"/api/auth/tenants/{aid}/contract", json={"reference": "c-" + str(aid), "signed_on": "2026-05-02", "starts_on": "2026-05-02"}, headers=h)
    print("contract", r.status_code)
    r = await client.post(f"/api/auth/tenants/{aid}/activate", headers=h)
    print("activate without contacts", r.status_code, r.headers.get("content-type"), r.text[:400])
    r = await client.put("/api/auth/masters/statistics", json={"code": "1234567", "name_ja": "x", "agency_code": "00200"}, headers=h)
    print("bad stat", r.status_code, r.text[:400])
    r = await client.delete("/api/auth/masters/divisions/not-a-uuid", headers=h)
    print("bad div delete", r.status_code, r.text[:200])
    r = await client.delete("/api/auth/masters/agencies/00200", headers=h)
    print("referenced agency delete", r.status_code, r.text[:300])
    r = await client.post(f"/api/auth/tenants/{t.id}/subscriptions", json={"module_key": "nosuch"}, headers=h)
    print("unknown module", r.status_code, r.text[:300])
    assert False
