"""Row types of a table's versions (訂正・追加・取り下げ; migration statdb_0004)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec


class Version(msgspec.Struct, kw_only=True):
    """One version of a database table: what made it, when, by whom and why."""

    version: int
    kind: str  # original | correction | extension
    reason: str
    changed_cells: int
    added_cells: int
    total_number: int
    added_items: dict[str, list[str]]
    data_filename: str
    created_by: str
    created_at: dt.datetime


class History(msgspec.Struct, kw_only=True):
    """A table's versions, newest first, and its withdrawal if any."""

    stats_data_id: str
    current: int
    withdrawn_at: dt.datetime | None = None
    withdrawn_reason: str = ""
    versions: list[Version]


class Revised(msgspec.Struct, kw_only=True):
    """What a correction or an extension did."""

    stats_data_id: str
    version: int
    kind: str
    changed_cells: int
    added_cells: int
    added_items: dict[str, list[str]]
    total_number: int


class Withdrawal(msgspec.Struct, kw_only=True):
    stats_data_id: str
    title: str
    withdrawn_at: dt.datetime
    withdrawn_reason: str


def decode_items(value: Any) -> dict[str, list[str]]:
    import json

    if isinstance(value, str):
        value = json.loads(value)
    return {str(k): [str(c) for c in v] for k, v in (value or {}).items()}
