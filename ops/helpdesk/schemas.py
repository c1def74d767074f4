"""Shapes of the helpdesk API (msgspec Structs): requests (unknown fields are refused) and answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

from govstat.ops.helpdesk.rows import TicketEventRow, TicketRow

Subject = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Body = Annotated[str, msgspec.Meta(max_length=20000)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=20000)]
Name = Annotated[str, msgspec.Meta(max_length=200)]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Phone = Annotated[str, msgspec.Meta(pattern=r"^[0-9+() -]{0,40}$")]
ModuleKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,32}$")]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=24 * 60)]


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class TicketIn(Base, kw_only=True):
    """A ticket the operator records: a phone call, an e-mail, a web form."""

    channel: Literal["phone", "email", "web"]
    requester_kind: Literal["agency", "intermediary", "general"]
    tenant_id: uuid.UUID | None = None  # required for agencies and intermediaries
    requester_name: Name = ""
    requester_email: Email | None = None
    requester_phone: Phone = ""
    module_key: ModuleKey | None = None
    subject: Subject
    body: Body = ""
    received_at: dt.datetime | None = None  # when the call came in (default: now)
    help_out_of_hours: bool = False  # the agency asked for help outside hours (chargeable)
    handling_minutes: Minutes | None = None  # how long that help took (needed with help_out_of_hours)


class AgencyTicketIn(Base, kw_only=True):
    """A question from an agency's (or an intermediary's) staff through the agency portal."""

    module_key: ModuleKey | None = None
    subject: Subject
    body: Text
    reply_email: Email | None = None


class InquiryIn(Base, kw_only=True):
    """The e-Stat portal's inquiry form (お問合せフォーム): an e-mail-channel ticket of a general user."""

    name: Name = ""
    email: Email
    module_key: ModuleKey | None = None
    subject: Subject
    body: Text


class AnswerIn(Base, kw_only=True):
    body: Text


class ForwardIn(Base, kw_only=True):
    """Pass the question to a body that can answer (約款 5(1)①)."""

    to: Literal["statistic_owner", "subsystem_operator"]
    statistic_code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{8}$")] | None = None
    module_key: ModuleKey | None = None
    note: Body = ""


class NoteIn(Base, kw_only=True):
    note: Body = ""


class ReopenIn(Base, kw_only=True):
    reason: Text


class ChargeIn(Base, kw_only=True):
    """The agency asked for help outside the hours: how long it took."""

    minutes: Minutes
    note: Body = ""


# --- answers ------------------------------------------------------------------------------------------


class InquiryReceipt(msgspec.Struct, kw_only=True):
    """What the e-Stat inquiry form's sender is told (the caller may read no ticket)."""

    id: uuid.UUID
    number: str
    received_at: dt.datetime
    first_response_due: dt.datetime


class TargetMeasure(msgspec.Struct, kw_only=True):
    """One service target of one ticket: due, done at, met / missed / pending, business minutes so far."""

    due: dt.datetime
    at: dt.datetime | None
    status: str
    business_minutes: float


class Targets(msgspec.Struct, kw_only=True):
    first_response: TargetMeasure
    resolution: TargetMeasure


class TicketView(TicketRow, kw_only=True):
    targets: Targets


class TicketDetail(TicketView, kw_only=True):
    events: list[TicketEventRow]


class TicketList(msgspec.Struct, kw_only=True):
    total: int
    items: list[TicketView]


class TargetSummary(msgspec.Struct, kw_only=True):
    met: int
    missed: int
    pending: int
    median_business_minutes: float | None  # of what was done; None when nothing was


class ChannelSummary(msgspec.Struct, kw_only=True):
    first_response: TargetSummary
    resolution: TargetSummary


class TargetMinutes(msgspec.Struct, kw_only=True):
    first_response_minutes: dict[str, int]  # per channel
    resolution_minutes: int


class Summary(ChannelSummary, kw_only=True):
    """Targets met, missed and pending over some tickets, overall and per channel."""

    tickets: int
    targets: TargetMinutes
    by_channel: dict[str, ChannelSummary]


class Performance(Summary, kw_only=True):
    days: int  # the tickets received in the last `days` days
