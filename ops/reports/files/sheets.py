"""Reports as sheets of tables, and their CSV (UTF-8 with a BOM, so Excel reads the Japanese).

Each report's layouts.py (annual/, mic/, plan/) turns it into sheets; this module writes any sheets
as CSV and xlsx.py as XLSX, so the two files always carry the same figures.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, Literal

from govstat.platform.clock import JST
from govstat.platform.web.spreadsheet import csv_writer

Format = Literal["text", "int", "pct", "min", "dt", "date"]


@dataclass(frozen=True)
class Col:
    header: str
    fmt: Format = "text"
    width: int = 14


@dataclass(frozen=True)
class Chart:
    """A bar chart over a table's cells. By rows: one series per row (its first cell names it) over
    columns first_col..last_col, the header naming the categories. By column: one series, that column
    over the rows, the first cells naming the categories."""

    title: str
    first_col: int = 2  # 1-based
    last_col: int = 2
    column: int | None = None  # set: chart this one column instead of the rows
    y_title: str = ""
    rows: int | None = None  # chart only the first N rows (e.g. leave out a total row)


@dataclass
class Table:
    title: str
    cols: list[Col]
    rows: list[list[Any]]
    chart: Chart | None = None


@dataclass
class Sheet:
    name: str  # the XLSX sheet name (<= 31 characters)
    tables: list[Table] = field(default_factory=list)


def jst(value: dt.datetime | None) -> str:
    return "" if value is None else value.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def text(value: Any, fmt: Format) -> str:
    """A cell as CSV text: numbers plain, times in JST, percentages as numbers of percent."""
    if value is None:
        return ""
    if fmt == "dt":
        return jst(value)
    if fmt == "date":
        return str(value.isoformat())
    if fmt == "pct":
        return f"{value:.3f}"
    if fmt == "min":
        return f"{value:.1f}"
    return str(value)


def to_csv(title: str, sheets: list[Sheet]) -> bytes:
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\r\n")
    w.writerow([title])
    for sheet in sheets:
        for table in sheet.tables:
            w.writerow([])
            w.writerow([f"{sheet.name}: {table.title}"])
            w.writerow([c.header for c in table.cols])
            for row in table.rows:
                w.writerow([text(v, c.fmt) for v, c in zip(row, table.cols, strict=False)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
