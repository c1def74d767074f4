"""GOV-4: the monthly invoice run gives exactly the fees owed, never doubles, and finalises for good."""

import datetime as dt

import pytest

from govstat.gateway.billing import schemas as bs
from govstat.gateway.billing.charges import record_extra_charge
from govstat.gateway.billing.periods import Period, monthly_share
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict, InvalidInput
from govstat.platform.events.envelope import decode
from govstat.platform.security import Scope
from tests.support.billing_factories import (
    apply_usage,
    invoice_of,
    jst,
    make_approved_body,
    make_constituent,
    make_plan,
    run,
    summary,
    usage,
)
from tests.support.factories import OPERATOR, make_applicant

DRAFT_TIME = jst(2026, 11, 2, 2, 0)  # within the grace period: drafts
FINAL_TIME = jst(2026, 11, 4, 2, 0)  # 3 days after October ended: final
UTC = dt.UTC


def test_twelve_monthly_shares_sum_to_the_annual_fee():
    for annual in (0, 11, 12, 1_000_003, 9_999_999_999):
        shares = [monthly_share(annual, m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
        assert sum(shares) == annual
        assert len(set(shares[:11])) == 1 and shares[11] >= shares[0]  # the remainder goes to March


def test_periods_fiscal_years_and_grace():
    p = Period.parse("2026-03")
    assert (p.fiscal_year, str(p.previous()), str(p.next()), str(Period.parse("2026-01").previous())) == (
        2025,
        "2026-02",
        "2026-04",
        "2025-12",
    )
    assert Period.parse("2026-10").finalises_at == jst(2026, 11, 4)
    with pytest.raises(InvalidInput):
        Period.parse("2026-13")


async def _approved_body_with_october_usage():
    plan = await make_plan(50_000, {("area", "area.search"): ("2.5", 100), ("area", "area.export"): ("0.3333", 0)})
    body = await make_approved_body(plan)
    fresh = await apply_usage(
        usage(body.id, "area.search", 100, jst(2026, 10, 3, 10)),
        usage(body.id, "area.search", 50, jst(2026, 10, 17, 23, 59)),
        usage(body.id, "area.search", 7, jst(2026, 10, 31, 23, 59)),
        # 2026-09-30 15:30 UTC is 1 October 00:30 in Japan: October's
        usage(body.id, "area.search", 10, dt.datetime(2026, 9, 30, 15, 30, tzinfo=UTC)),
        # 2026-10-31 15:30 UTC is 1 November in Japan: not October's
        usage(body.id, "area.search", 1000, dt.datetime(2026, 10, 31, 15, 30, tzinfo=UTC)),
        usage(body.id, "area.search", 500, jst(2026, 10, 5), status=404),  # errors are not billed
        usage(body.id, "area.search", 500, jst(2026, 10, 5), source="probe"),  # nor synthetic probes
        usage(body.id, "area.export", 1000, jst(2026, 10, 20)),
        usage(body.id, "area.read", 40, jst(2026, 10, 20)),  # no price in the plan: free
    )
    assert all(fresh)
    return body


async def test_invoice_lines_and_totals_for_a_constituent_and_an_approved_body():
    ministry = await make_constituent(annual_fee_yen=1_000_003)
    await apply_usage(usage(ministry.id, "area.search", 10_000, jst(2026, 10, 3)))  # covered by the annual fee
    body = await _approved_body_with_october_usage()
    async with UnitOfWork(OPERATOR) as uow:
        await record_extra_charge(
            uow,
            body.id,
            bs.ExtraChargeIn(
                kind="agency_change",
                description="様式の個別改修",
                amount_yen=12_000,
                occurred_on=dt.date(2026, 10, 15),
                source_ref="CR-2026-001",
            ),
        )
        await record_extra_charge(
            uow,
            body.id,
            bs.ExtraChargeIn(
                kind="other",
                description="11月分の作業",
                amount_yen=999,
                occurred_on=dt.date(2026, 11, 1),
                source_ref="CR-2026-002",
            ),
        )  # November's: not on October's invoice

    report = await run("2026-10", DRAFT_TIME, ministry, body)
    assert sorted(r.outcome for r in report.results) == ["created", "created"] and not report.finalising

    m = await invoice_of(ministry, "2026-10")
    assert m["status"] == "draft" and summary(m) == [("annual_fee", "", 1, 83_333)] and m["total_yen"] == 83_333
    b = await invoice_of(body, "2026-10")
    assert summary(b) == [
        ("base_fee", "", 1, 50_000),
        ("usage", "area.export", 1000, 333),  # 1000 x 0.3333 = 333.3 -> 333
        ("usage", "area.search", 67, 167),  # 167 units - 100 included = 67 x 2.5 = 167.5 -> 167
        ("extra", "", 1, 12_000),
    ]
    assert b["total_yen"] == 50_000 + 333 + 167 + 12_000
    assert [r["position"] for r in b["lines"]] == [1, 2, 3, 4]

    # March takes the remainder of the annual fee
    await run("2027-03", jst(2027, 4, 10), ministry)
    assert summary(await invoice_of(ministry, "2027-03")) == [("annual_fee", "", 1, 1_000_003 - 11 * 83_333)]


async def test_a_redelivered_usage_event_is_counted_once():
    body = await make_approved_body(await make_plan(0, {("area", "area.search"): ("1", 0)}))
    event = usage(body.id, "area.search", 30, jst(2026, 10, 9))
    assert await apply_usage(event, event, usage(body.id, "area.search", 5, jst(2026, 10, 9))) == [True, False, True]
    await run("2026-10", DRAFT_TIME, body)
    assert summary(await invoice_of(body, "2026-10")) == [("usage", "area.search", 35, 35)]


async def test_a_rerun_gives_the_same_draft_and_never_doubles():
    body = await _approved_body_with_october_usage()
    first = await run("2026-10", DRAFT_TIME, body)
    before = await invoice_of(body, "2026-10")
    second = await run("2026-10", jst(2026, 11, 3, 2, 0), body)
    after = await invoice_of(body, "2026-10")
    assert first.results[0].outcome == "created" and second.results[0].outcome == "unchanged"
    assert after["total_yen"] == before["total_yen"] == 50_000 + 333 + 167
    assert [r["id"] for r in after["lines"]] == [r["id"] for r in before["lines"]]  # not even rewritten
    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval("SELECT count(*) FROM invoice WHERE tenant_id = $1", body.id) == 1
        actions = [
            decode(r["payload"]).payload.action
            for r in await uow.fetch(
                "SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'audit' ORDER BY seq", body.id
            )
        ]
    assert actions.count("billing.invoice_drafted") == 1 and "billing.invoice_refreshed" not in actions


async def test_late_usage_counts_until_finalisation_and_not_after():
    body = await _approved_body_with_october_usage()
    await run("2026-10", DRAFT_TIME, body)
    # a usage event delayed by an outage arrives after the draft: it lands on the day it happened
    await apply_usage(usage(body.id, "area.search", 40, jst(2026, 10, 29, 12)))
    refreshed = await run("2026-10", jst(2026, 11, 3, 2, 0), body)
    assert refreshed.results[0].outcome == "refreshed"
    assert ("usage", "area.search", 107, 267) in summary(await invoice_of(body, "2026-10"))  # 207 - 100 = 107 x 2.5

    finalised = await run("2026-10", FINAL_TIME, body)
    assert finalised.finalising and finalised.results[0].outcome == "finalised"
    final = await invoice_of(body, "2026-10")
    assert final["status"] == "final" and final["finalised_at"] == FINAL_TIME
    assert final["total_yen"] == 50_000 + 333 + 267

    await apply_usage(usage(body.id, "area.search", 400, jst(2026, 10, 30)))  # too late now
    again = await run("2026-10", jst(2026, 11, 5, 2, 0), body)
    assert again.results[0].outcome == "final"
    assert await invoice_of(body, "2026-10") == final


async def test_a_final_invoice_is_immutable_in_the_database():
    ministry = await make_constituent(annual_fee_yen=1_200_000)
    async with UnitOfWork(OPERATOR) as uow:
        await record_extra_charge(
            uow,
            ministry.id,
            bs.ExtraChargeIn(
                kind="helpdesk_out_of_hours",
                description="土曜日の電話対応",
                amount_yen=8_000,
                occurred_on=dt.date(2026, 10, 10),
                source_ref="HD-1",
            ),
        )
    await run("2026-10", FINAL_TIME, ministry)
    inv = await invoice_of(ministry, "2026-10")
    assert inv["status"] == "final" and inv["total_yen"] == 100_000 + 8_000

    statements = [
        ("UPDATE invoice SET total_yen = 0 WHERE id = $1", inv["id"]),
        ("UPDATE invoice SET status = 'draft', finalised_at = NULL WHERE id = $1", inv["id"]),
        ("DELETE FROM invoice WHERE id = $1", inv["id"]),
        ("UPDATE invoice_line SET amount_yen = 1 WHERE invoice_id = $1", inv["id"]),
        ("DELETE FROM invoice_line WHERE invoice_id = $1", inv["id"]),
        (
            "INSERT INTO invoice_line (id, invoice_id, tenant_id, position, kind, description, quantity, unit_price_yen,"
            " amount_yen) VALUES (gen_random_uuid(), $1, $2, 99, 'extra', 'x', 1, 1, 1)",
            inv["id"],
            ministry.id,
        ),
        ("UPDATE extra_charge SET amount_yen = 1 WHERE invoice_id = $1", inv["id"]),
        ("UPDATE extra_charge SET invoice_id = NULL WHERE invoice_id = $1", inv["id"]),
        (
            "INSERT INTO invoice (id, tenant_id, period, status, issued_at, refreshed_at, finalised_at, total_yen)"
            " VALUES (gen_random_uuid(), $1, '2026-12', 'final', now(), now(), now(), 5)",
            ministry.id,
        ),
    ]
    for sql, *args in statements:
        with pytest.raises(Conflict) as refused:
            async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
                await uow.execute(sql, *args)
        assert any(w in str(refused.value.__cause__) for w in ("is final", "final invoice", "billed", "draft")), sql
    assert await invoice_of(ministry, "2026-10") == inv

    # the charge was billed once: November's invoice does not bill it again
    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval("SELECT invoice_id FROM extra_charge WHERE tenant_id = $1", ministry.id) == inv["id"]
    await run("2026-11", jst(2026, 12, 4, 2, 0), ministry)
    assert summary(await invoice_of(ministry, "2026-11")) == [("annual_fee", "", 1, 100_000)]


async def test_a_charge_recorded_after_its_month_was_finalised_is_billed_the_month_after():
    ministry = await make_constituent(annual_fee_yen=0)
    await run("2026-10", FINAL_TIME, ministry)
    async with UnitOfWork(OPERATOR) as uow:
        await record_extra_charge(
            uow,
            ministry.id,
            bs.ExtraChargeIn(
                kind="agency_change",
                description="10月の改修（後日計上）",
                amount_yen=30_000,
                occurred_on=dt.date(2026, 10, 28),
                source_ref="CR-late",
            ),
        )
    assert (await invoice_of(ministry, "2026-10"))["total_yen"] == 0
    await run("2026-11", jst(2026, 12, 4), ministry)
    assert summary(await invoice_of(ministry, "2026-11")) == [("annual_fee", "", 1, 0), ("extra", "", 1, 30_000)]


async def test_tenants_not_active_in_the_period_get_no_invoice():
    later = await make_constituent(annual_fee_yen=120_000, since=jst(2026, 11, 1, 0, 0))
    applicant_id = await make_applicant()
    report = await run("2026-10", DRAFT_TIME, later)
    assert report.results == [] and await invoice_of(later, "2026-10") is None
    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval("SELECT count(*) FROM invoice WHERE tenant_id = $1", applicant_id) == 0
    await run("2026-11", jst(2026, 12, 1), later)
    assert summary(await invoice_of(later, "2026-11")) == [("annual_fee", "", 1, 10_000)]


async def test_a_period_that_has_not_started_is_refused():
    ministry = await make_constituent()
    with pytest.raises(InvalidInput):
        await run("2026-12", jst(2026, 11, 30, 23, 59), ministry)
