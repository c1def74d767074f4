"""STATDB-1/2: parameter files validated with the line and field of each error, nothing half
written, bulk registration all or nothing, XLSX data, test mode, scheduling and publication."""

import datetime as dt
import io

from govstat.platform.subsystems.statdb.params import parse
from govstat.platform.subsystems.statdb.problems import Problems
from tests.platform.subsystems.statdb.statdb_support import (
    CENSUS_CSV,
    CENSUS_PARAMS,
    agency,
    counts,
    multipart,
    run_publish_jobs,
    small_csv,
    small_params,
)
from tests.support.factories import api_key, sign_in

BROKEN = """format: 1
table:
  gov_stat_code: 0020052
  title: x
data:
  columns:
    area: {code: 1}
  values:
    - {column: 2, cat01: "9"}
dimensions:
  cat01:
    name: 男女
    items:
      - {code: "0", name: 総数}
      - {code: "0", name: 男}
      - {code: "2", name: 女, parent: "7"}
  area: {name: 地域, items: data}
  cat99: {name: x}
""".encode()


def test_parameter_file_errors_name_the_line_and_field():
    p = Problems()
    assert parse(BROKEN, p) is None
    found = {e.field for e in p.errors}
    assert {
        "line 3: table.gov_stat_code",
        "line 9: data.values[0].cat01",
        "line 15: cat01.items[1].code",
        "line 16: cat01.items[2].parent",
        "line 18: dimensions.cat99",
    } <= found, found
    p = Problems()
    assert parse(b"format: 1\ntable: [unclosed\n", p) is None and p.errors[0].field in (
        "line 2: (file)",
        "line 3: (file)",
    )


async def test_bad_files_answer_422_with_line_and_field_and_write_nothing(client):
    owner = await agency()
    h = {"x-api-key": await api_key(owner.id)}
    before = await counts()
    files, form = multipart([(BROKEN, small_csv(), "d.csv")])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers=h)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    fields = [e["field"] for e in r.json()["errors"]]
    assert "line 15: cat01.items[1].code" in fields and "line 3: table.gov_stat_code" in fields
    # a bad value on the very last data row: the rows before it were fine, nothing is kept
    files, form = multipart([(small_params(1), small_csv(500, bad_last=True), "d.csv")])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers=h)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "data line 501: column 5" and "12a" in r.json()["errors"][0]["message"]
    # another agency's statistic
    files, form = multipart([(small_params(2, stat="00500209"), small_csv(), "d.csv")])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "line 3: table.gov_stat_code"
    assert await counts() == before


async def test_bulk_registration_is_all_or_nothing(client):
    owner = await agency()
    h = {"x-api-key": await api_key(owner.id)}
    before = await counts()
    pairs = [(small_params(n), small_csv(30 + n), f"t{n}.csv") for n in range(3)]
    bad = [*pairs[:2], (small_params(9), small_csv(40, bad_last=True), "bad.csv")]
    files, form = multipart(bad)
    r = await client.post("/api/statdb/tables/bulk", files=files, data=form, headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "files[2] (bad.csv): data line 41: column 5"
    assert await counts() == before
    files, form = multipart(pairs, test_mode=True)
    r = await client.post("/api/statdb/tables/bulk", files=files, data=form, headers=h)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["registered"] == 3 and [t["total_number"] for t in body["items"]] == [60, 62, 64]
    assert all(t["test_mode"] for t in body["items"])
    after = await counts()
    assert after["stat_table"] == before["stat_table"] + 3 and after["observation"] == before["observation"] + 186
    listed = (await client.get("/api/statdb/tables", headers=h)).json()
    assert listed["total"] == 3


async def test_xlsx_data_file(client):
    import openpyxl

    owner = await agency()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["地域コード", "地域名", "年", "人口", "世帯数"])
    sheet.append(["29201", "奈良市", 2020, 354630, 160000])
    sheet.append(["29202", "大和高田市", 2020, 61744.0, "-"])
    buffer = io.BytesIO()
    book.save(buffer)
    files, form = multipart([(small_params(1, fmt="xlsx"), buffer.getvalue(), "nara.xlsx")])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers={"x-api-key": await api_key(owner.id)})
    assert r.status_code == 201, r.text
    sid = r.json()["stats_data_id"]
    rows = (await client.get(f"/api/statdb/tables/{sid}/data", headers={"x-api-key": await api_key(owner.id)})).json()
    assert [(i["area"], i["cat01"], i["value"], i["raw"]) for i in rows["items"]] == [
        ("29201", "001", "354630", None),
        ("29201", "002", "160000", None),
        ("29202", "001", "61744", None),
        ("29202", "002", None, "-"),
    ]


async def test_test_mode_then_promote_schedule_and_publish(client):
    owner = await agency()
    csrf = await sign_in(client, owner.admin_login)
    h = {"x-csrf-token": csrf}
    files, form = multipart([(small_params(5), small_csv(10), "t.csv")], test_mode=True)
    sid = (await client.post("/api/statdb/tables", files=files, data=form, headers=h)).json()["stats_data_id"]
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    r = await client.post(f"/api/statdb/tables/{sid}/schedule", json={"publish_at": soon}, headers=h)
    assert r.status_code == 409 and "test" in r.json()["detail"]
    assert (await client.post(f"/api/statdb/tables/{sid}/promote", headers=h)).json()["test_mode"] is False
    r = await client.post(
        f"/api/statdb/tables/{sid}/schedule", json={"publish_at": "2020-01-01T00:00:00+09:00"}, headers=h
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "publish_at"
    r = await client.post(f"/api/statdb/tables/{sid}/schedule", json={"publish_at": soon}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "scheduled"
    await run_publish_jobs()
    assert (await client.get(f"/api/statdb/tables/{sid}")).json()["status"] == "scheduled"  # an hour early: no
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope

    async with UnitOfWork(Scope.system("test")) as uow:
        await uow.execute(
            "UPDATE stat_table SET publish_at = now() - interval '1 second' WHERE stats_data_id = $1", sid
        )
    await run_publish_jobs()
    assert (await client.get(f"/api/statdb/tables/{sid}")).json()["status"] == "published"
    assert (await client.delete(f"/api/statdb/tables/{sid}", headers=h)).status_code == 409
    await client.get(f"/api/statdb/tables/{sid}/data", params={"limit": 5})
    csv_text = (await client.get(f"/api/statdb/tables/{sid}/csv")).text
    assert csv_text.startswith("\ufeff項目 コード,項目,地域 コード,地域") and csv_text.count("\r\n") == 21
    figures = (await client.get(f"/api/statdb/tables/{sid}/usage")).json()
    assert figures["totals"] == {"views": 1, "downloads": 1, "api_rows": 5}


async def test_pages_register_and_preview_in_japanese(client):
    owner = await agency()
    csrf = await sign_in(client, owner.staff_login)
    assert "統計情報データベース" in (await client.get("/statdb")).text
    r = await client.post(
        "/statdb/new",
        data={"_csrf": csrf, "test_mode": "true"},
        files=[
            ("params", ("p.yaml", CENSUS_PARAMS.read_bytes(), "application/yaml")),
            ("data", (CENSUS_CSV.name, CENSUS_CSV.read_bytes(), "text/csv")),
        ],
    )
    assert r.status_code == 303, r.text
    page = await client.get(r.headers["location"])
    assert page.status_code == 200 and "テストモード" in page.text and "全国" in page.text and "126146099" in page.text
    r = await client.post(
        "/statdb/new",
        data={"_csrf": csrf},
        files=[("params", ("p.yaml", BROKEN, "application/yaml")), ("data", ("d.csv", b"a\n", "text/csv"))],
    )
    assert r.status_code == 422 and "line 15: cat01.items[1].code" in r.text
