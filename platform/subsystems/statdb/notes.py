"""A table's notes (注記): the special characters its data uses ("***" 秘匿, "-" 該当なし, ...) and
what each means, kept in stat_table.notes as jsonb [{"char", "text"}]. statdb owns the column, so
this is the one place that reads it and writes it as e-Stat's NOTE (the agency's preview, the
public API and the portal alike)."""

from __future__ import annotations

import json
from typing import Any

import msgspec


def decode(value: Any) -> list[dict[str, str]]:
    """The notes as a list, whether the driver handed JSON text or the list; entries that are not
    a {"char", "text"} note are left out."""
    if isinstance(value, str):
        value = json.loads(value)
    listed = [msgspec.structs.asdict(n) if isinstance(n, msgspec.Struct) else n for n in value or []]
    return [n for n in listed if isinstance(n, dict) and "char" in n]


def note_inf(value: Any, lang: str = "J") -> list[dict[str, str]]:
    """e-Stat's NOTE of DATA_INF: one {"@char", "$"} per special character; lang "E": the English
    meaning (special_en) where the parameter file gave one, else the Japanese, as e-Stat does."""
    key = "text_en" if lang == "E" else "text"
    return [{"@char": n["char"], "$": n.get(key) or n.get("text", "")} for n in decode(value)]
