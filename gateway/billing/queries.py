"""Reading invoices. An agency sees its own tenant's (the statement says so and row-level
security backs it); the operator sees all. Another tenant's invoice answers 404."""

from __future__ import annotations

import uuid

import msgspec

from govstat.gateway.billing.periods import Period
from govstat.gateway.billing.rows import PeriodSum
from govstat.gateway.billing.schemas import InvoiceOut, LineOut, MonthTotal
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where, own
from govstat.platform.errors import NotFound

SELECT = """
SELECT i.*, t.code AS tenant_code, t.name_ja AS tenant_name FROM invoice i JOIN directory_tenant t ON t.id = i.tenant_id
"""
# A price has 4 decimal places in the database; shown without trailing zeros ("2.5", "100000").
LINES = """
SELECT position, kind, module_key, operation, description, quantity,
  trim_scale(unit_price_yen)::text AS unit_price_yen, amount_yen
FROM invoice_line WHERE invoice_id = $1 ORDER BY position
"""


async def list_invoices(
    uow: UnitOfWork, *, period: Period | None = None, tenant_id: uuid.UUID | None = None, limit: int = 500
) -> list[InvoiceOut]:
    w = Where().scoped(uow, "i.").eq("i.period", str(period) if period else None).eq("i.tenant_id", tenant_id)
    return await uow.rows(
        InvoiceOut, f"{SELECT} WHERE {w} ORDER BY i.period DESC, t.code LIMIT {w.param(limit)}", *w.args
    )


async def get_invoice(uow: UnitOfWork, invoice_id: uuid.UUID) -> InvoiceOut:
    w = Where().scoped(uow, "i.").eq("i.id", invoice_id)
    invoice = await uow.row(InvoiceOut, f"{SELECT} WHERE {w}", *w.args)
    if invoice is None:
        raise NotFound(f"請求書 {invoice_id} が見つかりません / invoice not found")
    return msgspec.structs.replace(invoice, lines=await uow.rows(LineOut, LINES, invoice_id))


async def monthly_totals(
    uow: UnitOfWork, last: Period, months: int = 12, tenant_id: uuid.UUID | None = None
) -> list[MonthTotal]:
    """Totals per period for the `months` periods ending with `last` (zero where none)."""
    periods = [last.back(n) for n in range(months - 1, -1, -1)]
    w = Where().scoped(uow, "i.").eq("i.tenant_id", tenant_id).any("i.period", [str(p) for p in periods])
    found = {
        t.period: t
        for t in await uow.rows(
            PeriodSum,
            "SELECT i.period, sum(i.total_yen)::bigint AS total, bool_and(i.status = 'final') AS final,"
            f" count(*) AS invoices FROM invoice i WHERE {w} GROUP BY i.period",
            *w.args,
        )
    }
    return [
        MonthTotal(
            period=str(p),
            label=f"{p.year}/{p.month}",
            total=found[str(p)].total if str(p) in found else 0,
            final=found[str(p)].final if str(p) in found else False,
            invoices=found[str(p)].invoices if str(p) in found else 0,
        )
        for p in periods
    ]


async def latest_period(uow: UnitOfWork) -> Period | None:
    value = await uow.fetchval(f"SELECT max(period) FROM invoice WHERE {own(uow.scope)}")
    return Period.parse(value) if value else None
