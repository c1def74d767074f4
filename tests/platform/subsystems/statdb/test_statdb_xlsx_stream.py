"""xlsx_stream.values gives what openpyxl's read-only `iter_rows(values_only=True)` gives (the
reader of every XLSX data file used it until 2026-12-02), row for row."""

import datetime as dt
import io

import openpyxl
import pytest

from govstat.platform.subsystems.statdb import xlsx_stream
from tests.platform.subsystems.statdb.test_statdb_wide_xlsx import FIX, laid_out, without_cell_refs


def varied() -> bytes:
    """Gaps between rows, rows of a custom height, dates, times, floats, booleans, long text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "見出し"
    sheet["C3"] = dt.datetime(2020, 10, 1, 9, 30)
    sheet["D3"] = dt.date(2021, 4, 1)
    sheet["B5"], sheet["E5"], sheet["F5"] = 1.25, True, "x" * 500
    sheet.row_dimensions[5].height = 30
    sheet["A9"] = 12345678901234
    return _save(book)


def dimensionless() -> bytes:
    """openpyxl's write-only mode leaves out the sheet's <dimension>: no width, no last row known."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(["a", None, 3])
    sheet.append([])
    sheet.append([None, None, None, None, "e"])
    return _save(book)


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BOOKS = [
    (FIX / "prefectures-2010-2020-wide.xlsx").read_bytes(),
    laid_out(),
    without_cell_refs(laid_out()),
    varied(),
    dimensionless(),
    _save(openpyxl.Workbook()),
]


@pytest.mark.parametrize("content", BOOKS)
@pytest.mark.parametrize(("max_row", "max_col"), [(None, None), (2, None), (4, 12), (30, 3)])
def test_the_same_rows_as_openpyxl_read_only(content, max_row, max_col):
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            ours = list(xlsx_stream.values(sheet, max_row, max_col))
            theirs = [tuple(r) for r in sheet.iter_rows(max_row=max_row, max_col=max_col, values_only=True)]
            assert ours == theirs
    finally:
        book.close()
