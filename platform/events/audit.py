"""Audit and domain events recorded inside the caller's unit of work."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

from govstat.platform.events.domain import DomainEvent
from govstat.platform.events.envelope import AuditPayload, new_event

if TYPE_CHECKING:
    from govstat.platform.db.uow import UnitOfWork


async def audit(
    uow: UnitOfWork,
    action: str,
    *,
    tenant_id: uuid.UUID | None,
    target_type: str = "",
    target_id: Any = "",
    module: str = "",
    outcome: str = "success",
    **detail: Any,
) -> None:
    """Write an audit event in the same transaction as the change it describes."""
    payload = AuditPayload(
        action=action,
        actor=uow.scope.actor,
        actor_kind=uow.scope.role,
        target_type=target_type,
        target_id=str(target_id),
        module=module,
        outcome=outcome,
        detail=_plain(detail),
    )
    await uow.record(new_event(payload, tenant_id))


async def emit(uow: UnitOfWork, event: DomainEvent, *, tenant_id: uuid.UUID | None = None, hold: bool = False) -> None:
    """Write a domain event (a Struct from the emitting module's events.py) with the change it describes;
    `hold`: in one insert with the next event (the call's audit event) or at commit (UnitOfWork.record)."""
    await uow.record(new_event(event, tenant_id), hold=hold)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    import msgspec

    return cast("dict[str, Any]", msgspec.to_builtins(values, str_keys=True))
