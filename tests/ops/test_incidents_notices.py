"""PLAT-1 for incidents: notices, deliveries and 'affected' rows belong to one tenant each; another
tenant never sees them, not even with raw SQL inside its own scope. Agencies read the incidents
that affect them and their notices, and change nothing but the read mark."""

import uuid

import pytest

from govstat.ops.incidents import service
from govstat.ops.incidents.schemas import TransitionIn
from govstat.ops.incidents.tables import Notice
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from tests.support import factories as f

OPERATOR = Scope(role="operator", actor="test-notices")


@pytest.fixture
async def incident(client):
    """A manual statdb incident: tenant `a` uses statdb, tenant `b` does not."""
    a, b = await f.make_tenant(modules=("statdb",)), await f.make_tenant(modules=("area",))
    h = f.csrf_headers(await f.operator_client_csrf(client))
    r = await client.post(
        "/api/ops/incidents",
        headers=h,
        json={
            "module_key": "statdb",
            "severity": "major",
            "title": "統計データベースの登録が失敗する / statdb ingest fails",
            "public_note": "一部の登録が失敗しています。/ Some ingests fail.",
        },
    )
    assert r.status_code == 201, r.text
    inc = r.json()
    yield inc, a, b
    async with UnitOfWork(OPERATOR) as uow:  # recovered: statdb is operational for the next test
        for to in ("investigating", "monitoring", "recovered"):
            await service.transition(uow, CATALOG, uuid.UUID(inc["id"]), TransitionIn(to=to))


async def test_notices_are_visible_only_to_the_affected_tenant_even_with_raw_sql(incident):
    inc, a, b = incident
    iid = uuid.UUID(inc["id"])
    async with UnitOfWork(Scope.tenant(a.id)) as uow:
        [mine] = await uow.fetch("SELECT * FROM notice WHERE incident_id = $1", iid)
        assert mine["tenant_id"] == a.id and mine["title"].startswith("【障害発生】")
        assert await uow.fetchval("SELECT count(*) FROM incident_affected WHERE incident_id = $1", iid) == 1
        assert await uow.fetchval("SELECT count(*) FROM incident_notification WHERE incident_id = $1", iid) == 2
    async with UnitOfWork(Scope.tenant(b.id)) as uow:
        # no WHERE on the tenant: row-level security alone hides a's rows
        assert await uow.fetchval("SELECT count(*) FROM notice WHERE incident_id = $1", iid) == 0
        assert await uow.fetchval("SELECT count(*) FROM notice WHERE tenant_id = $1", a.id) == 0
        assert {r["tenant_id"] for r in await uow.fetch("SELECT tenant_id FROM notice")} <= {b.id}
        assert await uow.fetchval("SELECT count(*) FROM incident_affected WHERE tenant_id = $1", a.id) == 0
        assert await uow.fetchval("SELECT count(*) FROM incident_notification WHERE tenant_id = $1", a.id) == 0
        assert await uow.fetch("UPDATE notice SET read_at = now() WHERE tenant_id = $1 RETURNING id", a.id) == []
        assert await uow.fetch("DELETE FROM notice WHERE incident_id = $1 RETURNING id", iid) == []
        assert await uow.repo(Notice).find(Notice.incident_id == iid) == []
        # the incident itself is public (the status page shows it); the working timeline is not
        assert await uow.fetchval("SELECT count(*) FROM incident WHERE id = $1", iid) == 1
        assert await uow.fetchval("SELECT count(*) FROM incident_public_update WHERE incident_id = $1", iid) == 1
        assert await uow.fetchval("SELECT count(*) FROM incident_timeline WHERE incident_id = $1", iid) == 0
    with pytest.raises(NotFound):  # writing a notice for another tenant: refused
        async with UnitOfWork(Scope.tenant(b.id)) as uow:
            await uow.execute(
                "INSERT INTO notice (id, tenant_id, title, body) VALUES ($1, $2, 'x', 'y')", uuid.uuid4(), a.id
            )
    async with UnitOfWork(Scope(role="anonymous")) as uow:  # no scope at all: nothing
        assert await uow.fetchval("SELECT count(*) FROM notice") == 0
        assert await uow.fetchval("SELECT count(*) FROM incident_affected") == 0


async def test_agencies_read_their_incidents_and_notices_and_mark_them_read(incident, app):
    inc, a, b = incident
    async with f.another_client(app) as agency_a, f.another_client(app) as agency_b:
        csrf_a = await f.sign_in(agency_a, a.admin_login)
        csrf_b = await f.sign_in(agency_b, b.staff_login)
        notices = (await agency_a.get("/api/ops/notices")).json()
        [notice] = [n for n in notices["items"] if n["incident_id"] == inc["id"]]
        assert notice["title"].startswith("【障害発生】") and inc["title"] in notice["body"]
        assert [
            n for n in (await agency_b.get("/api/ops/notices")).json()["items"] if n["incident_id"] == inc["id"]
        ] == []
        assert (
            await agency_b.post(f"/api/ops/notices/{notice['id']}/read", headers=f.csrf_headers(csrf_b))
        ).status_code == 404
        r = await agency_a.post(f"/api/ops/notices/{notice['id']}/read", headers=f.csrf_headers(csrf_a))
        assert r.status_code == 200 and r.json()["read_at"] is not None
        unread = (await agency_a.get("/api/ops/notices", params={"unread": "true"})).json()["items"]
        assert notice["id"] not in {n["id"] for n in unread}

        page = await agency_a.get("/ops/notices")
        assert page.status_code == 200 and f'id="notice-{notice["id"]}"' in page.text
        listed = await agency_a.get("/ops/incidents")
        assert listed.status_code == 200 and inc["ref"] in listed.text and "open-incident" not in listed.text
        detail = await agency_a.get(f"/ops/incidents/{inc['id']}")
        assert (
            detail.status_code == 200 and "Some ingests fail." in detail.text and 'id="transition"' not in detail.text
        )
        assert (await agency_b.get(f"/ops/incidents/{inc['id']}")).status_code == 404
        assert inc["ref"] not in (await agency_b.get("/ops/incidents")).text

        for method, path in (
            ("post", "/api/ops/incidents"),
            ("post", f"/api/ops/incidents/{inc['id']}/transition"),
            ("put", f"/api/ops/incidents/{inc['id']}/review"),
        ):
            r = await getattr(agency_a, method)(path, headers=f.csrf_headers(csrf_a), json={})
            assert r.status_code == 403, (path, r.text)

    # anonymous callers see the public status only
    async with f.another_client(app) as anonymous:
        assert (await anonymous.get("/api/ops/incidents")).status_code == 401
        assert (await anonymous.get("/api/ops/notices")).status_code == 401
        assert (await anonymous.get("/api/status")).status_code == 200
