"""Piccolo classes for the billing tables (DDL in piccolo_migrations/gateway_0002_billing.py).

billable_usage has a composite key, which Piccolo cannot express; usage.py reads and writes it in SQL.
"""

from piccolo.columns import UUID, BigInt, Date, Integer, Numeric, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401  (PICCOLO_CONF before any table class)


class ConstituentFee(Table, tablename="constituent_fee"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    fiscal_year = Integer()
    annual_fee_yen = BigInt()
    decision_id = UUID()
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Invoice(Table, tablename="invoice"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    period = Varchar(length=7)
    status = Varchar(length=8, default="draft")
    issued_at = Timestamptz()
    refreshed_at = Timestamptz()
    finalised_at = Timestamptz(null=True, default=None)
    total_yen = BigInt()


class InvoiceLine(Table, tablename="invoice_line"):
    id = UUID(primary_key=True)
    invoice_id = UUID()
    tenant_id = UUID()
    position = Integer()
    kind = Varchar(length=16)
    module_key = Varchar(length=32)
    operation = Varchar(length=64)
    description = Text()
    quantity = BigInt()
    unit_price_yen = Numeric(digits=(12, 4))
    amount_yen = BigInt()
    extra_charge_id = UUID(null=True, default=None)


class ExtraCharge(Table, tablename="extra_charge"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    kind = Varchar(length=24)
    description = Text()
    amount_yen = BigInt()
    occurred_on = Date()
    source_ref = Varchar(length=200)
    invoice_id = UUID(null=True, default=None)
    recorded_by = Text()
    created_at = Timestamptz()


ALL = [ConstituentFee, Invoice, InvoiceLine, ExtraCharge]
