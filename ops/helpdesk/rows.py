"""Rows of the helpdesk tables (tables.py) as msgspec Structs (issue 9: never dicts)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class TicketTimes(msgspec.Struct, kw_only=True):
    """What a ticket's service targets are measured by (metrics.py): its channel and its times."""

    channel: str  # phone | email | web
    received_at: dt.datetime
    first_response_due: dt.datetime
    resolution_due: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None


class TicketFigures(TicketTimes, kw_only=True):
    """A ticket as the yearly reports count it."""

    requester_kind: str
    charged_at: dt.datetime | None


class TicketRow(TicketTimes, kw_only=True):
    """問合せ: one helpdesk ticket (tenant_id None: a general user's question)."""

    id: uuid.UUID
    number: str  # HD-2026-000123
    tenant_id: uuid.UUID | None
    requester_kind: str  # agency | intermediary | general
    requester_user: str
    requester_name: str
    requester_email: str
    requester_phone: str
    via: str  # operator | agency_portal | estat_form
    module_key: str | None
    subject: str
    body: str
    state: str
    out_of_hours: bool
    closed_at: dt.datetime | None
    reopen_count: int
    help_out_of_hours: bool
    charge_minutes: int | None
    charge_yen: int | None
    charged_at: dt.datetime | None
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class TicketEventRow(msgspec.Struct, kw_only=True):
    """A step in a ticket's life; a forward says to whom."""

    id: uuid.UUID
    ticket_id: uuid.UUID
    tenant_id: uuid.UUID | None
    kind: str
    state_from: str
    state_to: str
    at: dt.datetime
    actor: str
    body: str
    forwarded_to_kind: str | None
    forwarded_to: str | None
    forwarded_to_tenant_id: uuid.UUID | None
    statistic_code: str | None
    module_key: str | None
