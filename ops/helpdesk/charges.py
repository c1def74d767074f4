"""Help outside the hours, billed to the agency that asked for it (GOV-11, 約款 5(1)②なお書き).

The rate: 6,000 yen per started 30 minutes of handling (a 45-minute call is two blocks, 12,000 yen).
Only a phone call of an agency (or its intermediary) received outside the hours is chargeable, once.
The charge leaves as the domain event OutOfHoursCharged (events.py) in the same transaction;
billing (in the gateway, which ops does not import) turns it into an extra charge, idempotently by
the ticket number as source_ref.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid

from govstat.ops.helpdesk import schemas
from govstat.ops.helpdesk.calendar import JST
from govstat.ops.helpdesk.events import OutOfHoursCharged
from govstat.ops.helpdesk.rows import TicketEventRow, TicketRow
from govstat.ops.helpdesk.tables import Ticket, TicketEvent
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidTransition
from govstat.platform.events.audit import audit, emit

RATE_YEN_PER_BLOCK = 6_000
BLOCK_MINUTES = 30


def amount_yen(minutes: int) -> int:
    return math.ceil(minutes / BLOCK_MINUTES) * RATE_YEN_PER_BLOCK


async def charge_out_of_hours(uow: UnitOfWork, ticket_id: uuid.UUID, data: schemas.ChargeIn) -> TicketRow:
    repo = uow.repo(Ticket, TicketRow)
    ticket = await repo.get(ticket_id, for_update=True)
    if ticket.tenant_id is None:
        raise InvalidTransition("一般利用者の問合せは課金できません / a general user's question is not billed")
    if not ticket.out_of_hours:
        raise InvalidTransition("受付時間内の問合せです / received within the hours: not chargeable")
    if ticket.charged_at is not None:
        raise InvalidTransition(f"{ticket.number} は課金済みです / already charged", state="charged")
    at, yen = dt.datetime.now(dt.UTC), amount_yen(data.minutes)
    updated = await repo.update(
        ticket_id, help_out_of_hours=True, charge_minutes=data.minutes, charge_yen=yen, charged_at=at, updated_at=at
    )
    await uow.repo(TicketEvent, TicketEventRow).add(
        id=uuid.uuid4(),
        ticket_id=ticket_id,
        tenant_id=ticket.tenant_id,
        kind="charged",
        state_from=ticket.state,
        state_to=ticket.state,
        at=at,
        actor=uow.scope.actor,
        body=data.note,
    )
    occurred_on = ticket.received_at.astimezone(JST).date()
    await audit(
        uow,
        "helpdesk.out_of_hours_flagged",
        tenant_id=ticket.tenant_id,
        target_type="helpdesk_ticket",
        target_id=ticket_id,
        module="ops",
        number=ticket.number,
        minutes=data.minutes,
        amount_yen=yen,
    )
    await emit(
        uow,
        OutOfHoursCharged(
            amount_yen=yen,
            description=f"時間外ヘルプデスク対応 {ticket.number}（{data.minutes}分） / helpdesk outside hours",
            source_ref=ticket.number,
            occurred_on=occurred_on,
        ),
        tenant_id=ticket.tenant_id,
    )
    return updated
