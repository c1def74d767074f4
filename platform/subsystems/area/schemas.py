"""Shapes of the area-code API (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

# Codes that enter must carry the JIS X 0402 check digit (6 digits); service.py verifies it.
Code6 = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$", description="6-digit code with JIS X 0402 check digit")]
Level = Literal["prefecture", "designated_city", "ward", "city", "town", "village", "district"]
Kind = Literal[
    "merger_new", "merger_absorb", "promotion", "rename", "designated_city", "ward_change", "split", "boundary", "other"
]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class Base(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True):
    pass


class LinkIn(Base, kw_only=True):
    old_code: Code6
    new_code: Code6
    old_name: str = ""
    new_name: str = ""


class NewCodeIn(Base, kw_only=True):
    code: Code6
    name: Name
    name_kana: str = ""
    level: Level
    desig_name: str = ""
    desig_kana: str = ""


class ChangeIn(Base, kw_only=True):
    """A change from the official gazette (官報): what ends, what starts, who succeeds whom."""

    code: Code6
    effective_on: dt.date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    kind: Kind
    gazette_ref: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    name: str = ""
    name_kana: str = ""
    ends: list[Code6] = []
    starts: list[NewCodeIn] = []
    links: list[LinkIn] = []


class ChangePatch(Base, kw_only=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)] | UnsetType = UNSET
    kind: Kind | UnsetType = UNSET
    gazette_ref: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | UnsetType = UNSET
    name: str | UnsetType = UNSET
    name_kana: str | UnsetType = UNSET
