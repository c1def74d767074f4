"""Table files (統計表ファイル): CSV or XLSX, checked when they arrive and previewed on the page."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from govstat.platform.errors import InvalidInput
from govstat.platform.web import xlsx_bounds

if TYPE_CHECKING:
    from openpyxl import Workbook

MAX_BYTES = 256 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
# what openpyxl reads whole at open; the sheets stream, bounded by the ratio only (platform/web/xlsx_bounds.py)
BOUNDS = xlsx_bounds.Bounds(shared_strings=64 * 1024 * 1024, other_xml=64 * 1024 * 1024)
ENCODINGS = ("utf-8-sig", "cp932")


def detect(filename: str, content: bytes) -> str:
    """'csv' or 'xlsx', from the name and checked against the bytes; anything else is refused."""
    name = filename.lower()
    if not content:
        raise InvalidInput.field("file", "空のファイルです / the file is empty")
    if len(content) > MAX_BYTES:
        raise InvalidInput.field(
            "file", f"{MAX_BYTES // 1024 // 1024}MBまでです / at most {MAX_BYTES // 1024 // 1024} MB"
        )
    if name.endswith(".xlsx"):
        if content[:4] != XLSX_MAGIC:
            raise InvalidInput.field("file", "XLSXファイルではありません / not an XLSX file")
        _open_xlsx(content, filename).close()
        return "xlsx"
    if name.endswith(".csv"):
        if content[:4] == XLSX_MAGIC:
            raise InvalidInput.field("file", "CSVではありません（XLSXです）/ not CSV (it is XLSX)")
        _decode(content)
        return "csv"
    raise InvalidInput.field("file", "CSV（.csv）かExcel（.xlsx）のファイルにしてください / a .csv or .xlsx file")


def _decode(content: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput.field(
        "file", "文字コードは UTF-8 か Shift_JIS にしてください / encode the CSV in UTF-8 or Shift_JIS"
    )


def _open_xlsx(content: bytes, name: str = "") -> Workbook:
    import openpyxl

    xlsx_bounds.check(content, BOUNDS, name=name)  # before openpyxl reads its shared strings (review h20)
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise InvalidInput.field("file", f"XLSXとして読めません / not a readable XLSX file ({exc})") from None


def preview(fmt: str, content: bytes, rows: int = 40) -> list[list[str]]:
    """The first rows of the file's first sheet, as text."""
    if fmt == "xlsx":
        book = _open_xlsx(content)
        try:
            out = []
            for values in book.worksheets[0].iter_rows(values_only=True, max_row=rows):
                out.append(["" if v is None else str(v) for v in values])
            return out
        finally:
            book.close()
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    out = []
    for record in reader:
        out.append(record)
        if len(out) >= rows:
            break
    return out
