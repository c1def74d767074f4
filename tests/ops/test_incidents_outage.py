"""GOV-12: a scripted outage of 'area', from the SLA's alert to a closed incident.

The SLA's IncidentPayload events go through the incident consumer's apply() (as from Kafka); the
operator walks the incident to closed through the API; the affected agencies' primary and deputy
contacts get real e-mails (arq worker in burst mode, a local SMTP server) when it is detected and
after recovery; an agency that does not use 'area' gets nothing; /status follows along.
"""

import datetime as dt
import uuid

import pytest

from govstat.ops.incidents import lifecycle, notify
from govstat.ops.incidents.consumers import IncidentConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidTransition
from govstat.platform.events.envelope import IncidentPayload, decode, new_event
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support import factories as f
from tests.support.mailbox import smtp_mailbox
from tests.support.queued_jobs import run_worker

SYSTEM = Scope.system("test-incidents")
TITLE = (
    "標準地域コード管理システム：エラー予算を急速に消費中（1h/5m）"
    "/ Standard area codes: error budget burning fast (1h/5m)"
)


@pytest.fixture
def mailbox(monkeypatch):
    monkeypatch.setattr(notify, "RETRY_BASE_SECONDS", 0.2)
    with smtp_mailbox() as box:
        yield box


def sla_event(
    ref: str,
    state: str,
    *,
    module: str = "area",
    severity: str = "critical",
    title: str = TITLE,
    started_at: dt.datetime | None = None,
):
    """An IncidentPayload as gateway/sla/alerts.py raises it (no source marker, incident_id = alert id)."""
    detail = {"rule": "1h/5m", "factor": 14.4, "burn_rates": {"5m": 1000.0, "1h": 166.7}}
    if started_at:
        detail["started_at"] = started_at.isoformat()
    return new_event(
        IncidentPayload(incident_id=ref, module=module, state=state, severity=severity, title=title, detail=detail),
        None,
    )


async def incident_of_alert(ref: str) -> dict | None:
    async with UnitOfWork(SYSTEM) as uow:
        row = await uow.fetchrow(
            "SELECT i.* FROM incident_alert a JOIN incident i ON i.id = a.incident_id WHERE a.external_ref = $1", ref
        )
    return dict(row) if row else None


async def deliveries(incident_id) -> list[dict]:
    async with UnitOfWork(SYSTEM) as uow:
        return [
            dict(r) for r in await uow.fetch("SELECT * FROM incident_notification WHERE incident_id = $1", incident_id)
        ]


async def status_of(client, module: str) -> str:
    r = await client.get("/api/status")
    assert r.status_code == 200, r.text
    return next(m for m in r.json()["modules"] if m["key"] == module)["state"]


def test_the_lifecycle_is_a_state_machine():
    assert lifecycle.allowed("detected") == ["investigating", "identified", "monitoring"]
    assert lifecycle.allowed("recovered") == ["review"] and lifecycle.allowed("closed") == []
    for current, to in (
        ("detected", "closed"),
        ("detected", "recovered"),
        ("recovered", "closed"),
        ("closed", "investigating"),
        ("review", "recovered"),
        ("monitoring", "detected"),
    ):
        with pytest.raises(InvalidTransition):
            lifecycle.check(current, to)
    # every state is reachable from detected, and closed only through recovered and review
    seen, todo = set(), ["detected"]
    while todo:
        s = todo.pop()
        seen.add(s)
        todo += [n for n in lifecycle.allowed(s) if n not in seen]
    assert seen == set(lifecycle.STATES)


async def test_scripted_outage_from_alert_to_closed(client, app, mailbox):
    affected_a = await f.make_tenant(modules=("area",))
    affected_b = await f.make_tenant(modules=("area", "classification"))
    bystander = await f.make_tenant(modules=("classification",))
    consumer = IncidentConsumer(CATALOG)
    ref = str(uuid.uuid4())
    started = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=3)

    # --- detected: the SLA's alert opens one incident, exactly once -----------------------------------
    detected = sla_event(ref, "detected", started_at=started)
    assert await consumer.apply(detected) is True
    assert await consumer.apply(detected) is False  # redelivered: dropped by event id
    assert await consumer.apply(sla_event(ref, "detected")) is True  # same alert, new event id ...
    incident = await incident_of_alert(ref)
    assert incident is not None and incident["state"] == "detected" and incident["source"] == "sla"
    assert incident["severity"] == "critical" and incident["module_key"] == "area"
    assert incident["detected_at"] == started
    async with UnitOfWork(SYSTEM) as uow:  # ... never a second incident
        assert await uow.fetchval("SELECT count(*) FROM incident_alert WHERE external_ref = $1", ref) == 1
        assert await uow.fetchval("SELECT count(*) FROM incident WHERE detail->>'alert' = $1", ref) == 1
        affected = {
            r["tenant_id"]
            for r in await uow.fetch("SELECT tenant_id FROM incident_affected WHERE incident_id = $1", incident["id"])
        }
    assert {affected_a.id, affected_b.id} <= affected and bystander.id not in affected
    iid = str(incident["id"])

    # the public status page: area is out, anyone can see it
    assert await status_of(client, "area") == "outage"
    page = await client.get("/status")
    assert page.status_code == 200 and 'data-module="area" data-state="outage"' in page.text
    assert "稼働状況" in page.text and "Service status" in page.text

    # --- e-mails at detection: primary and deputy of each affected agency, nobody else ----------------
    pending = await deliveries(incident["id"])
    assert {
        (d["tenant_id"], d["contact_role"]) for d in pending if d["tenant_id"] in (affected_a.id, affected_b.id)
    } == {(t.id, r) for t in (affected_a, affected_b) for r in ("primary", "deputy")}
    assert {d["status"] for d in pending} == {"pending"}
    mailbox.refuse_rcpt.add(f"d@{affected_b.code}.example.jp")  # B's deputy: the server says "later" once
    worker = await run_worker()
    assert worker.jobs_failed == 0 and worker.jobs_retried >= 1
    for t in (affected_a, affected_b):
        for who in ("p", "d"):
            [message] = mailbox.to(f"{who}@{t.code}.example.jp")
            assert message["Subject"].startswith("【障害発生】") and "[Incident]" in message["Subject"]
            body = message.get_content()
            assert "障害が発生しました" in body and "A fault has occurred" in body and f"テスト省{t.code}" in body
            assert incident_ref(incident) in body and "/status" in body
            assert message["From"] == get_settings().mail_from
    assert mailbox.to(f"p@{bystander.code}.example.jp") == [] and mailbox.to(f"d@{bystander.code}.example.jp") == []
    assert f"d@{affected_b.code}.example.jp" in mailbox.refused_rcpt
    by_email = {d["email"]: d for d in await deliveries(incident["id"])}
    assert by_email[f"p@{affected_a.code}.example.jp"]["status"] == "sent"
    assert by_email[f"p@{affected_a.code}.example.jp"]["attempts"] == 1
    retried = by_email[f"d@{affected_b.code}.example.jp"]
    assert retried["status"] == "sent" and retried["attempts"] == 2 and retried["sent_at"] is not None

    # --- notices on the agency's portal: only for affected agencies ----------------------------------
    async with f.another_client(app) as agency:
        await f.sign_in(agency, affected_a.staff_login)
        notices = (await agency.get("/api/ops/notices")).json()
        [notice] = [n for n in notices["items"] if n["incident_id"] == iid]
        assert notice["title"].startswith("【障害発生】") and notice["read_at"] is None and notices["unread"] >= 1
        # the agency sees the incident affecting it, read only
        listed = (await agency.get("/api/ops/incidents", params={"limit": 50})).json()["items"]
        assert iid in {i["id"] for i in listed}
        detail = (await agency.get(f"/api/ops/incidents/{iid}")).json()
        assert detail["state"] == "detected" and "timeline" not in detail and detail["updates"]
        r = await agency.post(
            f"/api/ops/incidents/{iid}/transition",
            json={"to": "investigating"},
            headers=f.csrf_headers((await agency.get("/api/me")).json()["csrf"]),
        )
        assert r.status_code == 403
    async with f.another_client(app) as other:
        await f.sign_in(other, bystander.staff_login)
        assert [n for n in (await other.get("/api/ops/notices")).json()["items"] if n["incident_id"] == iid] == []
        assert iid not in {i["id"] for i in (await other.get("/api/ops/incidents")).json()["items"]}
        assert (await other.get(f"/api/ops/incidents/{iid}")).status_code == 404

    # --- the operator works the incident ---------------------------------------------------------------
    h = f.csrf_headers(await f.operator_client_csrf(client))
    mark = await f.outbox_mark()

    async def move(to: str, **extra):
        return await client.post(f"/api/ops/incidents/{iid}/transition", headers=h, json={"to": to, **extra})

    r = await move("closed")
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/invalid-transition") and r.json()["allowed"] == lifecycle.allowed("detected")
    assert (await move("investigating", note="DB接続数を確認中")).status_code == 200
    r = await move(
        "identified", note="接続プールの枯渇", public_note="原因を特定し、対策を実施しています。/ Cause found; fixing."
    )
    assert r.status_code == 200 and r.json()["state"] == "identified"

    # the SLA alert clears: the incident moves to monitoring by itself
    assert await consumer.apply(sla_event(ref, "monitoring", title="回復しました / recovered, monitoring"))
    assert (await incident_of_alert(ref))["state"] == "monitoring"
    assert await status_of(client, "area") == "degraded"

    r = await move("recovered", public_note="復旧しました。/ Recovered.")
    assert r.status_code == 200 and r.json()["recovered_at"] is not None
    assert await status_of(client, "area") == "operational"
    assert 'data-module="area" data-state="operational"' in (await client.get("/status")).text

    # --- e-mails after recovery -----------------------------------------------------------------------
    await run_worker()
    for t in (affected_a, affected_b):
        for who in ("p", "d"):
            subjects = [m["Subject"] for m in mailbox.to(f"{who}@{t.code}.example.jp")]
            assert len(subjects) == 2 and subjects[1].startswith("【障害復旧】") and "[Recovered]" in subjects[1]
            assert "復旧しました" in mailbox.to(f"{who}@{t.code}.example.jp")[1].get_content()
    assert mailbox.to(f"p@{bystander.code}.example.jp") == []
    assert {d["status"] for d in await deliveries(incident["id"]) if d["step"] == "recovered"} == {"sent"}

    # --- review: all fields required to enter it -------------------------------------------------------
    r = await move("review")
    assert r.status_code == 409 and r.json()["missing"] == ["cause", "prevention", "owner", "due_on"]
    review = {
        "cause": "接続プールの上限設定誤り",
        "prevention": "設定値の監視と負荷試験の追加",
        "owner": "運用管理チーム 統計 太郎",
        "due_on": "2026-12-25",
    }
    for missing in review:
        r = await client.put(
            f"/api/ops/incidents/{iid}/review", headers=h, json={k: v for k, v in review.items() if k != missing}
        )
        assert r.status_code in (400, 422), (missing, r.text)
    r = await client.put(f"/api/ops/incidents/{iid}/review", headers=h, json={**review, "cause": "   "})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cause"
    r = await client.put(f"/api/ops/incidents/{iid}/review", headers=h, json=review)
    assert r.status_code == 200, r.text
    assert (await move("review")).status_code == 200
    assert (await move("closed", note="再発防止策の実施を確認")).status_code == 200
    r = await move("investigating")
    assert r.status_code == 409
    assert (await client.put(f"/api/ops/incidents/{iid}/review", headers=h, json=review)).status_code == 409

    # --- the record: a timeline entry, an event and an audit event per transition ----------------------
    full = (await client.get(f"/api/ops/incidents/{iid}")).json()
    transitions = [(t["from_state"], t["to_state"]) for t in full["timeline"] if t["kind"] == "transition"]
    assert transitions == [
        (None, "detected"),
        ("detected", "investigating"),
        ("investigating", "identified"),
        ("identified", "monitoring"),
        ("monitoring", "recovered"),
        ("recovered", "review"),
        ("review", "closed"),
    ]
    assert full["review"]["owner"] == review["owner"] and full["closed_at"] is not None
    assert [u["state"] for u in full["updates"]] == ["detected", "identified", "monitoring", "recovered"]
    assert len([n for n in full["notifications"] if n["status"] == "sent"]) == len(full["notifications"])
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE seq > $1 AND kind = 'incident' ORDER BY seq", mark)
    events = [decode(bytes(r["payload"])) for r in rows]
    ours = [e for e in events if e.payload.incident_id == iid]
    assert [e.payload.state for e in ours] == [
        "investigating",
        "identified",
        "monitoring",
        "recovered",
        "review",
        "closed",
    ]
    assert all(e.payload.detail["source"] == "ops.incidents" and e.payload.module == "area" for e in ours)
    audits = [a for a in await f.audit_events(mark, prefix="incident.") if a.target_id == iid]
    assert [
        (a.detail["from_state"], a.detail["to_state"]) for a in audits if a.action == "incident.transitioned"
    ] == transitions[1:]
    assert "incident.review_recorded" in {a.action for a in audits}

    # our own events on the incident topic never open an incident
    async with UnitOfWork(SYSTEM) as uow:
        before = await uow.fetchval("SELECT count(*) FROM incident")
    for e in ours:
        assert await consumer.apply(e) is True
    async with UnitOfWork(SYSTEM) as uow:
        assert await uow.fetchval("SELECT count(*) FROM incident") == before
        assert (await uow.fetchrow("SELECT state FROM incident WHERE id = $1", incident["id"]))["state"] == "closed"


def incident_ref(incident: dict) -> str:
    return f"INC-{incident['number']:06d}"


async def test_manual_incident_and_a_second_alert_joins_it(client, mailbox):
    tenant = await f.make_tenant(modules=("statdb",))
    h = f.csrf_headers(await f.operator_client_csrf(client))
    r = await client.post("/api/ops/incidents", headers=h, json={"module_key": "nope", "title": "x"})
    assert r.status_code == 422
    r = await client.post(
        "/api/ops/incidents",
        headers=h,
        json={"module_key": "statdb", "severity": "minor", "title": "統計表の表示が遅い / statistical tables slow"},
    )
    assert r.status_code == 201, r.text
    manual = r.json()
    assert manual["state"] == "detected" and manual["source"] == "manual" and manual["ref"].startswith("INC-")
    assert await status_of(client, "statdb") == "degraded"  # minor: degraded, not out

    # the SLA raises an alert for the same module: it joins the open incident (no second notification)
    ref = str(uuid.uuid4())
    assert await IncidentConsumer(CATALOG).apply(sla_event(ref, "detected", module="statdb", severity="critical"))
    joined = await incident_of_alert(ref)
    assert str(joined["id"]) == manual["id"] and joined["severity"] == "critical"
    assert await status_of(client, "statdb") == "outage"
    # the alert clearing does not move a manual incident: the operator decides
    assert await IncidentConsumer(CATALOG).apply(sla_event(ref, "monitoring", module="statdb"))
    assert (await incident_of_alert(ref))["state"] == "detected"

    await run_worker()
    [message] = mailbox.to(f"p@{tenant.code}.example.jp")
    assert "統計表の表示が遅い" in message.get_content()
    [message] = mailbox.to(f"d@{tenant.code}.example.jp")
    listed = (await client.get("/api/ops/incidents", params={"state": "open", "limit": 500})).json()["items"]
    assert manual["id"] in {i["id"] for i in listed} and all(i["state"] in lifecycle.OPEN for i in listed)
    assert (await client.get("/api/ops/incidents", params={"state": "bogus"})).status_code == 422
    full = (await client.get(f"/api/ops/incidents/{manual['id']}")).json()
    assert [t["kind"] for t in full["timeline"]] == ["transition", "alert", "escalation", "alert"]

    for to in ("investigating", "monitoring", "recovered"):
        r = await client.post(f"/api/ops/incidents/{manual['id']}/transition", headers=h, json={"to": to})
        assert r.status_code == 200, r.text
    assert await status_of(client, "statdb") == "operational"
    await run_worker()
    assert len(mailbox.to(f"p@{tenant.code}.example.jp")) == 2


async def test_the_dashboard_feed_has_what_dashboard_js_reads(client):
    await f.operator_client_csrf(client)
    r = await client.get("/api/ops/incidents", params={"limit": 50})
    assert r.status_code == 200
    for item in r.json()["items"]:
        assert {"detected_at", "state", "module_key", "title"} <= set(item)
