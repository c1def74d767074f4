"""Reading a data file (CSV or XLSX) row by row, each row with its line (row) number."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from govstat.platform.subsystems.statdb import xlsx_stream
from govstat.platform.subsystems.statdb.params_model import Layout
from govstat.platform.web import xlsx_bounds

if TYPE_CHECKING:
    from openpyxl import Workbook

Row = tuple[int, list[str]]
XLSX_MAGIC = b"PK\x03\x04"
# what openpyxl reads whole at open (the shared strings above all); the sheets stream, bounded by the
# ratio only: a statistics table runs to 512 MB (platform/web/xlsx_bounds.py, review h20)
BOUNDS = xlsx_bounds.Bounds(shared_strings=64 * 1024 * 1024, other_xml=64 * 1024 * 1024)


class DataFileError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def data_format(layout: Layout, filename: str, content: bytes) -> str:
    if layout.format:
        return layout.format
    if filename.lower().endswith(".xlsx") or content[:4] == XLSX_MAGIC:
        return "xlsx"
    return "csv"


def rows(layout: Layout, filename: str, content: bytes) -> Iterator[Row]:
    """Data rows after `skip_rows`, as text cells; wholly empty rows are left out."""
    if data_format(layout, filename, content) == "xlsx":
        check_xlsx(content, filename, BOUNDS)
        yield from _xlsx_stream(layout, content)
    else:
        yield from _csv_rows(layout, content)


def check_xlsx(content: bytes, filename: str, bounds: xlsx_bounds.Bounds) -> None:
    """The workbook's inflated sizes within `bounds`, else the data file's error naming the file."""
    message = xlsx_bounds.problem(content, bounds, filename)
    if message is not None:
        raise DataFileError(1, message)


def _csv_rows(layout: Layout, content: bytes) -> Iterator[Row]:
    encoding = "utf-8-sig" if layout.encoding in ("utf-8", "utf-8-sig") else layout.encoding
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise DataFileError(
            line, f"文字コード {layout.encoding} として読めません / not valid {layout.encoding}"
        ) from None
    yield from text_rows(layout, text)


def text_rows(layout: Layout, text: str) -> Iterator[Row]:
    """The rows of a decoded CSV text (decode.py decodes it reporting 外字 by line)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    skip = layout.skip_rows
    try:
        for record in reader:
            if skip:
                skip -= 1
                continue
            if any(record):
                yield reader.line_num, record
    except csv.Error as exc:
        raise DataFileError(reader.line_num, f"CSVとして読めません / not valid CSV: {exc}") from None


def _xlsx_stream(layout: Layout, content: bytes) -> Iterator[Row]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise DataFileError(1, f"XLSXとして読めません / not a readable XLSX file: {exc}") from None
    try:
        sheet = _sheet(book, layout.sheet)
        for number, values in enumerate(xlsx_stream.values(sheet), start=1):
            if number <= layout.skip_rows:
                continue
            cells = [cell_text(v) for v in values]
            if any(cells):
                yield number, cells
    finally:
        book.close()


def _sheet(book: Workbook, name: str | None) -> Any:  # a (read-only) worksheet
    if name is None:
        return book.worksheets[0]
    if name in book.sheetnames:
        return book[name]
    if name.isdigit() and 1 <= int(name) <= len(book.worksheets):
        return book.worksheets[int(name) - 1]
    raise DataFileError(1, f"シート {name!r} がありません / no sheet {name!r} (sheets: {book.sheetnames})")


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV file would hold (integers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
