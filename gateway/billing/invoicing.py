"""The monthly invoice run (GOV-4): one transaction per tenant, safe to repeat.

Before the period's end plus the grace period a run writes or refreshes a DRAFT (its lines
are recomputed and replaced only if they differ, so a re-run gives the same draft and never
doubles). After it, the run FINALISES: the invoice and its lines become immutable (the
database refuses any change) and the extra charges it bills are marked with its id, so no
other invoice bills them again. A run after finalising changes nothing. Every state change
writes its audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable

import msgspec

from govstat.gateway.billing import compute
from govstat.gateway.billing.periods import Period
from govstat.gateway.billing.rows import BillableTenant, InvoiceRow
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import audit
from govstat.platform.security import Scope
from govstat.tenants import directory

log = logging.getLogger("govstat.billing")

LINE_COLUMNS = "kind, description, quantity, unit_price_yen, amount_yen, module_key, operation, extra_charge_id"


class TenantResult(msgspec.Struct, kw_only=True):
    tenant_id: uuid.UUID
    code: str
    outcome: str  # created | refreshed | unchanged | finalised | final (already) | error
    invoice_id: uuid.UUID | None = None
    status: str = ""
    total_yen: int = 0
    error: str = ""


class RunReport(msgspec.Struct, kw_only=True):
    period: str
    now: dt.datetime
    finalising: bool
    results: list[TenantResult] = []

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.outcome] = out.get(r.outcome, 0) + 1
        return out

    @property
    def errors(self) -> list[TenantResult]:
        return [r for r in self.results if r.outcome == "error"]


async def active_tenants(
    uow: UnitOfWork, period: Period, tenant_ids: list[uuid.UUID] | None = None
) -> list[BillableTenant]:
    """Tenants that were active at some time in the period (others get no invoice); `tenant_ids`: only these."""
    return await directory.billable_tenants(
        uow, activated_before=period.ends_at, ended_after=period.first_day, ids=tenant_ids
    )


async def _stored_lines(uow: UnitOfWork, invoice_id: uuid.UUID) -> list[compute.Line]:
    return await uow.rows(
        compute.Line, f"SELECT {LINE_COLUMNS} FROM invoice_line WHERE invoice_id = $1 ORDER BY position", invoice_id
    )


async def _replace_lines(uow: UnitOfWork, invoice: InvoiceRow, lines: list[compute.Line]) -> None:
    await uow.execute("DELETE FROM invoice_line WHERE invoice_id = $1", invoice.id)
    await uow.connection.executemany(
        f"INSERT INTO invoice_line (id, invoice_id, tenant_id, position, {LINE_COLUMNS})"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        [
            (
                uuid.uuid4(),
                invoice.id,
                invoice.tenant_id,
                i,
                line.kind,
                line.description,
                line.quantity,
                line.unit_price_yen,
                line.amount_yen,
                line.module_key,
                line.operation,
                line.extra_charge_id,
            )
            for i, line in enumerate(lines, start=1)
        ],
    )


async def invoice_tenant(uow: UnitOfWork, tenant: BillableTenant, period: Period, now: dt.datetime) -> TenantResult:
    finalising = now >= period.finalises_at
    created = await uow.fetchval(
        "INSERT INTO invoice (id, tenant_id, period, status, issued_at, refreshed_at, total_yen)"
        " VALUES ($1, $2, $3, 'draft', $4, $4, 0) ON CONFLICT (tenant_id, period) DO NOTHING RETURNING id",
        uuid.uuid4(),
        tenant.id,
        str(period),
        now,
    )
    # Locked: a second run at the same time waits here, then sees this run's result.
    invoice = await uow.one(
        InvoiceRow, "SELECT * FROM invoice WHERE tenant_id = $1 AND period = $2 FOR UPDATE", tenant.id, str(period)
    )
    result = TenantResult(
        tenant_id=tenant.id,
        code=tenant.code,
        outcome="final",
        invoice_id=invoice.id,
        status=invoice.status,
        total_yen=invoice.total_yen,
    )
    if invoice.status == "final":
        return result  # a re-run after finalising changes nothing
    lines = await compute.lines_for(uow, tenant, period, lock=finalising)
    total = compute.total(lines)
    changed = await _stored_lines(uow, invoice.id) != lines
    if changed:
        await _replace_lines(uow, invoice, lines)
        await uow.execute("UPDATE invoice SET total_yen = $2, refreshed_at = $3 WHERE id = $1", invoice.id, total, now)
    detail = {"period": str(period), "total_yen": total, "lines": len(lines)}
    result.total_yen = total
    if finalising:
        charge_ids = [line.extra_charge_id for line in lines if line.extra_charge_id]
        await uow.execute("UPDATE extra_charge SET invoice_id = $1 WHERE id = ANY($2::uuid[])", invoice.id, charge_ids)
        await uow.execute("UPDATE invoice SET status = 'final', finalised_at = $2 WHERE id = $1", invoice.id, now)
        await audit(
            uow,
            "billing.invoice_finalised",
            tenant_id=tenant.id,
            target_type="invoice",
            target_id=invoice.id,
            module="gateway",
            extra_charges=len(charge_ids),
            **detail,
        )
        result.outcome, result.status = "finalised", "final"
    elif created:
        await audit(
            uow,
            "billing.invoice_drafted",
            tenant_id=tenant.id,
            target_type="invoice",
            target_id=invoice.id,
            module="gateway",
            **detail,
        )
        result.outcome = "created"
    elif changed:
        await audit(
            uow,
            "billing.invoice_refreshed",
            tenant_id=tenant.id,
            target_type="invoice",
            target_id=invoice.id,
            module="gateway",
            previous_total_yen=invoice.total_yen,
            **detail,
        )
        result.outcome = "refreshed"
    else:
        result.outcome = "unchanged"
    return result


async def run_invoices(
    period: Period,
    now: dt.datetime,
    *,
    tenant_ids: list[uuid.UUID] | None = None,
    actor: str = "billing-run",
    on_tenant: Callable[[TenantResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> RunReport:
    """Invoice every tenant active in `period` as of `now`; one tenant's failure does not stop the rest."""
    if now < period.starts_at:
        raise InvalidInput.field("period", f"{period} はまだ始まっていません / the period has not started yet")
    report = RunReport(period=str(period), now=now, finalising=now >= period.finalises_at)
    async with UnitOfWork(Scope.system(actor)) as uow:
        tenants = await active_tenants(uow, period, tenant_ids)
    if on_start:
        on_start(len(tenants))
    for tenant in tenants:
        try:
            async with UnitOfWork(Scope.system(actor)) as uow:
                result = await invoice_tenant(uow, tenant, period, now)
        except Exception as exc:
            log.exception("invoice run %s: tenant %s failed", period, tenant.code)
            result = TenantResult(tenant_id=tenant.id, code=tenant.code, outcome="error", error=str(exc)[:500])
        report.results.append(result)
        if on_tenant:
            on_tenant(result)
    return report
