"""Data rows -> observations (one per value cell), checked against the parameter file.

Errors name the data file's line and column. Items that come from the data (`items: data`
and `items: area_codes`) are collected in the order they first appear."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from govstat.platform.subsystems.statdb.params_model import NUMBER, Params
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.reader import Row

Progress = Callable[[str, int], None]


@dataclass
class OutItem:
    code: str
    name: str
    level: int = 1
    unit: str | None = None
    parent: str | None = None


@dataclass
class Converted:
    """The observations either as Python tuples (the row-by-row path) or as Arrow columns (the
    columnar path, `columnar.py`): the write copies the columns as they are; `records` makes the
    tuples on demand for the readers that want them (revisions, the validation report)."""

    dims: list[str]  # dimensions stored, in e-Stat order
    rows: list[tuple[Any, ...]] | None = None  # (seq, *codes, unit, value, raw, annotation)
    items: dict[str, list[OutItem]] = field(default_factory=dict)
    seen: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)  # from the data: code -> (name, line)
    columns: Any = None  # a pyarrow.Table with the same columns as `rows`' tuples, when read column by column
    count: int | None = None  # the number of observations, when they were copied piece by piece (pieces.py)

    @property
    def records(self) -> list[tuple[Any, ...]]:
        if self.rows is None:
            cols = [] if self.columns is None else [c.to_pylist() for c in self.columns.columns]
            self.rows = list(zip(*cols, strict=True))
        return self.rows

    @property
    def total(self) -> int:
        if self.count is not None:
            return self.count
        return self.columns.num_rows if self.rows is None and self.columns is not None else len(self.records)


def convert(params: Params, rows: Iterable[Row], p: Problems, progress: Progress | None = None) -> Converted:
    lay, dims = params.layout, list(params.dimensions.values())
    obj_ids = [d.obj_id for d in dims]
    fixed = [d.fixed for d in dims]
    code_col = [lay.code_columns.get(o, 0) - 1 for o in obj_ids]
    name_col = [lay.name_columns.get(o, 0) - 1 for o in obj_ids]
    allowed = [{i.code for i in d.items} if d.source == "items" else None for d in dims]
    seen: dict[str, dict[str, tuple[str, int]]] = {d.obj_id: {} for d in dims if d.source != "items"}
    units = {d.obj_id: {i.code: i.unit for i in d.items if i.unit} for d in dims}
    unit_dims = [k for k, o in enumerate(obj_ids) if units[o]]
    fills = [[(obj_ids.index(o), c) for o, c in vc.codes.items()] for vc in lay.values]
    special, thousands = params.special, lay.thousands
    unit_col, note_col = (lay.unit_column or 0) - 1, (lay.annotation_column or 0) - 1
    records: list[tuple[Any, ...]] = []
    keys: set[int] = set()
    seq = 0
    for line, cells in rows:
        width = len(cells)
        base: list[Any] = list(fixed)
        bad = False
        for k, col in enumerate(code_col):
            if col < 0:
                continue
            code = cells[col].strip() if col < width else ""
            if not code:
                p.data(line, col + 1, f"{obj_ids[k]} のコードが空です / the {obj_ids[k]} code is empty")
                bad = True
                continue
            ok = allowed[k]
            if ok is not None:
                if code not in ok:
                    p.data(
                        line, col + 1, f"{code!r} は {obj_ids[k]} の items にありません / not an item of {obj_ids[k]}"
                    )
                    bad = True
            elif code not in seen[obj_ids[k]]:
                nc = name_col[k]
                name = cells[nc].strip() if 0 <= nc < width else ""
                seen[obj_ids[k]][code] = (name or code, line)
            base[k] = code
        unit_cell = cells[unit_col].strip() if 0 <= unit_col < width else ""
        note = (cells[note_col].strip() or None) if 0 <= note_col < width else None
        for vc, fill in zip(lay.values, fills, strict=False):
            col = vc.column - 1
            cell = cells[col].strip() if col < width else ""
            if cell in special:
                value, raw = None, cell
            else:
                number = cell.replace(thousands, "") if thousands else cell
                if number.isdigit() or NUMBER.match(number):
                    value, raw = number, None
                else:
                    p.data(
                        line,
                        vc.column,
                        f"{cell!r} は数値でも特殊文字（special）でもありません"
                        f" / neither a number nor a declared special character",
                    )
                    bad = True
                    continue
            if bad:
                continue
            codes = base.copy()
            for k, code in fill:
                codes[k] = code
            key = hash(tuple(codes))  # 64-bit hashes, not the tuples: a tenth of the memory for 1M cells
            if key in keys:
                p.data(
                    line,
                    vc.column,
                    "同じ次元コードの組合せの値が既にあります / a value for these codes already exists: "
                    + ", ".join(f"{o}={c}" for o, c in zip(obj_ids, codes, strict=False)),
                )
                continue
            keys.add(key)
            unit = unit_cell or next(
                (units[obj_ids[k]].get(codes[k]) for k in unit_dims if units[obj_ids[k]].get(codes[k])), None
            )
            seq += 1
            records.append((seq, *codes, unit, value, raw, note))
        if p.full:
            break
        if progress and seq and line % 20000 == 0:
            progress("read", seq)
    if not records and not p:
        p.data(0, None, "データの行がありません / the data file has no data rows (check data.skip_rows)")
    out = Converted(dims=obj_ids, rows=records, seen=seen)
    for d in dims:
        if d.source == "items":
            out.items[d.obj_id] = [OutItem(i.code, i.name, i.level, i.unit, i.parent) for i in d.items]
        elif d.source == "data":
            out.items[d.obj_id] = [OutItem(code, name) for code, (name, _) in seen[d.obj_id].items()]
    return out
