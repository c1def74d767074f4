"""Request shapes of the helpdesk API (msgspec Structs; unknown fields are refused)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

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
