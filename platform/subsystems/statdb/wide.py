"""Wide tables (`data.header`): the value columns take their codes from several header rows, as
tables laid out for reading are (人口 over 総数/男/女, years side by side), CSV or XLSX.

A header cell names an item of its row's dimension by code or by name (NFKC, spaces removed). A
blank header cell takes the cell to its left (a merged cell saved as CSV leaves its other cells
blank); in XLSX, a merged range gives every cell it covers its top-left value, across and down.
`read_header()` reads the option (params); `value_columns()` turns the header rows of the data
file (`csv_header()`, or `wide_xlsx.xlsx_header()`: streamed, merged cells filled) into
`data.values` entries before the rows are converted."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from govstat.platform.subsystems.statdb.areanames import normal
from govstat.platform.subsystems.statdb.params_model import ValueColumn, mapping, text
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.yamlnodes import Map, line_of

if TYPE_CHECKING:
    from govstat.platform.subsystems.statdb.params_model import Dimension, Layout

RANGE = re.compile(r"^([0-9]+)-([0-9]*)$")


@dataclass
class Header:
    rows: dict[int, str]  # file row (1-based, within skip_rows) -> the dimension its cells name
    first: int  # the first value column (1-based)
    last: int = 0  # the last (0: as far as the header rows go)
    line: int = 0


def read_header(m: Map, dims: dict[str, Dimension], lay: Layout, p: Problems) -> Header | None:
    if m.get("header") is None:
        return None
    node = mapping(m.get("header"), m, "header", "data.header", p)
    for key in node:
        if key not in ("rows", "columns"):
            p.add(node.key_lines[key], f"data.header.{key}", "知らない項目です / unknown key (rows, columns)")
    rows = mapping(node.get("rows"), node, "rows", "data.header.rows", p)
    header = Header(rows={}, first=1, line=line_of(m, "header"))
    for row in rows:
        obj_id = text(rows, row, f"data.header.rows.{row}", p, required=True)
        where = (rows.key_lines[row], f"data.header.rows.{row}")
        dim = dims.get(obj_id)
        if not row.isdigit() or not 1 <= int(row) <= lay.skip_rows:
            p.add(*where, "見出し行は data.skip_rows 以内の行番号です / a row number within data.skip_rows")
        elif dim is None or dim.source != "items":
            p.add(*where, f"{obj_id!r} は項目を列挙した次元ではありません / must name a dimension with listed items")
        else:
            header.rows[int(row)] = obj_id
    span = text(node, "columns", "data.header.columns", p, required=True)
    found = RANGE.match(span)
    if span and (found is None or int(found.group(1)) < 1):
        p.add(line_of(node, "columns"), "data.header.columns", "「3-8」または「3-」の形で / like 3-8 or 3-")
    elif found:
        header.first, header.last = int(found.group(1)), int(found.group(2) or 0)
    if m.get("values") is not None:
        p.add(line_of(m, "values"), "data.values", "header と values は同時に使えません / use header or values")
    return header


def value_columns(
    header: Header, dims: dict[str, Dimension], cells: dict[int, list[str]], p: Problems, taken: set[int]
) -> list[ValueColumn]:
    """`data.values` entries from the header rows' cells (file row -> cells, merges already filled);
    `taken`: the columns of codes, names, units and annotations, never value columns."""
    index = {
        o: {
            **{normal(i.name): i.code for i in reversed(dims[o].items)},
            **{normal(i.code): i.code for i in dims[o].items},
        }
        for o in set(header.rows.values())
    }
    filled = {row: _carry(cells.get(row, [])) for row in header.rows}
    last = header.last or max((len(c) for c in filled.values()), default=0)
    out: list[ValueColumn] = []
    for col in range(header.first, last + 1):
        labels = {row: (c[col - 1] if col <= len(c) else "") for row, c in filled.items()}
        if not any(labels.values()):
            continue  # a blank column (a spacer, notes to the right)
        if col in taken:
            p.add(
                header.line,
                "data.header.columns",
                f"列 {col} は他の用途にも指定されています / column {col} is used twice",
            )
            continue
        codes = {}
        for row, label in labels.items():
            obj_id = header.rows[row]
            code = index[obj_id].get(normal(label))
            if code is None:
                p.data(
                    row,
                    col,
                    f"見出し {label!r} は {obj_id} の項目（コードまたは名称）にありません"
                    f" / the header {label!r} is neither a code nor a name of an item of {obj_id}",
                )
            else:
                codes[obj_id] = code
        if len(codes) == len(labels):
            out.append(ValueColumn(column=col, codes=codes, line=header.line))
    if not out and not p:
        p.data(min(header.rows, default=1), header.first, "値の列がありません / no value columns under the header")
    return out


def _carry(cells: list[str]) -> list[str]:
    out, last = [], ""
    for cell in cells:
        last = cell.strip() or last
        out.append(last)
    return out


def csv_header(text_: str, rows: set[int]) -> dict[int, list[str]]:
    reader = csv.reader(io.StringIO(text_, newline=""))
    out: dict[int, list[str]] = {}
    for number, record in enumerate(reader, start=1):
        if number in rows:
            out[number] = record
        if number >= max(rows, default=0):
            break
    return out
