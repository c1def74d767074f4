"""Fees (GOV-4): constituent ministries' annual fees decided by the council; approved bodies'
plan fees and metered unit prices, set by the operator after hearing the council."""

from __future__ import annotations

import decimal
import uuid

import msgspec

from govstat.gateway.billing import schemas
from govstat.gateway.billing.rows import ConstituentFeeRow, FeePlanRow, FeeRateRow
from govstat.gateway.billing.tables import ConstituentFee
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition, NotFound
from govstat.platform.events.audit import audit
from govstat.tenants import council, directory

MODULE = "gateway"
MAX_PRICE = decimal.Decimal("99999999.9999")  # numeric(12, 4)


async def set_constituent_fee(
    uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.ConstituentFeeIn
) -> schemas.ConstituentFeeSet:
    """Record the council's decision and the annual fee it sets for one fiscal year.

    A later decision for the same year replaces the fee (the earlier decision stays on record);
    invoices already finalised keep what they billed."""
    tenant = await directory.tenant(uow, tenant_id)
    if tenant.kind != "constituent":
        raise InvalidTransition("年額利用料は構成府省のみ / annual fees apply to constituent ministries only")
    decision = await council.record(
        uow,
        tenant_id=tenant_id,
        subject="constituent_fee",
        outcome="approved",
        decided_on=data.decided_on,
        reference=data.reference,
        summary=data.summary or f"{data.fiscal_year}年度 年額利用料 {data.annual_fee_yen:,}円",
    )
    previous = await uow.repo(ConstituentFee, ConstituentFeeRow).first(
        ConstituentFee.tenant_id == tenant_id, ConstituentFee.fiscal_year == data.fiscal_year, for_update=True
    )
    row = await uow.one(
        ConstituentFeeRow,
        "INSERT INTO constituent_fee (id, tenant_id, fiscal_year, annual_fee_yen, decision_id) VALUES ($1,$2,$3,$4,$5)"
        " ON CONFLICT (tenant_id, fiscal_year) DO UPDATE SET annual_fee_yen = excluded.annual_fee_yen,"
        " decision_id = excluded.decision_id, updated_at = now() RETURNING *",
        uuid.uuid4(),
        tenant_id,
        data.fiscal_year,
        data.annual_fee_yen,
        decision.id,
    )
    await audit(
        uow,
        "billing.constituent_fee_set",
        tenant_id=tenant_id,
        target_type="constituent_fee",
        target_id=row.id,
        module=MODULE,
        fiscal_year=data.fiscal_year,
        annual_fee_yen=data.annual_fee_yen,
        previous_fee_yen=previous.annual_fee_yen if previous else None,
        decision_id=decision.id,
        reference=data.reference,
    )
    return schemas.ConstituentFeeSet(**msgspec.structs.asdict(row), decision=decision)


async def constituent_fees(uow: UnitOfWork, tenant_id: uuid.UUID) -> list[schemas.ConstituentFeeOut]:
    await directory.tenant(uow, tenant_id)  # another tenant's id: 404
    rows = await uow.rows(
        ConstituentFeeRow, "SELECT f.* FROM constituent_fee f WHERE f.tenant_id = $1 ORDER BY f.fiscal_year", tenant_id
    )
    decided = await council.decisions(uow, [r.decision_id for r in rows])
    return [
        schemas.ConstituentFeeOut(
            **msgspec.structs.asdict(r),
            decided_on=decided[r.decision_id].decided_on,
            reference=decided[r.decision_id].reference,
        )
        for r in rows
        if r.decision_id in decided  # as the inner join did
    ]


async def set_plan_fee(uow: UnitOfWork, code: str, data: schemas.PlanFeeIn) -> FeePlanRow:
    before = await _plan(uow, code, lock=True)
    row = await uow.one(
        FeePlanRow,
        "UPDATE fee_plan SET monthly_base_fee_yen = $2, decision_ref = $3 WHERE code = $1 RETURNING *",
        code,
        data.monthly_base_fee_yen,
        data.decision_ref,
    )
    await audit(
        uow,
        "billing.plan_fee_set",
        tenant_id=None,
        target_type="fee_plan",
        target_id=code,
        module=MODULE,
        monthly_base_fee_yen=data.monthly_base_fee_yen,
        previous_fee_yen=before.monthly_base_fee_yen,
        decision_ref=data.decision_ref,
    )
    return row


async def set_fee_rate(
    uow: UnitOfWork, code: str, module_key: str, operation: str, data: schemas.FeeRateIn
) -> schemas.FeeRateOut:
    """A metered unit price; `operation` is the full operation key as metered ("area.search")."""
    if not data.unit_price_yen.is_finite() or not 0 <= data.unit_price_yen <= MAX_PRICE:
        raise InvalidInput.field("unit_price_yen", "0以上の金額を指定してください / must be a non-negative amount")
    if data.unit_price_yen.as_tuple().exponent < -4:  # type: ignore[operator]
        raise InvalidInput.field("unit_price_yen", "小数点以下4桁まで / at most 4 decimal places")
    if not operation.startswith(f"{module_key}.") and module_key != "gateway":
        raise InvalidInput.field("operation", f"{module_key}. で始まる操作キー / must be an operation of {module_key}")
    await _plan(uow, code, lock=True)
    row = await uow.one(
        FeeRateRow,
        "INSERT INTO fee_rate (plan_code, module_key, operation, unit_price_yen, included_units) VALUES ($1,$2,$3,$4,$5)"
        " ON CONFLICT (plan_code, module_key, operation) DO UPDATE SET unit_price_yen = excluded.unit_price_yen,"
        " included_units = excluded.included_units RETURNING *",
        code,
        module_key,
        operation,
        data.unit_price_yen,
        data.included_units,
    )
    # The plan records the council hearing behind its latest fee change.
    await uow.execute("UPDATE fee_plan SET decision_ref = $2 WHERE code = $1", code, data.decision_ref)
    await audit(
        uow,
        "billing.fee_rate_set",
        tenant_id=None,
        target_type="fee_rate",
        target_id=f"{code}/{module_key}/{operation}",
        module=MODULE,
        unit_price_yen=str(data.unit_price_yen),
        included_units=data.included_units,
        decision_ref=data.decision_ref,
    )
    return schemas.FeeRateOut(
        plan_code=row.plan_code,
        module_key=row.module_key,
        operation=row.operation,
        unit_price_yen=str(row.unit_price_yen),
        included_units=row.included_units,
    )


async def plans(uow: UnitOfWork) -> list[schemas.PlanOut]:
    out = await uow.rows(
        schemas.PlanOut, "SELECT code, name_ja, monthly_base_fee_yen, decision_ref FROM fee_plan ORDER BY code"
    )
    by_code = {p.code: p for p in out}
    for r in await uow.rows(FeeRateRow, "SELECT * FROM fee_rate ORDER BY plan_code, module_key, operation"):
        by_code[r.plan_code].rates.append(
            schemas.RateOut(
                module_key=r.module_key,
                operation=r.operation,
                unit_price_yen=str(r.unit_price_yen),
                included_units=r.included_units,
            )
        )
    return out


async def _plan(uow: UnitOfWork, code: str, *, lock: bool = False) -> FeePlanRow:
    row = await uow.row(FeePlanRow, "SELECT * FROM fee_plan WHERE code = $1" + (" FOR UPDATE" if lock else ""), code)
    if row is None:
        raise NotFound(f"料金プラン {code} が見つかりません / fee plan not found")
    return row
