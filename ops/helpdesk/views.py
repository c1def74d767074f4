"""Reading tickets: the operator sees all, an agency its own tenant's (repository scope and RLS),
an intermediary only the tickets it asked itself."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from govstat.ops.helpdesk.metrics import measure, summarize
from govstat.ops.helpdesk.rows import TicketEventRow, TicketRow
from govstat.ops.helpdesk.schemas import Performance, TicketDetail, TicketList, TicketView
from govstat.ops.helpdesk.tables import Ticket, TicketEvent
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.security import AGENCY_ROLES, Principal, Role


def _own_only(principal: Principal) -> bool:
    return Role.INTERMEDIARY in principal.roles and not principal.has_any(AGENCY_ROLES | {Role.OPERATOR})


def _where(principal: Principal) -> list[Any]:
    return [Ticket.requester_user == principal.subject] if _own_only(principal) else []


def _with_targets(ticket: TicketRow, now: dt.datetime) -> TicketView:
    return TicketView(**msgspec.structs.asdict(ticket), targets=measure(ticket, now))


async def tickets(
    uow: UnitOfWork, principal: Principal, *, state: str | None = None, limit: int = 100, offset: int = 0
) -> TicketList:
    where = _where(principal) + ([Ticket.state == state] if state else [])
    repo, now = uow.repo(Ticket, TicketRow), dt.datetime.now(dt.UTC)
    rows = await repo.find(*where, order_by=Ticket.received_at, ascending=False, limit=limit, offset=offset)
    return TicketList(total=await repo.count(*where), items=[_with_targets(r, now) for r in rows])


async def ticket(uow: UnitOfWork, principal: Principal, ticket_id: uuid.UUID) -> TicketDetail:
    row = await uow.repo(Ticket, TicketRow).get(ticket_id)
    if _own_only(principal) and row.requester_user != principal.subject:
        raise NotFound(f"helpdesk_ticket {ticket_id} が見つかりません / not found")
    events = await uow.repo(TicketEvent, TicketEventRow).find(
        TicketEvent.ticket_id == ticket_id, order_by=TicketEvent.at
    )
    view = _with_targets(row, dt.datetime.now(dt.UTC))
    return TicketDetail(**msgspec.structs.asdict(view), events=events)


async def performance(uow: UnitOfWork, principal: Principal, *, days: int) -> Performance:
    """Targets met and missed over the tickets received in the last `days` days."""
    now = dt.datetime.now(dt.UTC)
    rows = await uow.repo(Ticket, TicketRow).find(
        *_where(principal), Ticket.received_at >= now - dt.timedelta(days=days)
    )
    return Performance(days=days, **msgspec.structs.asdict(summarize(rows, now)))
