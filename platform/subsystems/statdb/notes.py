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


def annotation_meanings(spec: dict[str, Any]) -> list[dict[str, str]]:
    """The annotation symbols' meanings a table's spec keeps: [{"annotation", "text", "text_en"}]
    (params_classes.notes)."""
    listed = spec.get("annotations")
    if not isinstance(listed, list):
        return []
    return [n for n in listed if isinstance(n, dict) and isinstance(n.get("annotation"), str)]


def annotation_inf(entries: list[dict[str, str]], used: set[str], lang: str = "J") -> list[dict[str, str]]:
    """e-Stat's ANNOTATION of DATA_INF: one {"@annotation", "$"} per annotation symbol the values
    carry (`used`), with the meaning the parameter file's `annotations` gave it ("" where none),
    English under lang "E" where `annotations_en` gave one."""
    meaning = {n["annotation"]: n for n in entries}
    key = "text_en" if lang == "E" else "text"
    return [
        {"@annotation": s, "$": meaning.get(s, {}).get(key) or meaning.get(s, {}).get("text", "")} for s in sorted(used)
    ]
