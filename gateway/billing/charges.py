"""Other charges (GOV-5 agency-specific changes, GOV-11 help outside hours), recorded by the
operator or from domain events of other parts (ops' helpdesk may not import the gateway, so
it emits a BillableEvent, platform/events/domain.py, and billing turns it into a charge).

Recording is idempotent by (tenant, source_ref): the same reference is the same charge,
whether the event is redelivered or the operator presses twice.
"""

from __future__ import annotations

import logging
import uuid

from govstat.gateway.billing import schemas
from govstat.gateway.billing.rows import ExtraChargeRow
from govstat.gateway.billing.tables import ExtraCharge
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict
from govstat.platform.events.audit import audit
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.domain import BillableEvent
from govstat.platform.events.envelope import Envelope
from govstat.tenants import directory

log = logging.getLogger("govstat.billing")

KIND_LABELS = {
    "agency_change": "個別改修等 / Agency-specific change",
    "helpdesk_out_of_hours": "時間外ヘルプデスク / Helpdesk outside hours",
    "other": "その他 / Other",
}


async def record_extra_charge(
    uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.ExtraChargeIn, *, via: str = "operator"
) -> tuple[ExtraChargeRow, bool]:
    """Returns (charge, created). A repeated source_ref returns the charge already recorded."""
    await directory.tenant(uow, tenant_id)
    source_ref = data.source_ref or f"manual:{uuid.uuid4()}"
    row = await uow.row(
        ExtraChargeRow,
        "INSERT INTO extra_charge (id, tenant_id, kind, description, amount_yen, occurred_on, source_ref, recorded_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, source_ref) DO NOTHING RETURNING *",
        uuid.uuid4(),
        tenant_id,
        data.kind,
        data.description,
        data.amount_yen,
        data.occurred_on,
        source_ref,
        f"{via}:{uow.scope.actor}",
    )
    if row is None:
        existing = await uow.repo(ExtraCharge, ExtraChargeRow).first(
            ExtraCharge.tenant_id == tenant_id, ExtraCharge.source_ref == source_ref
        )
        assert existing is not None
        if (existing.kind, existing.amount_yen, existing.occurred_on) != (
            data.kind,
            data.amount_yen,
            data.occurred_on,
        ):
            raise Conflict(
                f"参照 {source_ref} は別の内容で登録済みです / source_ref already used for a different charge",
                constraint="extra_charge_tenant_id_source_ref_key",
            )
        return existing, False
    await audit(
        uow,
        "billing.extra_charge_recorded",
        tenant_id=tenant_id,
        target_type="extra_charge",
        target_id=row.id,
        module="gateway",
        kind=data.kind,
        amount_yen=data.amount_yen,
        occurred_on=data.occurred_on,
        source_ref=source_ref,
        via=via,
    )
    return row, True


async def extra_charges(uow: UnitOfWork, tenant_id: uuid.UUID) -> list[ExtraChargeRow]:
    await directory.tenant(uow, tenant_id)  # another tenant's id: 404
    return await uow.repo(ExtraCharge, ExtraChargeRow).find(
        ExtraCharge.tenant_id == tenant_id, order_by=ExtraCharge.occurred_on
    )


class ExtraChargeConsumer(Consumer):
    """Domain events that bill an agency become extra charges (exactly once: by event id in the
    consumer base, and by source_ref in the table). An event whose fields do not fit never gets
    here: the decoder refuses it and the consumer base sets it aside in dead_letter."""

    name = "gateway-billing-charges"
    topic_suffixes = ("domain",)

    async def handle(self, uow: UnitOfWork, event: Envelope) -> None:
        match event.payload:
            case BillableEvent() as charge:
                await self.bill(uow, event, charge)

    async def bill(self, uow: UnitOfWork, event: Envelope, p: BillableEvent) -> None:
        name = p.event_name()
        if event.tenant_id is None or await directory.find_tenant(uow, event.tenant_id) is None:
            # An event for no known agency must not block the topic: set it aside as a failed audit record.
            error = f"unknown tenant {event.tenant_id}"
            log.error("%s: event %s (%s) not billable: %s", self.name, event.id, name, error)
            await audit(
                uow,
                "billing.extra_charge_rejected",
                tenant_id=None,
                target_type="event",
                target_id=event.id,
                module="gateway",
                outcome="failure",
                event=name,
                error=error,
                event_tenant_id=str(event.tenant_id or ""),
            )
            return
        charge = schemas.ExtraChargeIn(
            kind=p.charge_kind,  # type: ignore[arg-type]
            description=p.description,
            amount_yen=p.amount_yen,
            occurred_on=p.occurred_on,
            source_ref=p.source_ref,
        )
        try:
            await record_extra_charge(uow, event.tenant_id, charge, via=f"event:{name}")
        except Conflict:
            log.error(
                "%s: event %s reuses source_ref %s with other figures; kept the first",
                self.name,
                event.id,
                p.source_ref,
            )
