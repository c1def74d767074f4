"""Receiving tickets (GOV-11): the operator records calls and mails, agencies ask through the
portal, general users through the e-Stat inquiry form. Each is one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from govstat.ops.helpdesk import charges, schemas
from govstat.ops.helpdesk.calendar import JST, phone_open
from govstat.ops.helpdesk.metrics import due_times
from govstat.ops.helpdesk.rows import TicketRow
from govstat.ops.helpdesk.subsystems import check_subsystem
from govstat.ops.helpdesk.tables import Ticket
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Forbidden, InvalidInput
from govstat.platform.events.audit import audit
from govstat.platform.security import AGENCY_ROLES, Principal, PrincipalKind, Role
from govstat.tenants import directory

CLOCK_SKEW = dt.timedelta(minutes=5)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def next_number(uow: UnitOfWork, at: dt.datetime) -> str:
    n = await uow.fetchval("SELECT nextval('helpdesk_ticket_no')")
    return f"HD-{at.astimezone(JST).year}-{n:06d}"


def _timing(channel: str, received_at: dt.datetime) -> dict[str, Any]:
    """The ticket's timing columns. Phone calls outside the hours are 'out of hours'; e-mail is received 24 hours."""
    return {
        "received_at": received_at,
        "out_of_hours": channel == "phone" and not phone_open(received_at),
        **due_times(channel, received_at),
    }


async def _add(uow: UnitOfWork, **values: Any) -> TicketRow:
    at = values["received_at"]
    ticket = await uow.repo(Ticket, TicketRow).add(
        id=uuid.uuid4(),
        number=await next_number(uow, at),
        state="received",
        created_by=uow.scope.actor,
        created_at=now(),
        updated_at=now(),
        **values,
    )
    await audit(
        uow,
        "helpdesk.ticket_received",
        tenant_id=ticket.tenant_id,
        target_type="helpdesk_ticket",
        target_id=ticket.id,
        module="ops",
        number=ticket.number,
        channel=ticket.channel,
        via=ticket.via,
        out_of_hours=ticket.out_of_hours,
    )
    return ticket


async def record(uow: UnitOfWork, data: schemas.TicketIn) -> TicketRow:
    """The operator records a ticket; a call outside the hours may be flagged as help the agency
    asked for, which charges it in the same transaction."""
    received_at = data.received_at or now()
    if received_at.tzinfo is None:
        raise InvalidInput.field("received_at", "タイムゾーンを付けてください / give the time zone, e.g. +09:00")
    if received_at > now() + CLOCK_SKEW:
        raise InvalidInput.field("received_at", "未来の日時です / lies in the future")
    if (data.requester_kind == "general") != (data.tenant_id is None):
        raise InvalidInput.field(
            "tenant_id",
            "機関・経由機関の問合せには必須、一般利用者には指定不可"
            " / required for agencies and intermediaries, not for general users",
        )
    if data.tenant_id is not None and await directory.find_tenant(uow, data.tenant_id) is None:
        raise InvalidInput.field("tenant_id", "機関が見つかりません / no such tenant")
    check_subsystem("module_key", data.module_key)
    timing = _timing(data.channel, received_at)
    if data.help_out_of_hours and not timing["out_of_hours"]:
        raise InvalidInput.field(
            "help_out_of_hours", "受付時間内の電話ではありません / not a phone call outside the hours"
        )
    if data.help_out_of_hours != (data.handling_minutes is not None):
        raise InvalidInput.field("handling_minutes", "時間外対応の場合のみ必須 / required with help_out_of_hours only")
    ticket = await _add(
        uow,
        tenant_id=data.tenant_id,
        requester_kind=data.requester_kind,
        requester_name=data.requester_name,
        requester_email=data.requester_email or "",
        requester_phone=data.requester_phone,
        channel=data.channel,
        via="operator",
        module_key=data.module_key,
        subject=data.subject,
        body=data.body,
        **timing,
    )
    if data.help_out_of_hours:
        assert data.handling_minutes is not None
        ticket = await charges.charge_out_of_hours(uow, ticket.id, schemas.ChargeIn(minutes=data.handling_minutes))
    return ticket


async def submit(uow: UnitOfWork, principal: Principal, data: schemas.AgencyTicketIn) -> TicketRow:
    """An agency's or an intermediary's staff asks through the agency portal (web channel)."""
    if principal.tenant_id is None:
        raise Forbidden("機関に属する利用者のみ / only staff of an organisation")
    check_subsystem("module_key", data.module_key)
    kind = "agency" if principal.has_any(AGENCY_ROLES) or Role.INTERMEDIARY not in principal.roles else "intermediary"
    return await _add(
        uow,
        tenant_id=principal.tenant_id,
        requester_kind=kind,
        requester_user=principal.subject,
        requester_name=principal.name,
        requester_email=data.reply_email or "",
        channel="web",
        via="agency_portal",
        module_key=data.module_key,
        subject=data.subject,
        body=data.body,
        **_timing("web", now()),
    )


async def inquiry(uow: UnitOfWork, principal: Principal, data: schemas.InquiryIn) -> schemas.InquiryReceipt:
    """The e-Stat inquiry form: a general user's e-mail ticket, with no tenant (the operator's).

    The caller may be anonymous: the database lets it insert such a ticket and read none, so the row
    is written without RETURNING and the answer is built here."""
    check_subsystem("module_key", data.module_key)
    ticket_id, at = uuid.uuid4(), now()
    number, timing = await next_number(uow, at), _timing("email", at)
    user = principal.subject if principal.kind is PrincipalKind.PUBLIC else ""
    await uow.execute(
        "INSERT INTO helpdesk_ticket (id, number, tenant_id, requester_kind, requester_user, requester_name,"
        " requester_email, channel, via, module_key, subject, body, state, received_at, out_of_hours,"
        " first_response_due, resolution_due, created_by)"
        " VALUES ($1, $2, NULL, 'general', $3, $4, $5, 'email', 'estat_form', $6, $7, $8, 'received', $9, false,"
        " $10, $11, $12)",
        ticket_id,
        number,
        user,
        data.name,
        data.email,
        data.module_key,
        data.subject,
        data.body,
        at,
        timing["first_response_due"],
        timing["resolution_due"],
        uow.scope.actor,
    )
    await audit(
        uow,
        "helpdesk.ticket_received",
        tenant_id=None,
        target_type="helpdesk_ticket",
        target_id=ticket_id,
        module="ops",
        number=number,
        channel="email",
        via="estat_form",
        out_of_hours=False,
    )
    return schemas.InquiryReceipt(
        id=ticket_id, number=number, received_at=at, first_response_due=timing["first_response_due"]
    )
