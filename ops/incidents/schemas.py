"""Request shapes of the incidents API (msgspec Structs; unknown fields are refused)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

ModuleKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_-]{0,31}$", description="subsystem key, e.g. 'area'")]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=400)]
Note = Annotated[str, msgspec.Meta(max_length=4000)]
Required = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
Severity = Literal["minor", "major", "critical"]
State = Literal["detected", "investigating", "identified", "monitoring", "recovered", "review", "closed"]


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class IncidentIn(Base, kw_only=True):
    """An incident the operator opens by hand (a fault reported by an agency, say)."""

    module_key: ModuleKey | None = None  # None: the whole platform
    title: Title
    severity: Severity = "major"
    note: Note = ""
    public_note: Note = ""


class TransitionIn(Base, kw_only=True):
    to: State
    note: Note = ""  # for the operator's timeline
    public_note: Note = ""  # shown to agencies and on the status page


class ReviewIn(Base, kw_only=True):
    """The post-incident review: every field is required."""

    cause: Required
    prevention: Required
    owner: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    due_on: dt.date


class MaintenanceIn(Base, kw_only=True):
    module_key: ModuleKey | None = None  # None: every subsystem
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
