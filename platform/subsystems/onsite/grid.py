"""A checked output as the pages draw it: one two-way grid per layer (the third variable's
categories, then its total), rows by the first variable, columns by the second, with totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TOTAL = "計"
REASONS = {
    "threshold": "度数が基準未満（一次秘匿）/ fewer units than the threshold",
    "dominance": "上位の寄与が過大（一次秘匿）/ dominated by its largest contributors",
    "secondary": "他のセルから復元されないよう秘匿（二次秘匿）/ suppressed so that no margin recovers a sensitive cell",
}


@dataclass
class Grid:
    title: str
    columns: list[str]
    rows: list[tuple[str, list[dict[str, Any]]]]


def grids(group_by: list[str], cells: list[dict[str, Any]]) -> list[Grid]:
    by_key = {tuple(c["key"]): c for c in cells}
    m = len(group_by)
    cats: list[list[str | None]] = []
    for j in range(m):
        found = sorted({c["key"][j] for c in cells if c["key"][j] is not None})
        cats.append([*found, None])
    rows_var = cats[0] if m >= 1 else [None]
    cols_var = cats[1] if m >= 2 else [None]
    layers = cats[2] if m >= 3 else [None]
    out = []
    for layer in layers:
        rows = []
        for r in rows_var:
            line = []
            for c in cols_var:
                key = tuple([r, c, layer][:m])
                line.append(by_key.get(key, {"status": "published", "value": None}))
            rows.append((_label(r), line))
        title = f"{group_by[2]} = {_label(layer)}" if m >= 3 else ""
        out.append(Grid(title, [_label(c) for c in cols_var] if m >= 2 else ["値 / value"], rows))
    return out


def _label(value: str | None) -> str:
    return TOTAL if value is None else value
