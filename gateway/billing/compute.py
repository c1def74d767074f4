"""What one tenant owes for one period (GOV-4, GOV-5, GOV-11), as invoice lines.

- constituent ministry: 1/12 of the annual fee the council set for the fiscal year (March
  takes the remainder, so the twelve months sum exactly to the annual fee);
- approved body: its plan's monthly base fee, plus per module and operation the units above
  the plan's included units times the unit price, rounded down to whole yen per line;
- both: extra charges not yet billed that occurred up to the period's last day (a charge
  recorded after its month was finalised is billed the month after, never lost).
"""

from __future__ import annotations

import decimal
import uuid

import msgspec

from govstat.gateway.billing.charges import KIND_LABELS
from govstat.gateway.billing.periods import Period, monthly_share
from govstat.gateway.billing.rows import BillableTenant, ExtraChargeRow, FeePlanRow, FeeRateRow
from govstat.gateway.billing.usage import usage_in
from govstat.platform.db.uow import UnitOfWork


class Line(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    description: str
    quantity: int
    unit_price_yen: decimal.Decimal
    amount_yen: int
    module_key: str = ""
    operation: str = ""
    extra_charge_id: uuid.UUID | None = None


def annual_fee_line(annual_fee_yen: int, period: Period) -> Line:
    amount = monthly_share(annual_fee_yen, period.month)
    return Line(
        kind="annual_fee",
        quantity=1,
        unit_price_yen=decimal.Decimal(amount),
        amount_yen=amount,
        description=f"{period.fiscal_year}年度 年額利用料（年額 {annual_fee_yen:,}円）{period.month}月分"
        f" / FY{period.fiscal_year} annual fee, share for {period.first_day:%B}",
    )


def base_fee_line(plan: FeePlanRow) -> Line:
    fee = plan.monthly_base_fee_yen
    return Line(
        kind="base_fee",
        quantity=1,
        unit_price_yen=decimal.Decimal(fee),
        amount_yen=fee,
        description=f"基本料金（{plan.name_ja}）/ Monthly base fee, plan {plan.code}",
    )


def usage_line(
    module_key: str, operation: str, units: int, unit_price_yen: decimal.Decimal, included_units: int
) -> Line:
    billable = max(units - included_units, 0)
    amount = int((billable * unit_price_yen).to_integral_value(rounding=decimal.ROUND_FLOOR))
    return Line(
        kind="usage",
        module_key=module_key,
        operation=operation,
        quantity=billable,
        unit_price_yen=unit_price_yen,
        amount_yen=amount,
        description=f"従量料金 {operation}: {units:,}単位（無料枠 {included_units:,}）"
        f" / metered {operation}: {units:,} units, {included_units:,} included",
    )


def extra_line(charge: ExtraChargeRow) -> Line:
    return Line(
        kind="extra",
        quantity=1,
        unit_price_yen=decimal.Decimal(charge.amount_yen),
        amount_yen=charge.amount_yen,
        extra_charge_id=charge.id,
        description=f"{KIND_LABELS[charge.kind]}: {charge.description}（{charge.occurred_on}）",
    )


async def open_charges(uow: UnitOfWork, tenant_id: uuid.UUID, period: Period, *, lock: bool) -> list[ExtraChargeRow]:
    return await uow.rows(
        ExtraChargeRow,
        "SELECT * FROM extra_charge WHERE tenant_id = $1 AND invoice_id IS NULL AND occurred_on <= $2"
        " ORDER BY occurred_on, created_at, id" + (" FOR UPDATE" if lock else ""),
        tenant_id,
        period.last_day,
    )


async def lines_for(uow: UnitOfWork, tenant: BillableTenant, period: Period, *, lock: bool = False) -> list[Line]:
    """`lock` (when finalising) holds the open charges so that no other run bills them too."""
    lines: list[Line] = []
    if tenant.kind == "constituent":
        annual = await uow.fetchval(
            "SELECT annual_fee_yen FROM constituent_fee WHERE tenant_id = $1 AND fiscal_year = $2",
            tenant.id,
            period.fiscal_year,
        )
        if annual is not None:
            lines.append(annual_fee_line(annual, period))
    elif tenant.kind == "approved_body":
        plan = await uow.one(FeePlanRow, "SELECT * FROM fee_plan WHERE code = $1", tenant.plan, what="料金プラン")
        if plan.monthly_base_fee_yen > 0:
            lines.append(base_fee_line(plan))
        rates = {
            (r.module_key, r.operation): r
            for r in await uow.rows(FeeRateRow, "SELECT * FROM fee_rate WHERE plan_code = $1", tenant.plan)
        }
        for use in await usage_in(uow, tenant.id, period):
            rate = rates.get((use.module_key, use.operation))
            if rate is not None:  # operations without a price in the plan are free
                lines.append(
                    usage_line(use.module_key, use.operation, use.units, rate.unit_price_yen, rate.included_units)
                )
    lines += [extra_line(c) for c in await open_charges(uow, tenant.id, period, lock=lock)]
    return lines


def total(lines: list[Line]) -> int:
    return sum(line.amount_yen for line in lines)


__all__ = ["Line", "lines_for", "total"]
