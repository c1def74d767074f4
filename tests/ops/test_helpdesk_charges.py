"""GOV-11: help an agency asked for outside the hours is charged to it: one domain event in the outbox,
in the same transaction, with exactly the fields billing reads; applied by billing's consumer."""

import datetime as dt

from govstat.gateway.billing.charges import ExtraChargeConsumer
from govstat.ops.helpdesk.events import OutOfHoursCharged
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import audit_events, csrf_headers, make_tenant, operator_client_csrf, outbox_mark
from tests.support.helpdesk_factories import record_ticket
from tests.support.outbox import decode

API = "/api/ops/helpdesk"
SYSTEM = Scope.system("test")


async def _charged(since: int) -> list:
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE seq > $1 AND kind = 'domain' ORDER BY seq", since)
    events = [decode(bytes(r["payload"])) for r in rows]
    return [e for e in events if isinstance(e.payload, OutOfHoursCharged)]


async def _charges(tenant_id) -> list[dict]:
    async with UnitOfWork(SYSTEM) as uow:
        return [
            dict(r)
            for r in await uow.fetch(
                "SELECT kind, amount_yen, description, occurred_on, source_ref FROM extra_charge WHERE tenant_id = $1",
                tenant_id,
            )
        ]


async def test_out_of_hours_help_is_charged_once_with_the_fields_billing_expects(client):
    tenant = await make_tenant()
    h = csrf_headers(await operator_client_csrf(client))
    mark = await outbox_mark()
    # Saturday night: the agency's survey office called and asked for help
    t = await record_ticket(
        client,
        h,
        channel="phone",
        requester_kind="agency",
        tenant_id=str(tenant.id),
        requester_name="調査 次郎",
        requester_phone="03-1234-5678",
        subject="オンライン調査の受付停止",
        module_key="online",
        received_at="2026-10-10T22:15:00+09:00",
        help_out_of_hours=True,
        handling_minutes=45,
    )
    assert (t["out_of_hours"], t["help_out_of_hours"], t["charge_minutes"], t["charge_yen"]) == (True, True, 45, 12_000)

    events = await _charged(mark)
    assert len(events) == 1
    event = events[0]
    assert event.tenant_id == tenant.id
    assert event.payload == OutOfHoursCharged(
        amount_yen=12_000,
        description=event.payload.description,
        source_ref=t["number"],
        occurred_on=dt.date(2026, 10, 10),
    )
    assert t["number"] in event.payload.description
    assert [e.action for e in await audit_events(mark, tenant.id, "helpdesk.")] == [
        "helpdesk.ticket_received",
        "helpdesk.out_of_hours_flagged",
    ]

    again = await client.post(f"{API}/tickets/{t['id']}/out-of-hours-charge", headers=h, json={"minutes": 30})
    assert again.status_code == 409 and again.json()["type"].endswith("/invalid-transition")
    assert len(await _charged(mark)) == 1

    # end to end: billing's consumer turns the event into the agency's extra charge
    assert await ExtraChargeConsumer().apply(event) is True
    assert await _charges(tenant.id) == [
        {
            "kind": "helpdesk_out_of_hours",
            "amount_yen": 12_000,
            "description": event.payload.description,
            "occurred_on": dt.date(2026, 10, 10),
            "source_ref": t["number"],
        }
    ]
    page = await client.get(f"/ops/helpdesk/{t['id']}")
    assert page.status_code == 200 and "12,000" in page.text


async def test_flagging_later_charges_by_started_half_hour(client):
    tenant = await make_tenant()
    h = csrf_headers(await operator_client_csrf(client))
    t = await record_ticket(
        client,
        h,
        channel="phone",
        requester_kind="intermediary",
        tenant_id=str(tenant.id),
        subject="調査票の回収",
        received_at="2026-05-06T08:30:00+09:00",
    )  # a substitute holiday, before 9:00
    assert t["out_of_hours"] is True and t["charged_at"] is None
    mark = await outbox_mark()
    r = await client.post(f"{API}/tickets/{t['id']}/out-of-hours-charge", headers=h, json={"minutes": 61})
    assert r.status_code == 200, r.text
    assert r.json()["charge_yen"] == 18_000  # 61 minutes: three started half hours
    [event] = await _charged(mark)
    assert event.payload.amount_yen == 18_000 and event.payload.occurred_on == dt.date(2026, 5, 6)
    detail = (await client.get(f"{API}/tickets/{t['id']}", headers=h)).json()
    assert [e["kind"] for e in detail["events"]] == ["charged"]


async def test_no_charge_within_hours_or_for_general_users(client):
    tenant = await make_tenant()
    h = csrf_headers(await operator_client_csrf(client))
    within = await record_ticket(
        client,
        h,
        channel="phone",
        requester_kind="agency",
        tenant_id=str(tenant.id),
        subject="x",
        received_at="2026-01-07T10:00:00+09:00",
    )
    general = await record_ticket(
        client, h, channel="phone", requester_kind="general", subject="x", received_at="2026-01-10T10:00:00+09:00"
    )
    mail = await record_ticket(
        client,
        h,
        channel="email",
        requester_kind="agency",
        tenant_id=str(tenant.id),
        subject="x",
        received_at="2026-01-10T10:00:00+09:00",
    )
    assert general["out_of_hours"] is True and mail["out_of_hours"] is False
    mark = await outbox_mark()
    for t in (within, general, mail):
        r = await client.post(f"{API}/tickets/{t['id']}/out-of-hours-charge", headers=h, json={"minutes": 30})
        assert r.status_code == 409, r.text
    bad = await client.post(f"{API}/tickets/{within['id']}/out-of-hours-charge", headers=h, json={"minutes": 0})
    assert bad.status_code in (400, 422) and "minutes" in bad.json()["detail"]
    assert await _charged(mark) == []
