"""Audit and domain events from a researcher's scope. A researcher belongs to no tenant, and the
outbox takes from a scope only rows of its own tenant or of none: their events carry no tenant and
name the owning agency in the detail (the agency reads its own trail in onsite_output)."""

from __future__ import annotations

import uuid
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit, emit
from govstat.platform.events.domain import DomainEvent

MODULE = "onsite"


def _tenant(uow: UnitOfWork, owner: uuid.UUID) -> uuid.UUID | None:
    scope = uow.scope
    return owner if scope.cross_tenant or scope.tenant_id == owner else None


async def record(
    uow: UnitOfWork,
    action: str,
    *,
    owner: uuid.UUID,
    target_type: str,
    target_id: Any,
    outcome: str = "success",
    **detail: Any,
) -> None:
    tenant = _tenant(uow, owner)
    if tenant is None:
        detail["owner_tenant"] = str(owner)
    await audit(
        uow,
        action,
        tenant_id=tenant,
        target_type=target_type,
        target_id=target_id,
        module=MODULE,
        outcome=outcome,
        **detail,
    )


async def event(uow: UnitOfWork, e: DomainEvent, *, owner: uuid.UUID) -> None:
    await emit(uow, e, tenant_id=_tenant(uow, owner))
