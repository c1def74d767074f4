"""The life of a ticket (GOV-11):

    received --answer--> answered --resolve--> resolved --close--> closed
        \\--forward--> forwarded --answer/resolve--^         \\      /
    resolved, closed --reopen--> received                     reopen

A question the helpdesk cannot answer is forwarded to a body that can: the agency that owns the
statistic, or the operator of the subsystem; the event records to whom and when. Each step is one
transaction: the ticket, its event row and the audit event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from govstat.ops.helpdesk import schemas
from govstat.ops.helpdesk.rows import TicketEventRow, TicketRow
from govstat.ops.helpdesk.subsystems import SUBSYSTEMS, check_subsystem
from govstat.ops.helpdesk.tables import Ticket, TicketEvent
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit
from govstat.tenants import directory

# action -> (states it may start from, state it leads to, event kind)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "answer": (frozenset({"received", "forwarded"}), "answered", "answered"),
    "forward": (frozenset({"received", "answered"}), "forwarded", "forwarded"),
    "resolve": (frozenset({"answered", "forwarded"}), "resolved", "resolved"),
    "close": (frozenset({"resolved"}), "closed", "closed"),
    "reopen": (frozenset({"resolved", "closed"}), "received", "reopened"),
}


async def transition(
    uow: UnitOfWork, ticket_id: uuid.UUID, action: str, *, body: str = "", **event_fields: Any
) -> TicketRow:
    sources, target, kind = TRANSITIONS[action]
    repo = uow.repo(Ticket, TicketRow)
    ticket = await repo.get(ticket_id, for_update=True)
    if ticket.state not in sources:
        raise InvalidTransition(
            f"{action}: 状態 {ticket.state} では実行できません / not allowed in state {ticket.state}",
            state=ticket.state,
            action=action,
        )
    at = dt.datetime.now(dt.UTC)
    changes: dict[str, Any] = {"state": target, "updated_at": at}
    if action in ("answer", "forward") and ticket.first_response_at is None:
        changes["first_response_at"] = at
    if action == "resolve":
        changes["resolved_at"] = at
    elif action == "close":
        changes["closed_at"] = at
    elif action == "reopen":
        changes.update(resolved_at=None, closed_at=None, reopen_count=ticket.reopen_count + 1)
    updated = await repo.update(ticket_id, **changes)
    await uow.repo(TicketEvent, TicketEventRow).add(
        id=uuid.uuid4(),
        ticket_id=ticket_id,
        tenant_id=ticket.tenant_id,
        kind=kind,
        state_from=ticket.state,
        state_to=target,
        at=at,
        actor=uow.scope.actor,
        body=body,
        **event_fields,
    )
    await audit(
        uow,
        f"helpdesk.ticket_{kind}",
        tenant_id=ticket.tenant_id,
        target_type="helpdesk_ticket",
        target_id=ticket_id,
        module="ops",
        number=ticket.number,
        state_from=ticket.state,
        state_to=target,
        **{k: v for k, v in event_fields.items() if v is not None},
    )
    return updated


async def forward(uow: UnitOfWork, ticket_id: uuid.UUID, data: schemas.ForwardIn) -> TicketRow:
    if data.to == "statistic_owner":
        if data.statistic_code is None:
            raise InvalidInput.field(
                "statistic_code", "統計の所管機関へ回付するには必須 / required to forward to its owner"
            )
        stat = await directory.statistic(uow, data.statistic_code)
        if stat is None:
            raise InvalidInput.field("statistic_code", "政府統計が見つかりません / no such statistic")
        owner = await directory.active_tenant_of(uow, stat.agency_code)
        name = (owner.name_ja if owner else stat.agency_name) or stat.agency_code
        fields: dict[str, Any] = {
            "forwarded_to_kind": "statistic_owner",
            "forwarded_to": f"{name}（{stat.name_ja}）",
            "forwarded_to_tenant_id": owner.id if owner else None,
            "statistic_code": stat.code,
        }
    else:
        if data.module_key is None:
            raise InvalidInput.field("module_key", "サブシステムの運用担当へ回付するには必須 / required")
        check_subsystem("module_key", data.module_key)
        fields = {
            "forwarded_to_kind": "subsystem_operator",
            "forwarded_to": f"{SUBSYSTEMS[data.module_key]} 運用担当",
            "module_key": data.module_key,
        }
    return await transition(uow, ticket_id, "forward", body=data.note, **fields)
