"""The rows of an XLSX worksheet (openpyxl's read-only mode) in memory that does not grow with them.

openpyxl's `iter_rows()` in read-only mode parses the sheet's XML as a stream but keeps every row
element it has read, emptied, under `<sheetData>` until the sheet's end, and the attributes of every
row of a custom height or style: about 64 bytes a row more, 64 MB per million rows. `values()`
gives what `iter_rows(values_only=True)` gives, parsing each row with openpyxl's own row parser
(the same values, dates, shared strings, cached formula results), and lets go of each row once read
(tests/platform/subsystems/statdb/test_statdb_xlsx_stream.py compares the two)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def values(sheet: Any, max_row: int | None = None, max_col: int | None = None) -> Iterator[tuple[Any, ...]]:
    """Rows 1 to `max_row` (default: the sheet's dimension, as openpyxl reads it), each padded to
    `max_col` cells (default: the same), missing rows as empty ones."""
    from openpyxl.worksheet._reader import DATA_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse  # defusedxml's when openpyxl is told to use it

    book = sheet.parent
    max_col = max_col or sheet.max_column
    max_row = max_row or sheet.max_row
    empty: tuple[Any, ...] = () if max_col is None else (None,) * max_col
    counter = idx = 1
    with sheet._get_source() as src:
        parser = WorkSheetParser(
            src,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        data = None
        for event, element in iterparse(src, events=("start", "end")):
            if event == "start":
                data = element if element.tag == DATA_TAG else data
                continue
            if element.tag != ROW_TAG:
                continue
            idx, cells = parser.parse_row(element)
            element.clear()
            if data is not None:
                data.clear()  # the rows read so far, which openpyxl keeps
            parser.row_dimensions.clear()
            if max_row is not None and idx > max_row:
                break
            while counter < idx:
                counter += 1
                yield empty
            if counter <= idx:
                counter += 1
                yield tuple(sheet._get_row(cells, 1, max_col, values_only=True))
    if max_row is not None and max_row < idx:  # rows missing before the break
        while counter <= max_row:
            counter += 1
            yield empty
