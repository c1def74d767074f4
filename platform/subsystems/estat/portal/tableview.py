"""ESTAT-2: a published database table as the public sees it: dimension pickers, a pivoted table,
the data of its graph, and the same selection for the downloads.

A selection is written with the e-Stat API's own parameter names (cdCat01=0,1, lvArea=1-2,
cdAreaFrom=29000, cdAreaTo=29ZZZ ...), so a table page's URL, a saved query and a getStatsData
call say the same thing. The narrowing is the API's (api/data.where); the SQL is statdb's
(statdb/published.py).
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api import data, params
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.estat.portal.common import number, plain
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.statdb.rows import Cell, ClassItem

SUFFIX = {obj: suffix for suffix, obj in params.DIMENSIONS.items()}  # "cat01" -> "Cat01"
PICK_LIMIT = 100  # a dimension with more items is picked by level and range, not item by item
PAGE_CELLS = 2000  # cells shown (and drawn) per page
MAX_DOWNLOAD = params.MAX_LIMIT
# every narrowing parameter a selection may carry, for all dimensions
SELECTION_KEYS = tuple(
    f"{p}{s}{e}" for s in params.DIMENSIONS for p, e in (("lv", ""), ("cd", ""), ("cd", "From"), ("cd", "To"))
)
PREFECTURE = r"^(0[1-9]|[1-3][0-9]|4[0-7])000$"


@dataclass
class Dim:
    obj_id: str
    name: str
    items: list[ClassItem]

    @property
    def suffix(self) -> str:
        return SUFFIX[self.obj_id]

    @property
    def levels(self) -> list[int]:
        return sorted({i.level for i in self.items})

    @property
    def pick_items(self) -> bool:
        return len(self.items) <= PICK_LIMIT

    def names(self) -> dict[str, str]:
        return {i.code: i.name for i in self.items}


@dataclass
class Selection:
    """What the reader chose: the e-Stat narrowing parameters, and the dimension shown as columns."""

    values: dict[str, str] = field(default_factory=dict)
    cols: str = ""

    def codes(self, dim: Dim) -> set[str]:
        return {c for c in self.values.get(f"cd{dim.suffix}", "").split(",") if c}

    def level(self, dim: Dim) -> str:
        return self.values.get(f"lv{dim.suffix}", "")

    def range_of(self, dim: Dim) -> tuple[str, str]:
        return self.values.get(f"cd{dim.suffix}From", ""), self.values.get(f"cd{dim.suffix}To", "")

    def query(self, **extra: str) -> dict[str, str]:
        out = {"sel": "1", **self.values}
        if self.cols:
            out["cols"] = self.cols
        out.update({k: v for k, v in extra.items() if v})
        return out


async def dimensions(uow: UnitOfWork, table_id: int) -> list[Dim]:
    objs = await statdb.classes(uow, table_id)
    return [Dim(o.obj_id, o.name, o.items) for o in objs]


def selection(q: dict[str, str], dims: list[Dim]) -> Selection:
    """The request's selection; when the form was never submitted (no `sel`), a first view that
    shows the whole table at a glance: every item of small dimensions, and the top two levels of
    the area (全国 and the prefectures)."""
    values = {k: v for k, v in q.items() if k in SELECTION_KEYS and v}
    for d in dims:
        codes = [c for c in values.get(f"cd{d.suffix}", "").split(",") if c]
        if codes and d.pick_items and set(codes) >= {i.code for i in d.items}:
            values.pop(f"cd{d.suffix}")  # every item checked: no narrowing at all
        low = values.get(f"cd{d.suffix}From", "")
        if d.obj_id == "area" and re.match(PREFECTURE, low) and not values.get(f"cd{d.suffix}To"):
            values[f"cd{d.suffix}To"] = low[:2] + "ZZZ"  # "within the prefecture" (the form's choice)
    if q.get("sel") != "1" and not values:
        for d in dims:
            if d.obj_id == "area" and len(d.levels) > 2:
                values[f"lv{d.suffix}"] = f"{d.levels[0]}-{d.levels[1]}"
            elif not d.pick_items:
                values[f"lv{d.suffix}"] = str(d.levels[0])
    cols = q.get("cols", "")
    if cols not in {d.obj_id for d in dims} and cols != "none":
        cols = ""
    return Selection(values=values, cols=cols)


def column_dim(sel: Selection, dims: list[Dim], counts: dict[str, int]) -> str | None:
    """The dimension shown across: the reader's choice, else the smallest non-area, non-time
    dimension with several selected items (男女 for the census)."""
    if sel.cols == "none":
        return None
    if sel.cols:
        return sel.cols
    candidates = [d for d in dims if d.obj_id not in ("area", "time") and 1 < counts.get(d.obj_id, 0) <= 12]
    if not candidates:
        candidates = [d for d in dims if d.obj_id == "time" and 1 < counts.get(d.obj_id, 0) <= 12]
    return min(candidates, key=lambda d: counts[d.obj_id]).obj_id if candidates else None


@dataclass
class Cells:
    total: int
    rows: list[Cell]
    start: int
    error: str = ""


async def fetch(
    uow: UnitOfWork, table_id: int, dims: list[Dim], sel: Selection, *, start: int = 1, limit: int = PAGE_CELLS
) -> Cells:
    """The selected cells in the table's order (seq), `limit` of them from position `start`."""
    try:
        narrowing = params.narrowings(sel.values)
    except EstatFault as fault:
        return Cells(0, [], start, error=f"選択が正しくありません / invalid selection: {fault.message}")
    cond = data.where(table_id, [d.obj_id for d in dims], narrowing)
    if cond is None:
        return Cells(0, [], start)
    total = await data.count(uow, cond)
    rows = await statdb.cells(uow, cond, [d.obj_id for d in dims], start=start, limit=limit)
    return Cells(total, rows, start)


async def stream(uow_factory, table_id: int, dims: list[Dim], sel: Selection, page: int = 20_000):
    """All selected cells, page by page by seq, each page in its own short transaction."""
    narrowing = params.narrowings(sel.values)
    cond = data.where(table_id, [d.obj_id for d in dims], narrowing)
    if cond is None:
        return
    obj_ids = [d.obj_id for d in dims]
    last = 0
    while True:
        async with uow_factory() as uow:
            rows = await statdb.cells_after(uow, cond, obj_ids, after_seq=last, limit=page)
        if not rows:
            return
        yield rows
        if len(rows) < page:
            return
        last = rows[-1].seq


async def count(uow: UnitOfWork, table_id: int, dims: list[Dim], sel: Selection) -> int:
    narrowing = params.narrowings(sel.values)
    cond = data.where(table_id, [d.obj_id for d in dims], narrowing)
    return 0 if cond is None else await data.count(uow, cond)


def present_codes(rows: list[Cell], dims: list[Dim]) -> dict[str, list[str]]:
    """Per dimension, the codes among the cells, in the class's order."""
    seen = {d.obj_id: {getattr(r, d.obj_id) for r in rows} for d in dims}
    return {d.obj_id: [i.code for i in d.items if i.code in seen[d.obj_id]] for d in dims}


def pivot(rows: list[Cell], dims: list[Dim], col: str | None) -> dict[str, Any]:
    """Rows keyed by the other dimensions' codes (in the cells' order), one column per code of `col`."""
    names = {d.obj_id: d.names() for d in dims}
    codes = present_codes(rows, dims)
    row_dims = [d for d in dims if d.obj_id != col and (len(codes[d.obj_id]) > 1 or d.obj_id == "area")]
    if not row_dims:
        row_dims = [d for d in dims if d.obj_id != col][:1]
    columns = codes[col] if col else [""]
    body: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
    units: dict[str, str] = {}
    for r in rows:
        key = tuple(getattr(r, d.obj_id) for d in row_dims)
        cells = body.setdefault(key, {})
        c = getattr(r, col) if col else ""
        cells[c] = {"text": number(r.value, r.raw), "unit": r.unit or "", "annotation": r.annotation or ""}
        units.setdefault(c, r.unit or "")
    fixed = [
        {"name": d.name, "code": codes[d.obj_id][0], "label": names[d.obj_id].get(codes[d.obj_id][0], "")}
        for d in dims
        if d not in row_dims and d.obj_id != col and codes[d.obj_id]
    ]
    return {
        "row_dims": [{"obj_id": d.obj_id, "name": d.name} for d in row_dims],
        "col": {"obj_id": col, "name": next(d.name for d in dims if d.obj_id == col)} if col else None,
        "columns": [
            {"code": c, "label": names[col].get(c, c) if col else "値 / Value", "unit": units.get(c, "")}
            for c in columns
        ],
        "rows": [
            {
                "keys": [{"code": k, "label": names[d.obj_id].get(k, k)} for d, k in zip(row_dims, key, strict=False)],
                "cells": [cells.get(c) for c in columns],
            }
            for key, cells in body.items()
        ],
        "fixed": fixed,
    }


def graph_data(rows: list[Cell], dims: list[Dim]) -> dict[str, Any]:
    """What the page's chart script draws: the dimensions with their codes and names, and each
    cell as its codes plus a number (null for a special character)."""
    codes = present_codes(rows, dims)
    names = {d.obj_id: d.names() for d in dims}
    return {
        "dims": [
            {
                "id": d.obj_id,
                "name": d.name,
                "codes": codes[d.obj_id],
                "names": {c: names[d.obj_id].get(c, c) for c in codes[d.obj_id]},
                "levels": {i.code: i.level for i in d.items if i.code in set(codes[d.obj_id])},
            }
            for d in dims
        ],
        "cells": [[*(getattr(r, d.obj_id) for d in dims), plain(r.value)] for r in rows],
        "units": sorted({r.unit for r in rows if r.unit}),
    }


def level_options(dim: Dim) -> list[tuple[str, str]]:
    levels = dim.levels
    out = [("", "すべての階層 / all levels")]
    for lv in levels:
        sample = next((i.name for i in dim.items if i.level == lv), "")
        out.append((str(lv), f"階層{lv} / level {lv}（{sample} など）"))
    for _a, b in itertools.pairwise(levels):
        out.append((f"{levels[0]}-{b}", f"階層{levels[0]}〜{b} / levels {levels[0]}-{b}"))
    return list(dict.fromkeys(out))


def prefecture_ranges(dim: Dim) -> list[tuple[str, str]]:
    """(cdAreaFrom, name) for each prefecture of an area dimension: the range xx000..xxZZZ holds
    the prefecture and everything inside it (5-character area codes sort as text)."""
    return [(i.code, i.name) for i in dim.items if re.match(PREFECTURE, i.code)]
