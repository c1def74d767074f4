"""The portal API's input Structs (msgspec validates them; errors name the field)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Body = Annotated[str, msgspec.Meta(max_length=100_000)]
Audience = Literal["agencies", "tenant", "intermediaries", "public"]
Kind = Literal["agency", "mic", "intermediary", "public"]


class NoticeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    title: Title
    body: Body = ""
    audience: Audience = "agencies"
    audience_tenant_id: uuid.UUID | None = None
    important: bool = False
    publish_at: dt.datetime | None = None  # None: now; later: scheduled


class BoardIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Title
    description: Body = ""
    edit_window_minutes: Annotated[int, msgspec.Meta(ge=0, le=10080)] = 30
    member_tenants: list[uuid.UUID] = msgspec.field(default_factory=list)
    member_kinds: list[Kind] = msgspec.field(default_factory=list)


class PostIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
    title: Annotated[str, msgspec.Meta(max_length=200)] = ""


class ModerateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    hidden: bool
    note: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class PageIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    slug: Annotated[str, msgspec.Meta(pattern="^[a-z0-9][a-z0-9-]{0,63}$")]
    title: Title
    body_md: Body = ""
