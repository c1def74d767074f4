"""Row types of the standard area codes: what its queries answer and its API sends
(docs/decisions/0007). Fields are the queries' columns; platform/db/rows.columns spells them."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class AreaCode(msgspec.Struct, kw_only=True):
    """A code with its names over one validity interval [valid_from, valid_to) (area_version)."""

    code: str
    code6: str
    pref_code: str
    pref_name: str
    desig_name: str
    desig_kana: str
    name: str
    name_kana: str
    level: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str


class AreaVersionRow(AreaCode, kw_only=True):
    """The whole area_version row: the interval's id and the change that started it."""

    id: int
    change_id: uuid.UUID | None


class AreaChangeRow(msgspec.Struct, kw_only=True):
    """廃置分合等: a merger, abolition, name or boundary change (area_change)."""

    id: uuid.UUID
    code: str
    pref_name: str
    desig_name: str
    name: str
    name_kana: str
    effective_on: dt.date
    reason: str
    kind: str
    source: str
    gazette_ref: str
    effects: dict[str, list[int]]  # an operator's change: the version ids it ended and started
    created_at: dt.datetime
    updated_at: dt.datetime


class AreaLinkRow(msgspec.Struct, kw_only=True):
    """Succession: old code became new code on effective_on (area_link)."""

    id: int
    change_id: uuid.UUID
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    effective_on: dt.date


class ChangeDetail(AreaChangeRow, kw_only=True):
    links: list[AreaLinkRow]


class Step(msgspec.Struct, kw_only=True):
    """One succession step reached from a code, `depth` links away."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    effective_on: dt.date
    kind: str
    reason: str
    depth: int


class CodeDetail(msgspec.Struct, kw_only=True):
    """Every version of a code (names over time) and where it came from and went."""

    code: str
    code6: str
    versions: list[AreaVersionRow]
    forward: list[Step]
    backward: list[Step]


class History(msgspec.Struct, kw_only=True):
    code: str
    direction: str  # forward | backward
    steps: list[Step]


class CodesOn(msgspec.Struct, kw_only=True):
    """Codes valid on a date, one page of them."""

    date: dt.date
    total: int
    offset: int
    items: list[AreaCode]


class YearCount(msgspec.Struct, kw_only=True):
    year: int
    n: int
