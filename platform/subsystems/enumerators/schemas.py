"""Input Structs of the enumerator API (msgspec validates; errors name the field)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

Status = Literal["candidate", "appointed", "suspended", "dismissed"]


class EnumeratorIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    name_kana: Annotated[str, msgspec.Meta(max_length=100)] = ""
    phone: Annotated[str, msgspec.Meta(max_length=32, pattern=r"^[0-9+\-() ]*$")] = ""
    email: Annotated[str, msgspec.Meta(max_length=200)] = ""
    appointed_from: dt.date
    appointed_to: dt.date
    status: Status = "appointed"
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class AssignmentIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    survey_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    survey_date: dt.date
    area_code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}$")]


class FollowIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    as_of: dt.date | None = None  # default: today (JST)
