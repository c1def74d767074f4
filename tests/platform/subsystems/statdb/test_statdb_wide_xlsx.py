"""The header rows of a wide XLSX table read as streams (wide_xlsx.py): the same cells as the full
load that read them before (kept here as the reference), in memory that does not grow with the
rows, and an upload with a bad cell answering 422 naming its row and column with nothing written."""

import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from govstat.platform.subsystems.statdb import reader, wide_xlsx
from govstat.platform.subsystems.statdb.params_model import Layout
from govstat.platform.subsystems.statdb.reader import DataFileError, cell_text
from tests.platform.subsystems.statdb.statdb_support import agency
from tests.platform.subsystems.statdb.test_statdb_real_files import _post
from tests.platform.subsystems.statdb.test_statdb_wide import XLSX, XLSX_DIMS, wide_params
from tests.support.factories import api_key

FIX = Path(__file__).parent / "fixtures"


def full_load_header(content: bytes, sheet_name: str | None, rows: set[int]) -> dict[int, list[str]]:
    """wide.xlsx_header as it was until 2026-12-02: the whole workbook loaded."""
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    if sheet_name is None:
        sheet = book.worksheets[0]
    else:
        sheet = book[sheet_name] if sheet_name in book.sheetnames else book.worksheets[int(sheet_name) - 1]
    grid = {r: [cell_text(c.value) for c in sheet[r]] for r in rows}
    for merged in sheet.merged_cells.ranges:
        top = cell_text(sheet.cell(merged.min_row, merged.min_col).value)
        for r in range(merged.min_row, merged.max_row + 1):
            if r in grid:
                row = grid[r]
                row.extend([""] * (merged.max_col - len(row)))
                for c in range(merged.min_col, merged.max_col + 1):
                    row[c - 1] = top
    return grid


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def laid_out() -> bytes:
    """Merges across, down, both, from above the header rows, into the data rows, overlapping;
    numbers, booleans and blanks in the header; a data row wider than the header; two sheets."""
    book = openpyxl.Workbook()
    book.active.title = "表紙"
    book.active.append(["目次"])
    sheet = book.create_sheet("表")
    sheet.append(["地域", "人口", None, None, None, "注", "年次"])
    sheet.append([None, 2020, 2020.0, 1.5, True, None, None, "x", None, "y"])
    sheet.append([None, "男", None, "女 ", " ", None, None, None, "z"])
    sheet.append(["29201", 1, 2, 3, 4, 5, 6, 7, 8, 9])
    sheet.cell(20, 14, "右端")  # wider than the header: a full load gave every row 14 cells
    for span in ("A1:A3", "B1:E1", "B2:C3", "F2:F5", "G1:G3", "H2:I3", "I3:J4", "A10:B10"):
        sheet.merge_cells(span)
    return _save(book)


def without_cell_refs(content: bytes) -> bytes:
    """The same workbook with its cells' `r` attributes left out (openpyxl counts them along the row)."""
    src, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'(<c\b[^>]*?) r="[A-Z]+[0-9]+"', rb"\1", data)
            dst.writestr(info.filename, data)
    return out.getvalue()


CASES = [
    ((FIX / "prefectures-2010-2020-wide.xlsx").read_bytes(), None, {1, 2}),
    (laid_out(), "表", {2, 3}),
    (laid_out(), "2", {1, 2, 3}),
    (laid_out(), "表", {3, 6}),  # a header row below the last written row but one
    (without_cell_refs(laid_out()), "表", {1, 3}),
    (_save(openpyxl.Workbook()), None, {1, 2}),  # an empty sheet
    ((FIX / "prefectures-2010-2020-wide.xlsx").read_bytes(), None, {1, 60}),  # past the last row
]


@pytest.mark.parametrize(("content", "sheet", "rows"), CASES)
def test_the_same_header_cells_as_the_full_load(content, sheet, rows):
    assert wide_xlsx.xlsx_header(content, sheet, rows) == full_load_header(content, sheet, rows)


def test_a_missing_sheet_or_a_broken_merge_is_the_data_file_error():
    with pytest.raises(DataFileError, match="no sheet '表2'"):
        wide_xlsx.xlsx_header(laid_out(), "表2", {1})
    src, out = zipfile.ZipFile(io.BytesIO(laid_out())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, data.replace(b'ref="B1:E1"', b'ref="B1:?"'))
    with pytest.raises(DataFileError, match="not a readable XLSX file") as exc:
        wide_xlsx.xlsx_header(out.getvalue(), "表", {1})
    assert exc.value.line == 1


def test_too_many_merged_ranges_in_the_header_are_refused():
    merges = "".join(f'<mergeCell ref="A{r}:B{r}"/>' for r in range(1, wide_xlsx.MAX_SPANS + 2)).encode()
    src, out = zipfile.ZipFile(io.BytesIO(laid_out())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, re.sub(rb"<mergeCells[^>]*>", rb"\g<0>" + merges, data))
    with pytest.raises(DataFileError, match="merged ranges in the header rows"):
        wide_xlsx.xlsx_header(out.getvalue(), "表", {wide_xlsx.MAX_SPANS + 1})


def wide_book(rows: int) -> bytes:
    """As Excel writes it: shared strings, and the sheet's dimension first (openpyxl's read-only
    mode reads the whole sheet at open to find its size when a sheet lacks it)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表"
    sheet.append(["地域", "人口"])
    sheet.append([None, *(f"{2000 + y}年" for y in range(9))])
    sheet.merge_cells("B1:J1")
    for r in range(rows):
        sheet.append([f"{r:05d}", *(r * 10 + y for y in range(9))])
    return _save(book)


def _peak(content: bytes, rows: int) -> int:
    """Peak Python memory of reading the header rows, then every data row (as transform.rows does)."""
    tracemalloc.start()
    try:
        header = wide_xlsx.xlsx_header(content, "表", {1, 2})
        assert header[2][1] == "2000年"
        n = sum(1 for _ in reader.rows(Layout(skip_rows=2, sheet="表"), "t.xlsx", content))
        assert n == rows
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_rows():
    peak_small, peak_large = _peak(wide_book(2_000), 2_000), _peak(wide_book(20_000), 20_000)  # 20k, 200k cells
    # the full load's peak grew about tenfold with the rows
    assert peak_large < 1.5 * peak_small, (peak_small, peak_large)


async def test_a_bad_cell_names_its_row_and_column_and_nothing_is_written(client):
    owner = await agency()
    key = await api_key(owner.id)
    book = openpyxl.load_workbook(FIX / "prefectures-2010-2020-wide.xlsx")
    sheet = book.active
    last = sheet.max_row
    sheet.cell(last, 3, "不明")
    r = await _post(client, key, wide_params(XLSX, XLSX_DIMS), _save(book), "prefs.xlsx")
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [f"data line {last}: column 3"]
    listed = (await client.get("/api/statdb/tables", headers={"x-api-key": key})).json()
    assert listed["total"] == 0
