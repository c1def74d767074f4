"""Parameter-file options for what agencies' real files do (PARAMS.md, "Options for real files").

Read from the `data` part by `read()` (called from params_layout.layout) into `DataOptions`; the
data-time side is transform.py. Options:

- `columns.<dim>.width`: codes written without their leading zeros (`1100` for `01100`).
- `columns.<dim>.match: name`: the code column holds area names, matched to standard area codes.
- `vintage`: a column saying which boundary vintage (境域の時点) a row's area code belongs to.
- `skip`: rows left out by a column's value (市部/郡部 sub-totals, DID rows).
- `header`: a wide table whose value columns take codes from several header rows (wide.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govstat.platform.subsystems.statdb.params_model import integer, mapping, text
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.wide import Header, read_header
from govstat.platform.subsystems.statdb.yamlnodes import Map, Seq, line_of

if TYPE_CHECKING:
    from govstat.platform.subsystems.statdb.params_model import Dimension, Layout

KEYS = {"skip", "vintage", "header"}
MAX_WIDTH = 64


@dataclass
class SkipRule:
    column: int
    values: set[str] = field(default_factory=set)
    contains: list[str] = field(default_factory=list)

    def match(self, cell: str) -> str | None:
        """What the report counts the row under (`2: 市部`, `2: *人口集中地区*`), or None."""
        if cell in self.values:
            return f"{self.column}: {cell}"
        found = next((c for c in self.contains if c in cell), None)
        return None if found is None else f"{self.column}: *{found}*"


@dataclass
class Vintage:
    column: int
    dates: dict[str, dt.date] = field(default_factory=dict)  # the column's value -> the vintage's day
    line: int = 0

    def day(self, cell: str) -> dt.date | None:
        return self.dates.get(cell)


@dataclass
class DataOptions:
    widths: dict[str, int] = field(default_factory=dict)  # obj_id -> width of its codes
    by_name: set[str] = field(default_factory=set)  # dimensions whose code column holds area names
    skip: list[SkipRule] = field(default_factory=list)
    vintage: Vintage | None = None
    header: Header | None = None

    @property
    def active(self) -> bool:
        return bool(self.widths or self.by_name or self.skip or self.vintage or self.header)

    @property
    def needs_areas(self) -> bool:
        return bool(self.by_name or self.vintage or self.header)


def read(m: Map, dims: dict[str, Dimension], lay: Layout, p: Problems) -> DataOptions:
    """The options of the `data` part (after its columns were read into `lay`)."""
    opts = DataOptions()
    _column_options(m, dims, opts, p)
    _skip(m, opts, p)
    _vintage(m, dims, opts, p)
    opts.header = read_header(m, dims, lay, p)
    return opts


def _column_options(m: Map, dims: dict[str, Dimension], opts: DataOptions, p: Problems) -> None:
    cols = m.get("columns")
    if not isinstance(cols, Map):
        return
    for obj_id, spec in cols.items():
        if not isinstance(spec, Map) or obj_id not in dims:
            continue
        path = f"data.columns.{obj_id}"
        for key in spec:
            if key not in ("code", "name", "width", "match"):
                p.add(spec.key_lines[key], f"{path}.{key}", "知らない項目です / unknown key (code, name, width, match)")
        width = integer(spec, "width", f"{path}.width", p, minimum=1)
        if width is not None:
            if width > MAX_WIDTH:
                p.add(line_of(spec, "width"), f"{path}.width", f"{MAX_WIDTH}以下にしてください / at most {MAX_WIDTH}")
            else:
                opts.widths[obj_id] = width
        match = text(spec, "match", f"{path}.match", p, max_len=16)
        if match and match != "name":
            p.add(line_of(spec, "match"), f"{path}.match", "match: name のみ指定できます / must be `name`")
        elif match:
            if dims[obj_id].source != "area_codes":
                p.add(
                    line_of(spec, "match"),
                    f"{path}.match",
                    "名称による照合は items: area_codes の次元だけです / names are matched only for items: area_codes",
                )
            else:
                opts.by_name.add(obj_id)


def _skip(m: Map, opts: DataOptions, p: Problems) -> None:
    seq = m.get("skip")
    if seq is None:
        return
    if not isinstance(seq, Seq):
        p.add(line_of(m, "skip"), "data.skip", "{column, values|contains} の一覧で書いてください / must be a list")
        return
    for i, node in enumerate(seq):
        path = f"data.skip[{i}]"
        if not isinstance(node, Map):
            p.add(line_of(seq, i), path, "{column: 2, values: [市部, 郡部]} の形で / must be a mapping")
            continue
        for key in node:
            if key not in ("column", "values", "contains"):
                p.add(node.key_lines[key], f"{path}.{key}", "知らない項目です / unknown key (column, values, contains)")
        column = integer(node, "column", f"{path}.column", p, minimum=1)
        values, contains = _texts(node, "values", path, p), _texts(node, "contains", path, p)
        if column is None:
            p.add(
                line_of(node, "column"), f"{path}.column", "列番号（1から）が必要です / the column (from 1) is required"
            )
        elif not values and not contains:
            p.add(node.line, path, "values か contains を指定してください / give values or contains")
        else:
            opts.skip.append(SkipRule(column, set(values), contains))


def _texts(node: Map, key: str, path: str, p: Problems) -> list[str]:
    value = node.get(key)
    if value is None:
        return []
    items = list(value) if isinstance(value, Seq) else [value]
    if not all(isinstance(v, str) and v for v in items):
        p.add(line_of(node, key), f"{path}.{key}", "文字列またはその一覧で書いてください / a text or a list of texts")
        return []
    return [str(v) for v in items]


def _vintage(m: Map, dims: dict[str, Dimension], opts: DataOptions, p: Problems) -> None:
    if m.get("vintage") is None:
        return
    node = mapping(m.get("vintage"), m, "vintage", "data.vintage", p)
    for key in node:
        if key not in ("column", "dates"):
            p.add(node.key_lines[key], f"data.vintage.{key}", "知らない項目です / unknown key (column, dates)")
    column = integer(node, "column", "data.vintage.column", p, minimum=1)
    if column is None:
        p.add(line_of(node, "column"), "data.vintage.column", "列番号（1から）が必要です / the column is required")
        return
    vintage = Vintage(column=column, line=line_of(m, "vintage"))
    dates = mapping(node.get("dates"), node, "dates", "data.vintage.dates", p)
    if not dates:
        p.add(line_of(node, "dates"), "data.vintage.dates", "値と時点の対応が必要です / map each value to a day")
    for cell in dates:
        day = text(dates, cell, f"data.vintage.dates.{cell}", p, required=True)
        try:
            vintage.dates[cell] = dt.date.fromisoformat(day)
        except ValueError:
            p.add(dates.key_lines[cell], f"data.vintage.dates.{cell}", "YYYY-MM-DD で書いてください / YYYY-MM-DD")
    if not any(d.source == "area_codes" for d in dims.values()):
        p.add(
            vintage.line,
            "data.vintage",
            "境域の時点は items: area_codes の次元に使います / a vintage needs a dimension with items: area_codes",
        )
    opts.vintage = vintage
