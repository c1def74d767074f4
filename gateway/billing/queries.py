"""Reading invoices. An agency sees its own tenant's (the statement says so and row-level
security backs it); the operator sees all. Another tenant's invoice answers 404."""

from __future__ import annotations

import uuid
from typing import Any

from govstat.gateway.billing.periods import Period
from govstat.gateway.billing.schemas import InvoiceOut, LineOut
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound

SELECT = """
SELECT i.*, t.code AS tenant_code, t.name_ja AS tenant_name FROM invoice i JOIN directory_tenant t ON t.id = i.tenant_id
WHERE ($1::uuid IS NULL OR i.tenant_id = $1)
"""


def _own(uow: UnitOfWork) -> uuid.UUID | None:
    """The tenant to restrict to; None for cross-tenant scopes. No tenant at all matches nothing."""
    scope = uow.scope
    return None if scope.cross_tenant else (scope.tenant_id or uuid.UUID(int=0))


def _out(row: Any, lines: list[LineOut] | None = None) -> InvoiceOut:
    return InvoiceOut(
        id=row["id"],
        tenant_id=row["tenant_id"],
        tenant_code=row["tenant_code"],
        tenant_name=row["tenant_name"],
        period=row["period"],
        status=row["status"],
        issued_at=row["issued_at"],
        refreshed_at=row["refreshed_at"],
        finalised_at=row["finalised_at"],
        total_yen=row["total_yen"],
        lines=lines,
    )


async def list_invoices(
    uow: UnitOfWork, *, period: Period | None = None, tenant_id: uuid.UUID | None = None, limit: int = 500
) -> list[InvoiceOut]:
    rows = await uow.fetch(
        SELECT + " AND ($2::text IS NULL OR i.period = $2) AND ($3::uuid IS NULL OR i.tenant_id = $3)"
        " ORDER BY i.period DESC, t.code LIMIT $4",
        _own(uow),
        str(period) if period else None,
        tenant_id,
        limit,
    )
    return [_out(r) for r in rows]


async def get_invoice(uow: UnitOfWork, invoice_id: uuid.UUID) -> InvoiceOut:
    row = await uow.fetchrow(SELECT + " AND i.id = $2", _own(uow), invoice_id)
    if row is None:
        raise NotFound(f"請求書 {invoice_id} が見つかりません / invoice not found")
    lines = await uow.fetch("SELECT * FROM invoice_line WHERE invoice_id = $1 ORDER BY position", invoice_id)
    return _out(
        row,
        [
            LineOut(
                position=r["position"],
                kind=r["kind"],
                module_key=r["module_key"],
                operation=r["operation"],
                description=r["description"],
                quantity=r["quantity"],
                unit_price_yen=_price(r["unit_price_yen"]),
                amount_yen=r["amount_yen"],
            )
            for r in lines
        ],
    )


def _price(value) -> str:
    """4 decimal places in the database; shown without trailing zeros ("2.5", "100000")."""
    return format(value.normalize(), "f")


async def monthly_totals(
    uow: UnitOfWork, last: Period, months: int = 12, tenant_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """Totals per period for the `months` periods ending with `last` (zero where none)."""
    periods = [last.back(n) for n in range(months - 1, -1, -1)]
    rows = await uow.fetch(
        "SELECT i.period, sum(i.total_yen)::bigint AS total, bool_and(i.status = 'final') AS final, count(*) AS n"
        " FROM invoice i WHERE ($1::uuid IS NULL OR i.tenant_id = $1) AND ($2::uuid IS NULL OR i.tenant_id = $2)"
        " AND i.period = ANY($3::text[]) GROUP BY i.period",
        _own(uow),
        tenant_id,
        [str(p) for p in periods],
    )
    found = {r["period"]: r for r in rows}
    return [
        {
            "period": str(p),
            "label": f"{p.year}/{p.month}",
            "total": found[str(p)]["total"] if str(p) in found else 0,
            "final": bool(found[str(p)]["final"]) if str(p) in found else False,
            "invoices": found[str(p)]["n"] if str(p) in found else 0,
        }
        for p in periods
    ]


async def latest_period(uow: UnitOfWork) -> Period | None:
    value = await uow.fetchval("SELECT max(period) FROM invoice WHERE ($1::uuid IS NULL OR tenant_id = $1)", _own(uow))
    return Period.parse(value) if value else None
