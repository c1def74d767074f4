"""GOV-5, GOV-11: other charges, from domain events (exactly once) and from the operator; through Kafka too."""

import asyncio
import datetime as dt
import uuid

import msgspec
import pytest

from govstat.gateway.billing.charges import ExtraChargeConsumer
from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.ops.governance.events import CostAssigned
from govstat.ops.helpdesk.events import OutOfHoursCharged
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import emit
from govstat.platform.events.envelope import decode, encode, new_event
from govstat.platform.events.relay import run_relay
from govstat.platform.events.topics import ensure_topics
from govstat.platform.root.events import event_decoder
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.statdb.events import TableDeleted
from tests.support.billing_factories import (
    apply_charge,
    charge_event,
    invoice_of,
    jst,
    make_approved_body,
    make_constituent,
    make_plan,
    run,
    summary,
    usage,
)
from tests.support.eventually import eventually
from tests.support.factories import csrf_headers, operator_client_csrf

SYSTEM = Scope.system("test")


async def _charges(tenant_id) -> list[dict]:
    async with UnitOfWork(SYSTEM) as uow:
        return [
            dict(r)
            for r in await uow.fetch(
                "SELECT kind, amount_yen, description, occurred_on, source_ref, invoice_id FROM extra_charge"
                " WHERE tenant_id = $1 ORDER BY source_ref",
                tenant_id,
            )
        ]


async def test_a_charge_event_applied_twice_is_charged_once_and_billed():
    ministry = await make_constituent(annual_fee_yen=0)
    event = charge_event(ministry.id, OutOfHoursCharged, 15_000, "HD-2026-0042")
    assert await apply_charge(event) is True
    assert await apply_charge(event) is False  # redelivered: dropped by event id
    # the same fact sent again as a new event (a retried emitter): dropped by source_ref
    assert await apply_charge(charge_event(ministry.id, OutOfHoursCharged, 15_000, "HD-2026-0042"))
    await apply_charge(
        charge_event(ministry.id, CostAssigned, 250_000, "CR-2026-0007", description="調査票様式の個別改修")
    )
    assert await _charges(ministry.id) == [
        {
            "kind": "agency_change",
            "amount_yen": 250_000,
            "description": "調査票様式の個別改修",
            "occurred_on": dt.date(2026, 10, 15),
            "source_ref": "CR-2026-0007",
            "invoice_id": None,
        },
        {
            "kind": "helpdesk_out_of_hours",
            "amount_yen": 15_000,
            "description": "夜間の電話対応 30分",
            "occurred_on": dt.date(2026, 10, 15),
            "source_ref": "HD-2026-0042",
            "invoice_id": None,
        },
    ]
    await run("2026-10", jst(2026, 11, 2), ministry)
    lines = summary(await invoice_of(ministry, "2026-10"))
    assert lines == [("annual_fee", "", 1, 0), ("extra", "", 1, 15_000), ("extra", "", 1, 250_000)]  # in recorded order


async def test_events_for_no_agency_are_set_aside_and_others_ignored_without_blocking():
    ministry = await make_constituent()
    bad = [
        charge_event(None, OutOfHoursCharged, 5_000, "HD-no-tenant"),
        charge_event(uuid.uuid4(), OutOfHoursCharged, 5_000, "HD-unknown-tenant"),
    ]
    for event in bad:
        assert await apply_charge(event) is True  # consumed, not retried forever
    assert await apply_charge(new_event(TableDeleted(stats_data_id="0000000001"), ministry.id)) is True  # not billing's
    assert await _charges(ministry.id) == []
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE kind = 'audit' ORDER BY seq DESC LIMIT 50")
    rejected = {
        decode(r["payload"]).payload.target_id
        for r in rows
        if decode(r["payload"]).payload.action == "billing.extra_charge_rejected"
    }
    assert {str(e.id) for e in bad} <= rejected


def test_a_malformed_charge_never_reaches_billing():
    """Fields that do not fit the event (a negative amount, an empty reference) fail decoding: the consumer
    base sets such a message aside in dead_letter (tests/platform/test_events_typed.py) before billing sees it."""
    ministry = uuid.uuid4()
    for event in (
        charge_event(ministry, OutOfHoursCharged, -5, "HD-neg"),
        charge_event(ministry, CostAssigned, 5_000, ""),
    ):
        with pytest.raises(msgspec.ValidationError):
            event_decoder().decode(encode(event))
    assert event_decoder().decode(encode(charge_event(ministry, OutOfHoursCharged, 5, "HD-ok"))).payload.amount_yen == 5


async def test_operator_records_a_charge_through_the_api_idempotently(client):
    body = await make_approved_body()
    h = csrf_headers(await operator_client_csrf(client))
    payload = {
        "kind": "agency_change",
        "description": "API連携の個別設定",
        "amount_yen": 40_000,
        "occurred_on": "2026-10-05",
        "source_ref": "協議会-個別-12",
    }
    first = await client.post(f"/api/billing/tenants/{body.id}/extra-charges", json=payload, headers=h)
    again = await client.post(f"/api/billing/tenants/{body.id}/extra-charges", json=payload, headers=h)
    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert first.json()["id"] == again.json()["id"]
    clash = await client.post(
        f"/api/billing/tenants/{body.id}/extra-charges", json={**payload, "amount_yen": 1}, headers=h
    )
    assert clash.status_code == 409
    bad = await client.post(
        f"/api/billing/tenants/{body.id}/extra-charges", json={**payload, "kind": "gift"}, headers=h
    )
    assert bad.status_code in (400, 422)
    assert [c["amount_yen"] for c in await _charges(body.id)] == [40_000]


@pytest.fixture
async def billing_consumers():
    settings = get_settings()
    await ensure_topics(settings)
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(run_relay(settings, stop)),
        asyncio.create_task(ExtraChargeConsumer().run(settings, stop, event_decoder())),
        asyncio.create_task(BillableUsageConsumer().run(settings, stop)),
    ]
    yield
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=30)


async def test_events_reach_billing_through_the_outbox_and_kafka(billing_consumers):
    """How ops' helpdesk bills an agency: a domain event in its own transaction, nothing imported."""
    plan = await make_plan(0, {("area", "area.search"): ("1", 0)})
    body = await make_approved_body(plan)
    async with UnitOfWork(Scope(role="operator", actor="helpdesk")) as uow:
        await emit(
            uow,
            OutOfHoursCharged(
                amount_yen=6_000,
                description="日曜日の電話対応",
                source_ref="HD-kafka-1",
                occurred_on=dt.date(2026, 10, 11),
            ),
            tenant_id=body.id,
        )
        from govstat.platform.events.outbox import write_outbox

        await write_outbox(uow.connection, usage(body.id, "area.search", 25, jst(2026, 10, 12)))

    async def arrived():
        charges = await _charges(body.id)
        async with UnitOfWork(SYSTEM) as uow:
            units = await uow.fetchval("SELECT sum(units) FROM billable_usage WHERE tenant_id = $1", body.id)
        return charges and units and (charges, units)

    charges, units = await eventually(arrived, timeout=90, message="charge and usage through Kafka")
    assert [(c["kind"], c["amount_yen"]) for c in charges] == [("helpdesk_out_of_hours", 6_000)] and units == 25
    await run("2026-10", jst(2026, 11, 4), body)
    assert summary(await invoice_of(body, "2026-10")) == [("usage", "area.search", 25, 25), ("extra", "", 1, 6_000)]
