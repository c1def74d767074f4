"""Billing factories: tenants active since a given day, plans with prices, usage and charge events.

Fees, rates and charges go through billing's own use cases; usage goes through the usage
consumer's apply(), exactly as events from Kafka do.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from govstat.gateway.billing import fees
from govstat.gateway.billing import schemas as bs
from govstat.gateway.billing.charges import ExtraChargeConsumer
from govstat.gateway.billing.invoicing import run_invoices
from govstat.gateway.billing.periods import JST, Period
from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.domain import BillableEvent
from govstat.platform.events.envelope import Envelope, UsagePayload, new_event
from govstat.platform.security import Scope
from govstat.tenants import admission, schemas
from tests.support.factories import (
    OPERATOR,
    PASSWORD,
    TenantFixture,
    add_admin_and_staff,
    contact_pair,
    make_tenant,
    sign_in,
    unique,
)
from tests.support.services import as_owner

ACTIVE_SINCE = dt.datetime(2026, 4, 1, 9, 0, tzinfo=JST)


def jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JST)


async def activate_since(tenant_id: uuid.UUID, when: dt.datetime = ACTIVE_SINCE) -> None:
    """Tenants made today are not active in past months; move their start back."""
    async with UnitOfWork(OPERATOR) as uow:
        await uow.execute("UPDATE tenant SET activated_at = $2 WHERE id = $1", tenant_id, when)


async def make_constituent(
    annual_fee_yen: int | None = None, fiscal_year: int = 2026, since: dt.datetime = ACTIVE_SINCE
) -> TenantFixture:
    t = await make_tenant()
    await activate_since(t.id, since)
    if annual_fee_yen is not None:
        async with UnitOfWork(OPERATOR) as uow:
            await fees.set_constituent_fee(
                uow,
                t.id,
                bs.ConstituentFeeIn(
                    fiscal_year=fiscal_year,
                    annual_fee_yen=annual_fee_yen,
                    decided_on=dt.date(fiscal_year, 3, 20),
                    reference=f"協議会決定 {fiscal_year}-{t.code}",
                ),
            )
    return t


async def unlimited_plan(code: str, name_ja: str) -> str:
    """Plan `code` (made once) that never rate-limits and has no base fee, seen by the gateway at once
    (its plans are cached for 30 s); its code."""
    from govstat.gateway import plans

    await as_owner(
        "INSERT INTO fee_plan (code, name_ja, rate_quota, rate_window_seconds, rate_burst, monthly_base_fee_yen)"
        " VALUES ($1, $2, 1000000, 60, 100000, 0) ON CONFLICT (code) DO NOTHING",
        code,
        name_ja,
    )
    plans.forget()
    return code


async def make_plan(base_fee_yen: int, rates: dict[tuple[str, str], tuple[str, int]]) -> str:
    """A fresh plan: {(module, operation): (unit price, included units)}."""
    code = unique("plan-")
    async with UnitOfWork(OPERATOR) as uow:
        await uow.execute(
            "INSERT INTO fee_plan (code, name_ja, rate_quota, rate_window_seconds, rate_burst)"
            " VALUES ($1, $2, 600, 60, 60)",
            code,
            f"試験プラン {code}",
        )
        await fees.set_plan_fee(
            uow, code, bs.PlanFeeIn(monthly_base_fee_yen=base_fee_yen, decision_ref=f"協議会意見聴取 {code}")
        )
        for (module, operation), (price, included) in rates.items():
            await fees.set_fee_rate(
                uow,
                code,
                module,
                operation,
                bs.FeeRateIn(
                    unit_price_yen=decimal.Decimal(price), included_units=included, decision_ref=f"意見聴取 {code}"
                ),
            )
    return code


async def make_approved_body(plan: str = "standard", since: dt.datetime = ACTIVE_SINCE) -> TenantFixture:
    """An approved body through admission: application, council decision, contract, contacts, activation."""
    code = unique("b")
    async with UnitOfWork(OPERATOR) as uow:
        row = await admission.apply_admission(
            uow,
            schemas.ApplicationIn(
                code=code, name_ja=f"承認機関{code}", submitted_on=dt.date(2026, 3, 1), document_ref=f"申請-{code}"
            ),
        )
        tid = row.id
        await admission.decide_admission(
            uow,
            tid,
            schemas.DecisionIn(outcome="approved", decided_on=dt.date(2026, 3, 10), reference=f"協議会決定-{code}"),
        )
        await admission.sign_contract(
            uow,
            tid,
            schemas.ContractIn(reference=f"契約-{code}", signed_on=dt.date(2026, 3, 20), starts_on=dt.date(2026, 4, 1)),
        )
        from govstat.tenants.contacts import replace_contacts

        await replace_contacts(uow, tid, contact_pair(code))
        await admission.activate(uow, tid)
        await uow.execute("UPDATE tenant SET plan = $2, activated_at = $3 WHERE id = $1", tid, plan, since)
        return await add_admin_and_staff(uow, tid, code)


def usage(
    tenant_id: uuid.UUID | None,
    operation: str,
    units: int,
    at: dt.datetime,
    *,
    status: int = 200,
    source: str = "request",
) -> Envelope:
    return new_event(
        UsagePayload(
            module=operation.split(".")[0],
            operation=operation,
            principal_kind="agency",
            status=status,
            units=units,
            source=source,
        ),
        tenant_id,
        occurred_at=at,
    )


async def apply_usage(*events: Envelope) -> list[bool]:
    consumer = BillableUsageConsumer()
    return [await consumer.apply(e) for e in events]


def charge_event(
    tenant_id: uuid.UUID | None,
    kind: type[BillableEvent],
    amount_yen: int,
    source_ref: str,
    occurred_on: dt.date = dt.date(2026, 10, 15),
    description: str = "夜間の電話対応 30分",
) -> Envelope:
    """A billable domain event (ops' OutOfHoursCharged or CostAssigned) as the consumer receives it."""
    event = kind(amount_yen=amount_yen, description=description, source_ref=source_ref, occurred_on=occurred_on)
    return new_event(event, tenant_id)


async def apply_charge(event: Envelope) -> bool:
    return await ExtraChargeConsumer().apply(event)


async def run(period: str, now: dt.datetime, *tenants: TenantFixture):
    return await run_invoices(Period.parse(period), now, tenant_ids=[t.id for t in tenants], actor="test")


async def invoice_of(tenant: TenantFixture, period: str) -> dict | None:
    async with UnitOfWork(Scope.system("test")) as uow:
        inv = await uow.fetchrow("SELECT * FROM invoice WHERE tenant_id = $1 AND period = $2", tenant.id, period)
        if inv is None:
            return None
        lines = await uow.fetch("SELECT * FROM invoice_line WHERE invoice_id = $1 ORDER BY position", inv["id"])
    return {**dict(inv), "lines": [dict(r) for r in lines]}


def summary(invoice: dict) -> list[tuple]:
    """(kind, operation, quantity, amount) per line, for exact comparisons."""
    return [(r["kind"], r["operation"], r["quantity"], r["amount_yen"]) for r in invoice["lines"]]


async def sign_in_as(client, login: str, password: str = PASSWORD) -> str:
    """Signs in as someone else: the old session cookie goes first. Returns the CSRF token."""
    client.cookies.clear()
    return await sign_in(client, login, password)
