"""Sheets as an XLSX workbook (openpyxl): one worksheet per sheet, Japanese headers, number formats,
and bar charts (openpyxl.chart) drawn from the tables' own cells."""

from __future__ import annotations

import io
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from govstat.ops.reports.files.sheets import Col, Sheet, Table
from govstat.platform.clock import JST
from govstat.platform.web.spreadsheet import set_xlsx

NUMBER_FORMATS = {"int": "#,##0", "pct": "0.000%", "min": "#,##0.0", "dt": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd"}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
BOLD = Font(bold=True)


def cell_value(value: Any, col: Col) -> Any:
    """Excel keeps no time zones: times are written as Japan time; percentages as fractions."""
    if value is None:
        return None
    if col.fmt == "dt":
        return value.astimezone(JST).replace(tzinfo=None)
    if col.fmt == "pct":
        return value / 100.0
    return value


def _cell(ws: Worksheet, row: int, column: int) -> Cell:
    return cast("Cell", ws.cell(row=row, column=column))  # never a merged cell: nothing here is merged


def _table(ws: Worksheet, table: Table, row: int) -> int:
    """Write one table from `row`; returns the next free row."""
    set_xlsx(_cell(ws, row, 1), table.title).font = Font(bold=True, size=12)
    header = row + 1
    for j, col in enumerate(table.cols, start=1):
        c = set_xlsx(_cell(ws, header, j), col.header)
        c.font, c.fill = BOLD, HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, col.width)
    for i, values in enumerate(table.rows, start=header + 1):
        for j, (value, col) in enumerate(zip(values, table.cols, strict=False), start=1):
            c = set_xlsx(_cell(ws, i, j), cell_value(value, col))
            if col.fmt in NUMBER_FORMATS:
                c.number_format = NUMBER_FORMATS[col.fmt]
            elif isinstance(value, str) and len(value) > 40:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    last = header + len(table.rows)
    if table.chart and table.rows:
        _chart(ws, table, header, last)
    return last + 2


def _chart(ws: Worksheet, table: Table, header: int, last: int) -> None:
    spec = table.chart
    assert spec is not None
    last = min(last, header + (spec.rows or len(table.rows)))
    chart = BarChart()
    chart.type = "col"
    chart.title, chart.y_axis.title = spec.title, spec.y_title
    chart.height, chart.width = 9, 22
    if spec.column is not None:
        values = Reference(ws, min_col=spec.column, max_col=spec.column, min_row=header, max_row=last)
        chart.add_data(values, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, max_col=1, min_row=header + 1, max_row=last))
    else:
        chart.grouping, chart.overlap = "stacked", 100
        for r in range(header + 1, last + 1):
            values = Reference(ws, min_col=spec.first_col, max_col=spec.last_col, min_row=r, max_row=r)
            chart.series.append(Series(values, title=str(ws.cell(row=r, column=1).value)))
        chart.set_categories(
            Reference(ws, min_col=spec.first_col, max_col=spec.last_col, min_row=header, max_row=header)
        )
    ws.add_chart(chart, f"{get_column_letter(len(table.cols) + 2)}{header}")


def to_xlsx(title: str, sheets: list[Sheet]) -> bytes:
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name[:31])
        set_xlsx(_cell(ws, 1, 1), title).font = Font(bold=True, size=14)
        row = 3
        for table in sheet.tables:
            row = _table(ws, table, row)
    wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
