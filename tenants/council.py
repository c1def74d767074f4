"""Council decisions (協議会の決定) as the other parts record and cite them (docs/decisions/0010).

Tenants keep council_decision (admissions and withdrawals decide through it too); operations'
governance records decisions on regulations and requests, and billing records the constituent
fees the council decided, through `record`. The table is append-only: a decision is never changed."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from govstat.platform.db.uow import UnitOfWork
from govstat.tenants.rows import DecisionRow
from govstat.tenants.tables import CouncilDecision

READS_FOR_OTHERS = True


# a decision as the tenants' own API answers it
Decision = DecisionRow


async def record(
    uow: UnitOfWork,
    *,
    tenant_id: uuid.UUID | None,
    subject: str,
    outcome: str,
    decided_on: dt.date,
    reference: str,
    summary: str,
) -> Decision:
    return await uow.repo(CouncilDecision, Decision).add(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        subject=subject,
        outcome=outcome,
        decided_on=decided_on,
        reference=reference,
        summary=summary,
    )


async def decision(uow: UnitOfWork, decision_id: uuid.UUID) -> Decision | None:
    return await uow.repo(CouncilDecision, Decision).first(CouncilDecision.id == decision_id)


async def decisions(uow: UnitOfWork, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Decision]:
    if not ids:
        return {}
    rows = await uow.repo(CouncilDecision, Decision).find(CouncilDecision.id.is_in(list(ids)))
    return {d.id: d for d in rows}
