"""Piccolo classes of the helpdesk tables (DDL in piccolo_migrations/ops_0003_helpdesk.py)."""

from piccolo.columns import UUID, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401  (PICCOLO_CONF before any table class)


class Ticket(Table, tablename="helpdesk_ticket"):
    id = UUID(primary_key=True)
    number = Varchar(length=24)
    tenant_id = UUID(null=True, default=None)
    requester_kind = Varchar(length=16)
    requester_user = Text()
    requester_name = Text()
    requester_email = Text()
    requester_phone = Text()
    channel = Varchar(length=8)
    via = Varchar(length=16)
    module_key = Varchar(length=32, null=True, default=None)
    subject = Text()
    body = Text()
    state = Varchar(length=12, default="received")
    received_at = Timestamptz()
    out_of_hours = Boolean(default=False)
    first_response_due = Timestamptz()
    resolution_due = Timestamptz()
    first_response_at = Timestamptz(null=True, default=None)
    resolved_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    reopen_count = Integer(default=0)
    help_out_of_hours = Boolean(default=False)
    charge_minutes = Integer(null=True, default=None)
    charge_yen = Integer(null=True, default=None)
    charged_at = Timestamptz(null=True, default=None)
    created_by = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()


class TicketEvent(Table, tablename="helpdesk_ticket_event"):
    id = UUID(primary_key=True)
    ticket_id = UUID()
    tenant_id = UUID(null=True, default=None)
    kind = Varchar(length=16)
    state_from = Varchar(length=12)
    state_to = Varchar(length=12)
    at = Timestamptz()
    actor = Text()
    body = Text()
    forwarded_to_kind = Varchar(length=24, null=True, default=None)
    forwarded_to = Text(null=True, default=None)
    forwarded_to_tenant_id = UUID(null=True, default=None)
    statistic_code = Varchar(length=8, null=True, default=None)
    module_key = Varchar(length=32, null=True, default=None)


ALL = [Ticket, TicketEvent]
