"""Planned maintenance: the operator schedules windows; inside one, a module's alerts are recorded as
suppressed (no incident, no notice, no e-mail); the status page says 'maintenance'."""

import datetime as dt
import uuid

from govstat.ops.incidents import maintenance, service
from govstat.ops.incidents.consumers import IncidentConsumer
from govstat.ops.incidents.schemas import TransitionIn
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import IncidentPayload, new_event
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from tests.support import factories as f

SYSTEM = Scope.system("test-maintenance")
MODULE = "classification"


def alert(ref: str, state: str, module: str = MODULE):
    return new_event(
        IncidentPayload(
            incident_id=ref,
            module=module,
            state=state,
            severity="critical",
            title=f"{module}: error budget burning fast (1h/5m)",
            detail={"rule": "1h/5m"},
        ),
        None,
    )


def iso(t: dt.datetime) -> str:
    return t.isoformat()


async def module_state(client, key: str) -> str:
    return next(m for m in (await client.get("/api/status")).json()["modules"] if m["key"] == key)["state"]


async def test_an_alert_inside_a_window_is_suppressed_and_raises_nothing(client):
    tenant = await f.make_tenant(modules=(MODULE,))
    h = f.csrf_headers(await f.operator_client_csrf(client))
    now = dt.datetime.now(dt.UTC)
    r = await client.post(
        "/api/ops/maintenance",
        headers=h,
        json={
            "module_key": MODULE,
            "starts_at": iso(now - dt.timedelta(minutes=5)),
            "ends_at": iso(now + dt.timedelta(hours=1)),
            "description": "分類データベースの版更新 / classification database upgrade",
        },
    )
    assert r.status_code == 201, r.text
    window = r.json()
    assert await module_state(client, MODULE) == "maintenance"
    status = (await client.get("/api/status")).json()
    assert window["id"] in {w["id"] for w in status["maintenance"] if w["active"]}

    async with UnitOfWork(SYSTEM) as uow:
        incidents_before = await uow.fetchval("SELECT count(*) FROM incident")
        notices_before = await uow.fetchval("SELECT count(*) FROM notice WHERE tenant_id = $1", tenant.id)
    mark = await f.outbox_mark()
    ref = str(uuid.uuid4())
    consumer = IncidentConsumer(CATALOG)
    assert await consumer.apply(alert(ref, "detected"))
    assert await consumer.apply(alert(ref, "escalated"))
    assert await consumer.apply(alert(ref, "monitoring"))
    async with UnitOfWork(SYSTEM) as uow:
        row = await uow.fetchrow("SELECT * FROM incident_alert WHERE external_ref = $1", ref)
        assert row["disposition"] == "suppressed" and str(row["maintenance_id"]) == window["id"]
        assert row["incident_id"] is None and row["cleared_at"] is not None
        assert await uow.fetchval("SELECT count(*) FROM incident") == incidents_before
        assert await uow.fetchval("SELECT count(*) FROM notice WHERE tenant_id = $1", tenant.id) == notices_before
        assert await uow.fetchval("SELECT count(*) FROM incident_notification WHERE tenant_id = $1", tenant.id) == 0
        kinds = [r["kind"] for r in await uow.fetch("SELECT kind FROM outbox WHERE seq > $1", mark)]
    assert "incident" not in kinds  # nothing told to anyone
    [suppressed] = [a for a in await f.audit_events(mark, prefix="incident.") if a.target_id == ref]
    assert suppressed.action == "incident.alert_suppressed" and suppressed.detail["maintenance_id"] == window["id"]
    assert await module_state(client, MODULE) == "maintenance"

    # another module is not covered by this window
    other = str(uuid.uuid4())
    async with UnitOfWork(SYSTEM) as uow:
        assert await maintenance.maintenance_at(uow, "tables", dt.datetime.now(dt.UTC)) is None

    # cancelled: the next alert of the module opens an incident again
    r = await client.delete(f"/api/ops/maintenance/{window['id']}", headers=h)
    assert r.status_code == 200 and r.json()["cancelled_at"] is not None
    assert (await client.delete(f"/api/ops/maintenance/{window['id']}", headers=h)).status_code == 409
    assert await consumer.apply(alert(other, "detected"))
    async with UnitOfWork(SYSTEM) as uow:
        row = await uow.fetchrow("SELECT * FROM incident_alert WHERE external_ref = $1", other)
        assert row["disposition"] == "incident"
        assert (
            await uow.fetchval(
                "SELECT count(*) FROM notice WHERE tenant_id = $1 AND incident_id = $2", tenant.id, row["incident_id"]
            )
            == 1
        )
    assert await module_state(client, MODULE) == "outage"
    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:  # leave the module as it was
        for to in ("investigating", "monitoring", "recovered"):
            await service.transition(uow, CATALOG, row["incident_id"], TransitionIn(to=to))
    assert await module_state(client, MODULE) == "operational"


async def test_a_platform_wide_window_covers_every_module(client):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    r = await client.post(
        "/api/ops/maintenance",
        headers=h,
        json={
            "module_key": None,
            "starts_at": iso(later),
            "ends_at": iso(later + dt.timedelta(hours=2)),
            "description": "全体の定期保守 / platform maintenance",
        },
    )
    assert r.status_code == 201, r.text
    window = r.json()
    async with UnitOfWork(SYSTEM) as uow:
        for key in ("area", "statdb", "anything"):
            covered = await maintenance.maintenance_at(uow, key, later + dt.timedelta(minutes=30))
            assert covered is not None and str(covered.id) == window["id"]
        assert await maintenance.maintenance_at(uow, "area", later + dt.timedelta(hours=3)) is None
    # scheduled, not yet started: listed as planned, the modules are still operational
    status = (await client.get("/api/status")).json()
    [planned] = [w for w in status["maintenance"] if w["id"] == window["id"]]
    assert planned["active"] is False and planned["module_key"] is None
    assert await module_state(client, "area") != "maintenance"
    page = await client.get("/status")
    assert "全体の定期保守" in page.text
    assert (await client.delete(f"/api/ops/maintenance/{window['id']}", headers=h)).status_code == 200


async def test_maintenance_crud_and_validation(client, app):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    start = dt.datetime(2031, 1, 5, 22, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    body = {
        "module_key": "area",
        "starts_at": iso(start),
        "ends_at": iso(start + dt.timedelta(hours=4)),
        "description": "夜間保守 / night maintenance",
    }
    r = await client.post("/api/ops/maintenance", headers=h, json=body)
    assert r.status_code == 201, r.text
    wid = r.json()["id"]
    assert (await client.get(f"/api/ops/maintenance/{wid}")).json()["description"] == body["description"]
    assert wid in {w["id"] for w in (await client.get("/api/ops/maintenance")).json()["items"]}
    r = await client.put(
        f"/api/ops/maintenance/{wid}",
        headers=h,
        json={**body, "ends_at": iso(start + dt.timedelta(hours=6)), "description": "延長 / extended"},
    )
    assert r.status_code == 200 and r.json()["description"] == "延長 / extended"
    assert dt.datetime.fromisoformat(r.json()["ends_at"]) == start + dt.timedelta(hours=6)

    for bad in (
        {**body, "ends_at": body["starts_at"]},
        {**body, "module_key": "no-such-module"},
        {**body, "description": " "},
        {**body, "starts_at": "2031-01-05T22:00:00"},
        {k: v for k, v in body.items() if k != "ends_at"},
        {**body, "extra": 1},
    ):
        r = await client.post("/api/ops/maintenance", headers=h, json=bad)
        assert r.status_code in (400, 422), (bad, r.text)
    assert (await client.get(f"/api/ops/maintenance/{uuid.uuid4()}")).status_code == 404

    mark = await f.outbox_mark()
    assert (await client.delete(f"/api/ops/maintenance/{wid}", headers=h)).status_code == 200
    assert (await client.put(f"/api/ops/maintenance/{wid}", headers=h, json=body)).status_code == 409
    assert wid not in {w["id"] for w in (await client.get("/api/ops/maintenance")).json()["items"]}
    assert wid in {
        w["id"] for w in (await client.get("/api/ops/maintenance", params={"include_past": "true"})).json()["items"]
    }
    assert [a.action for a in await f.audit_events(mark, prefix="maintenance.")] == ["maintenance.cancelled"]

    # agencies neither schedule nor list windows
    tenant = await f.make_tenant()
    async with f.another_client(app) as agency:
        csrf = await f.sign_in(agency, tenant.admin_login)
        assert (await agency.get("/api/ops/maintenance")).status_code == 403
        assert (await agency.post("/api/ops/maintenance", headers=f.csrf_headers(csrf), json=body)).status_code == 403
