"""Rows of the billing tables and of billing's queries (msgspec Structs; issue 9: never dicts).

Money stays integer yen, a unit price a Decimal (numeric(12, 4)); the API's text form of a
price is in schemas.py.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import msgspec

from govstat.tenants import directory


class FeePlanRow(msgspec.Struct, kw_only=True):
    """料金プラン: rate limits and the monthly base fee of approved bodies (gateway_0001_plans)."""

    code: str
    name_ja: str
    rate_quota: int
    rate_window_seconds: int
    rate_burst: int
    monthly_base_fee_yen: int
    decision_ref: str
    created_at: dt.datetime


class FeeRateRow(msgspec.Struct, kw_only=True):
    """A metered unit price of a plan for one module operation."""

    plan_code: str
    module_key: str
    operation: str
    unit_price_yen: decimal.Decimal
    included_units: int


class ConstituentFeeRow(msgspec.Struct, kw_only=True):
    """年額利用料: a constituent ministry's annual fee for a fiscal year, as the council set it."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    fiscal_year: int
    annual_fee_yen: int
    decision_id: uuid.UUID
    created_at: dt.datetime
    updated_at: dt.datetime


class UsageRow(msgspec.Struct, kw_only=True):
    """Billable calls and units of one module operation in a period."""

    module_key: str
    operation: str
    calls: int
    units: int


# a tenant the invoice run bills, with what the fee depends on: as the tenants' directory answers it
BillableTenant = directory.BillableTenant


class InvoiceRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    period: str
    status: str
    issued_at: dt.datetime
    refreshed_at: dt.datetime
    finalised_at: dt.datetime | None
    total_yen: int


class ExtraChargeRow(msgspec.Struct, kw_only=True):
    """個別費用: an agency-specific change, help outside hours or another charge; invoice_id once billed."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    kind: str
    description: str
    amount_yen: int
    occurred_on: dt.date
    source_ref: str
    invoice_id: uuid.UUID | None
    recorded_by: str
    created_at: dt.datetime


class PeriodSum(msgspec.Struct, kw_only=True):
    """Invoiced yen in one period."""

    period: str
    total: int
    final: bool  # every invoice of the period is final
    invoices: int
