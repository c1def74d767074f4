"""A valid workbook that inflates far: a shared strings part of many short strings (each a Python
object once openpyxl reads it), compressed hundreds of times; optionally under another part name,
found by openpyxl through its content type as the real one is."""

from __future__ import annotations

import io
import zipfile

SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def bomb(inflated: int, *, part: str = "xl/sharedStrings.xml", header: tuple[str, ...] = ("unit_id",)) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(list(header))
    plain = io.BytesIO()
    wb.save(plain)
    out = io.BytesIO()
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings = head + b"<si><t>AAAAAAAAAA</t></si>" * (inflated // 25) + b"</sst>"
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/{part}" ContentType="{SST}"/>'.encode()
                data = data.replace(b"</Types>", override + b"</Types>")
            z.writestr(info.filename, data)
        z.writestr(part, strings, compresslevel=9)
    return out.getvalue()
