"""The header rows of a wide XLSX table (`data.header`, wide.py), read without loading the workbook.

openpyxl's read-only mode streams a sheet's rows but does not know its merged cells, and a sheet
keeps them after its rows (`<mergeCells>` follows `<sheetData>`). So the sheet is read twice, each
time as a stream: a scan with expat that keeps only the merged ranges reaching a header row and the
widest row (the width a full load gave every row), then openpyxl's read-only rows down to the last
header row (xlsx_stream.py). The cells come out as a full load (`load_workbook()` without read-only) gave them, the
merged ranges filled (tests/platform/subsystems/statdb/test_statdb_wide_xlsx.py compares the two);
the memory is the header rows and their merged ranges, whatever the number of rows. The data rows
are read afterwards, streamed as well (reader.rows)."""

from __future__ import annotations

import io
from typing import Any
from xml.parsers import expat

from govstat.platform.subsystems.statdb import xlsx_stream
from govstat.platform.subsystems.statdb.reader import BOUNDS, DataFileError, cell_text, check_xlsx

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROW, MERGE_CELLS, MERGE_CELL = f"{NS}}}row", f"{NS}}}mergeCells", f"{NS}}}mergeCell"
Span = tuple[int, int, int, int]  # min_col, min_row, max_col, max_row
MAX_SPANS = 65_536  # merged ranges reaching the header rows (a table has a few dozen)


def unreadable(exc: object) -> DataFileError:
    return DataFileError(1, f"XLSXとして読めません / not a readable XLSX file: {exc}")


def xlsx_header(content: bytes, sheet_name: str | None, rows: set[int], filename: str = "") -> dict[int, list[str]]:
    """The header `rows` of the sheet (file row -> cells as text), merged ranges filled with
    their top-left cell's value, across and down."""
    import openpyxl

    check_xlsx(content, filename, BOUNDS)  # as reader.rows checks it: nothing here is read whole
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise unreadable(exc) from None
    try:
        sheet: Any = book.worksheets[0] if sheet_name is None else _sheet(book, sheet_name)
        last = max(rows, default=0)
        try:
            with sheet._get_source() as src:  # the sheet's XML, inflated as it is read
                width, spans = scan(src, last)
            top = xlsx_stream.values(sheet, max_row=last, max_col=width)
            values = [[cell_text(v) for v in row] for row in top] if last else []
            values += [[""] * width for _ in range(last - len(values))]  # rows past the sheet's last
        except DataFileError:
            raise
        except Exception as exc:
            raise unreadable(exc) from None
    finally:
        book.close()
    return fill(values, spans, rows)


def fill(values: list[list[str]], spans: list[Span], rows: set[int]) -> dict[int, list[str]]:
    """`values` (rows 1..last) as a full load left them: the cells of a merged range but its first
    blank, then each header row's cells of each range given the range's first cell's value."""
    for min_col, min_row, max_col, max_row in spans:
        for r in range(min_row, min(max_row, len(values)) + 1):
            for c in range(min_col if r > min_row else min_col + 1, max_col + 1):
                values[r - 1][c - 1] = ""
    grid = {r: list(values[r - 1]) for r in rows}
    for min_col, min_row, max_col, max_row in spans:
        first = values[min_row - 1][min_col - 1]
        for r in range(min_row, max_row + 1):
            if r in grid:
                grid[r][min_col - 1 : max_col] = [first] * (max_col - min_col + 1)
    return grid


def scan(src: Any, last: int) -> tuple[int, list[Span]]:
    """The sheet's width (the rightmost cell or merged range, as a full load counts them) and
    its merged ranges that begin at or above row `last`, from one pass of expat over its XML."""
    from openpyxl.utils.cell import column_index_from_string, range_boundaries

    width, col, depth, row_depth, in_merges = 1, 0, 0, -1, False
    spans: list[Span] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal width, col, depth, row_depth, in_merges, spans
        depth += 1
        if depth == row_depth + 1:  # every child of a row is a cell to openpyxl
            ref = attrs.get("r")
            col = column_index_from_string(ref.rstrip("0123456789")) if ref else col + 1
            width = max(width, col)
        elif name == ROW:
            row_depth, col = depth, 0
        elif name == MERGE_CELLS:
            spans, in_merges = [], True  # the last <mergeCells> counts, as in openpyxl
        elif name == MERGE_CELL and in_merges:
            min_col, min_row, max_col, max_row = range_boundaries(attrs["ref"])
            if min_col is None or min_row is None or max_col is None or max_row is None:
                raise ValueError(f"merged range {attrs['ref']!r}")
            width = max(width, max_col)
            if min_row <= last:
                spans.append((min_col, min_row, max_col, max_row))
                if len(spans) > MAX_SPANS:
                    raise DataFileError(
                        1, f"見出し行の結合セルが多すぎます / more than {MAX_SPANS} merged ranges in the header rows"
                    )

    def end(name: str) -> None:
        nonlocal depth, row_depth, in_merges
        if depth == row_depth:
            row_depth = -1
        in_merges = in_merges and name != MERGE_CELLS
        depth -= 1

    def refuse(*_: object) -> None:
        raise ValueError("DOCTYPE")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = refuse  # no DTD, hence no entities to expand
    parser.ParseFile(src)
    return width, spans


def _sheet(book: Any, name: str) -> Any:
    if name in book.sheetnames:
        return book[name]
    if name.isdigit() and 1 <= int(name) <= len(book.worksheets):
        return book.worksheets[int(name) - 1]
    raise DataFileError(1, f"シート {name!r} がありません / no sheet {name!r}")
