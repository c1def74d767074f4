"""Request and response shapes of billing (msgspec Structs). Money is integer yen throughout;
only a metered unit price may have fractions of a yen (it is multiplied, then rounded down)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Annotated, Literal

import msgspec

from govstat.gateway.billing.rows import ConstituentFeeRow, PeriodSum
from govstat.tenants.rows import DecisionRow

PeriodText = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]
Yen = Annotated[int, msgspec.Meta(ge=0, le=10**12, description="whole yen")]
Ref = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=400)]
ChargeKind = Literal["agency_change", "helpdesk_out_of_hours", "other"]
LineKind = Literal["annual_fee", "base_fee", "usage", "extra"]


class Base(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True):
    pass


class ConstituentFeeIn(Base, kw_only=True):
    """The council's decision on a constituent ministry's annual fee (GOV-4)."""

    fiscal_year: Annotated[int, msgspec.Meta(ge=2000, le=2100, description="年度 (April–March)")]
    annual_fee_yen: Yen
    decided_on: dt.date
    reference: Ref
    summary: str = ""


class PlanFeeIn(Base, kw_only=True):
    """An approved-body plan's monthly base fee, set by the operator after hearing the council."""

    monthly_base_fee_yen: Yen
    decision_ref: Ref


class FeeRateIn(Base, kw_only=True):
    unit_price_yen: decimal.Decimal
    included_units: Annotated[int, msgspec.Meta(ge=0, le=10**12)] = 0  # a bigint column
    decision_ref: Ref


class ExtraChargeIn(Base, kw_only=True):
    """An agency-specific change (GOV-5), help outside hours (GOV-11) or another charge."""

    kind: ChargeKind
    description: Text
    amount_yen: Annotated[int, msgspec.Meta(gt=0, le=10**12)]
    occurred_on: dt.date
    source_ref: Annotated[str, msgspec.Meta(max_length=200)] = ""  # idempotency: same ref, same charge


class RunIn(Base, kw_only=True):
    period: PeriodText


class LineOut(msgspec.Struct, kw_only=True):
    position: int
    kind: LineKind
    module_key: str
    operation: str
    description: str
    quantity: int
    unit_price_yen: str  # decimal as text: no float ever touches money
    amount_yen: int


class InvoiceOut(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    tenant_code: str
    tenant_name: str
    period: str
    status: Literal["draft", "final"]
    issued_at: dt.datetime
    refreshed_at: dt.datetime
    finalised_at: dt.datetime | None
    total_yen: int
    lines: list[LineOut] | None = None


class RateOut(msgspec.Struct, kw_only=True):
    module_key: str
    operation: str
    unit_price_yen: str  # decimal as text
    included_units: int


class FeeRateOut(RateOut, kw_only=True):
    plan_code: str


class PlanOut(msgspec.Struct, kw_only=True):
    """A fee plan with its base fee, the council hearing behind it and its metered unit prices."""

    code: str
    name_ja: str
    monthly_base_fee_yen: int
    decision_ref: str
    rates: list[RateOut] = []


class ConstituentFeeOut(ConstituentFeeRow, kw_only=True):
    """An annual fee with the date and reference of the council decision that set it."""

    decided_on: dt.date
    reference: str


class ConstituentFeeSet(ConstituentFeeRow, kw_only=True):
    decision: DecisionRow


class MonthTotal(PeriodSum, kw_only=True):
    """Invoiced yen in one period, for the chart of the last twelve months."""

    label: str  # "2026/4"


class RunQueued(msgspec.Struct, kw_only=True):
    job: str
    job_id: str
    period: str
