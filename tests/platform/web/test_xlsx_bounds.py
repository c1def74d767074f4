"""Every reader of an uploaded XLSX refuses one that would inflate past what it reads whole, from the
zip's directory before openpyxl opens it (review h20; platform/web/xlsx_bounds.py): an agency's table
file, statistics table and XLSForm as a respondent's bulk file. The legitimate limits stay: a
statistics table's sheets stream, so a large one (tens of MiB of XML at the 10-25 times real sheets
compress) is read as before; a zip bomb inflates hundreds of times."""

import io
import time
import zipfile

from govstat.platform.subsystems.statdb import reader
from govstat.platform.web import xlsx_bounds
from tests.platform.subsystems.statdb.statdb_support import agency, counts, multipart, small_params
from tests.platform.subsystems.tables.test_tables_files import INFO
from tests.support.factories import api_key, make_tenant
from tests.support.xlsx_bomb import bomb

MiB = 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_large_real_sheet_is_within_bounds_and_a_bomb_is_not():
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for r in range(100_000):
        ws.append(["01100", "北海道", "総数", r % 7, None, 0, r])
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        assert max(i.file_size for i in z.infolist()) > 20 * MiB  # tens of MiB of sheet XML
    assert xlsx_bounds.problem(out.getvalue(), reader.BOUNDS) is None
    # under every size bound of a statistics table, but inflating hundreds of times
    body = bomb(20 * MiB)
    assert len(body) < 200 * 1024
    assert "times its compressed size" in xlsx_bounds.problem(body, reader.BOUNDS)
    # past the shared strings bound: said so, whatever the part is called
    assert "shared strings" in xlsx_bounds.problem(bomb(65 * MiB, part="xl/t.xml"), reader.BOUNDS)


async def test_an_inflating_table_file_is_refused_naming_it(client):
    owner = await agency()
    h = {"x-api-key": await api_key(owner.id)}
    before = await counts()
    started = time.perf_counter()
    files = {"file": ("nara-bomb.xlsx", bomb(20 * MiB, part="xl/strings0.xml"), XLSX)}
    r = await client.post("/api/tables/files", headers=h, data=INFO, files=files)
    assert time.perf_counter() - started < 5  # refused before openpyxl read 800,000 strings
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "file" and "nara-bomb.xlsx" in r.json()["errors"][0]["message"]
    assert await counts() == before


async def test_an_inflating_statistics_table_is_refused_naming_it(client):
    owner = await agency()
    key = await api_key(owner.id)
    files, form = multipart([(small_params(1, fmt="xlsx"), bomb(20 * MiB), "bomb-table.xlsx")], test_mode=True)
    started = time.perf_counter()
    r = await client.post("/api/statdb/tables", files=files, data=form, headers={"x-api-key": key})
    assert time.perf_counter() - started < 5
    assert r.status_code == 422, r.text
    assert "bomb-table.xlsx" in r.text and "times its compressed size" in r.text


async def test_an_inflating_xlsform_is_refused(client):
    owner = await make_tenant(modules=("items",))
    h = {"x-api-key": await api_key(owner.id)}
    started = time.perf_counter()
    r = await client.post(
        "/api/items/questionnaires/xlsform",
        params={"survey": "00200999", "cycle": "2027", "respondent_unit": "household"},
        content=bomb(20 * MiB),
        headers=h,
    )
    assert time.perf_counter() - started < 5
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "body" and "XLSForm" in r.json()["errors"][0]["message"]
