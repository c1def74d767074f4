"""Council decisions (協議会の決定) that governance records refer to. The operator enters them
through tenants/council.py (tenants keep them: admissions decide through the same table), with
subjects 'regulation' (GOV-8), 'change_request' (GOV-5) and 'improvement_request' (GOV-16)."""

from __future__ import annotations

import uuid

from govstat.ops.governance import schemas
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import audit
from govstat.tenants import council, directory
from govstat.tenants.council import Decision


async def record(uow: UnitOfWork, data: schemas.DecisionIn) -> Decision:
    if data.tenant_id is not None and await directory.find_tenant(uow, data.tenant_id) is None:
        raise InvalidInput.field("tenant_id", "機関が見つかりません / no such tenant")
    row = await council.record(
        uow,
        tenant_id=data.tenant_id,
        subject=data.subject,
        outcome=data.outcome,
        decided_on=data.decided_on,
        reference=data.reference,
        summary=data.summary,
    )
    await audit(
        uow,
        "council.decision_recorded",
        tenant_id=data.tenant_id,
        target_type="council_decision",
        target_id=row.id,
        module="ops",
        subject=data.subject,
        outcome=data.outcome,
        reference=data.reference,
    )
    return row


async def decision(
    uow: UnitOfWork,
    decision_id: uuid.UUID,
    *,
    subject: str,
    field: str = "council_decision_id",
    tenant_id: uuid.UUID | None = None,
    outcome: str | None = None,
) -> Decision:
    """The decision a record refers to; it must be on `subject` (and, if given, about `tenant_id`
    and with `outcome`), else the input names the field."""
    row = await council.decision(uow, decision_id)
    if row is None or row.subject != subject:
        raise InvalidInput.field(
            field, f"協議会の決定（{subject}）が見つかりません / no council decision on {subject!r}"
        )
    if tenant_id is not None and row.tenant_id not in (None, tenant_id):
        raise InvalidInput.field(field, "別の機関についての決定です / the decision concerns another tenant")
    if outcome is not None and row.outcome != outcome:
        raise InvalidInput.field(field, f"決定の結果が {row.outcome} です / the council decided {row.outcome!r}")
    return row
