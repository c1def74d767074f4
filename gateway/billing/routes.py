"""Billing API under /api/billing: invoices for agency administrators (their own) and the
operator (all); fees, rates, extra charges and runs for the operator."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, Router, get, post, put

from govstat.gateway.billing import charges, fees, queries, schemas
from govstat.gateway.billing.jobs import JOB_NAME, enqueue_run
from govstat.gateway.billing.periods import Period
from govstat.gateway.billing.rows import ExtraChargeRow, FeePlanRow
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit
from govstat.platform.module import access as module_access
from govstat.platform.security import Principal, Role
from govstat.platform.web.deps import set_units

OP, ADMIN = Role.OPERATOR, Role.AGENCY_ADMIN


def access(*roles: Role, op: str, audit: bool = False) -> dict[str, Any]:
    """Billing is part of the gateway, not a subscribed module: every tenant reaches it."""
    return module_access(*roles, op=op, audit=audit, subscription=False)


@get("/invoices", opt=access(OP, ADMIN, op="billing.invoices"))
async def list_invoices(
    request: Request, uow: UnitOfWork, period: str | None = None, tenant_id: uuid.UUID | None = None
) -> list[schemas.InvoiceOut]:
    """Invoices, newest period first; `period=YYYY-MM` filters. An agency sees its own only."""
    rows = await queries.list_invoices(uow, period=Period.parse(period) if period else None, tenant_id=tenant_id)
    set_units(request, len(rows))
    return rows


@get("/invoices/{invoice_id:uuid}", opt=access(OP, ADMIN, op="billing.invoices"))
async def get_invoice(uow: UnitOfWork, invoice_id: uuid.UUID) -> schemas.InvoiceOut:
    return await queries.get_invoice(uow, invoice_id)


@post("/runs", opt=access(OP, op="billing.run", audit=True), status_code=202)
async def request_run(data: schemas.RunIn, uow: UnitOfWork, principal: Principal) -> schemas.RunQueued:
    """Run the invoices of a period in the background (draft or final by the date; idempotent)."""
    job_id = await enqueue_run(Period.parse(data.period), principal.subject)
    await audit(
        uow,
        "billing.run_requested",
        tenant_id=None,
        target_type="job",
        target_id=job_id,
        module="gateway",
        period=data.period,
    )
    return schemas.RunQueued(job=JOB_NAME, job_id=job_id, period=data.period)


@get("/plans", opt=access(OP, ADMIN, op="billing.fees"))
async def list_plans(uow: UnitOfWork) -> list[schemas.PlanOut]:
    """Fee plans with their base fees, council hearing references and metered unit prices."""
    return await fees.plans(uow)


@put("/plans/{code:str}", opt=access(OP, op="billing.fees_manage", audit=True))
async def set_plan_fee(code: str, data: schemas.PlanFeeIn, uow: UnitOfWork) -> FeePlanRow:
    return await fees.set_plan_fee(uow, code, data)


@put("/plans/{code:str}/rates/{module_key:str}/{operation:str}", opt=access(OP, op="billing.fees_manage", audit=True))
async def set_fee_rate(
    code: str, module_key: str, operation: str, data: schemas.FeeRateIn, uow: UnitOfWork
) -> schemas.FeeRateOut:
    return await fees.set_fee_rate(uow, code, module_key, operation, data)


@get("/tenants/{tenant_id:uuid}/constituent-fees", opt=access(OP, ADMIN, op="billing.fees"))
async def list_constituent_fees(tenant_id: uuid.UUID, uow: UnitOfWork) -> list[schemas.ConstituentFeeOut]:
    return await fees.constituent_fees(uow, tenant_id)


@post("/tenants/{tenant_id:uuid}/constituent-fees", opt=access(OP, op="billing.fees_manage", audit=True))
async def set_constituent_fee(
    tenant_id: uuid.UUID, data: schemas.ConstituentFeeIn, uow: UnitOfWork
) -> schemas.ConstituentFeeSet:
    """Enter the council's decision on a constituent ministry's annual fee for a fiscal year."""
    return await fees.set_constituent_fee(uow, tenant_id, data)


@get("/tenants/{tenant_id:uuid}/extra-charges", opt=access(OP, ADMIN, op="billing.charges"))
async def list_extra_charges(tenant_id: uuid.UUID, uow: UnitOfWork) -> list[ExtraChargeRow]:
    return await charges.extra_charges(uow, tenant_id)


@post("/tenants/{tenant_id:uuid}/extra-charges", opt=access(OP, op="billing.charges_manage", audit=True))
async def record_extra_charge(tenant_id: uuid.UUID, data: schemas.ExtraChargeIn, uow: UnitOfWork) -> Response:
    """201 with the new charge; 200 with the charge already recorded under the same source_ref."""
    charge, created = await charges.record_extra_charge(uow, tenant_id, data)
    return Response(charge, status_code=201 if created else 200)


api = Router(
    path="/api/billing",
    tags=["billing / 利用料金"],
    route_handlers=[
        list_invoices,
        get_invoice,
        request_run,
        list_plans,
        set_plan_fee,
        set_fee_rate,
        list_constituent_fees,
        set_constituent_fee,
        list_extra_charges,
        record_extra_charge,
    ],
)
