"""Review h21: workbooks made to slip past the directory check (platform/web/xlsx_bounds.py) while
openpyxl still reads the part whole at open. Each is a valid workbook openpyxl opens; the check
refused none of them before:

- the shared strings part declared twice, as shared strings (openpyxl takes the first such
  declaration) and again as a worksheet (the check kept the last: a sheet, which streams);
- a [Content_Types].xml padded past 1 MiB (the check gave up and let openpyxl go on);
- the workbook part under a name not ending in .xml (openpyxl finds it by its content type; the
  check counted only .xml and .rels names among the parts read whole);
- a chartsheet declared a worksheet (openpyxl reads a chartsheet whole, known by its relationship;
  the check took every part declared a worksheet for one that streams).

The parts are random text (a ratio near 2): the ratio bound alone never stops them."""

from __future__ import annotations

import io
import secrets
import zipfile

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from govstat.platform.errors import InvalidInput
from govstat.platform.web import xlsx_bounds
from tests.support.xlsx_bomb import SST

MiB = 1024 * 1024
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOUNDS = xlsx_bounds.Bounds(shared_strings=MiB, other_xml=MiB)


def _plain() -> dict[str, bytes]:
    wb = openpyxl.Workbook()
    wb.active.append(["unit_id", "名前"])
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _strings(size: int) -> bytes:
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    items = b"".join(b"<si><t>%s</t></si>" % secrets.token_hex(16).encode() for _ in range(size // 47))
    return head + items + b"</sst>"


def _declare(parts: dict[str, bytes], *overrides: tuple[str, str]) -> None:
    more = "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", more.encode() + b"</Types>")


def _refused(data: bytes) -> str:
    with pytest.raises(InvalidInput) as caught:
        xlsx_bounds.check(data, BOUNDS, name="upload.xlsx")
    return str(caught.value.detail) + str(getattr(caught.value, "errors", ""))


def test_shared_strings_declared_again_as_a_worksheet_are_still_shared_strings():
    parts = _plain()
    parts["xl/strs.xml"] = _strings(2 * MiB)
    _declare(parts, ("xl/strs.xml", SST), ("xl/strs.xml", WORKSHEET))
    data = _zip(parts)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)  # openpyxl reads them all at open
    assert len(wb._archive.read("xl/strs.xml")) > MiB and wb.active is not None
    _refused(data)


def test_a_padded_content_types_part_is_refused_not_waved_through():
    parts = _plain()
    parts["xl/sharedStrings.xml"] = _strings(2 * MiB)
    _declare(parts, ("xl/sharedStrings.xml", SST))
    types = parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = types.replace(b"<Types", b"<!--" + b" " * (MiB + 10) + b"-->\n<Types", 1)
    data = _zip(parts)
    openpyxl.load_workbook(io.BytesIO(data), read_only=True)  # opens: the padding is a comment
    _refused(data)


def test_a_workbook_part_under_another_name_counts_among_the_parts_read_whole():
    parts = _plain()
    names = "".join(f'<definedName name="n{i}">"{secrets.token_hex(32)}"</definedName>' for i in range(20_000))
    workbook = parts.pop("xl/workbook.xml").replace(
        b"</workbook>", f"<definedNames>{names}</definedNames></workbook>".encode()
    )
    parts["xl/book.bin"] = workbook
    parts["xl/_rels/book.bin.rels"] = parts.pop("xl/_rels/workbook.xml.rels")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"xl/workbook.xml", b"xl/book.bin")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"/xl/workbook.xml", b"/xl/book.bin")
    data = _zip(parts)
    assert len(workbook) > MiB
    openpyxl.load_workbook(io.BytesIO(data), read_only=True)  # found by its content type, read whole
    _refused(data)


def test_a_chartsheet_declared_a_worksheet_counts_among_the_parts_read_whole():
    wb = openpyxl.Workbook()
    wb.active.append([1])
    chart = BarChart()
    chart.add_data(Reference(wb.active, min_col=1, min_row=1))
    wb.create_chartsheet().add_chart(chart)
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    padding = "".join(f"<!-- {secrets.token_hex(32)} -->" for _ in range(20_000)).encode()
    parts["xl/chartsheets/sheet1.xml"] = parts["xl/chartsheets/sheet1.xml"].replace(
        b"<sheetViews>", padding + b"<sheetViews>"
    )
    chartsheet = b"spreadsheetml.chartsheet+xml"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(chartsheet, b"spreadsheetml.worksheet+xml")
    data = _zip(parts)
    assert len(parts["xl/chartsheets/sheet1.xml"]) > MiB
    assert len(openpyxl.load_workbook(io.BytesIO(data), read_only=True).chartsheets) == 1  # read whole at open
    _refused(data)


def test_a_plain_workbook_still_passes():
    assert xlsx_bounds.problem(_zip(_plain()), BOUNDS) is None
