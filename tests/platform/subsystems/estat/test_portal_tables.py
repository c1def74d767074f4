"""ESTAT-2: a table page shows the chosen selection; its CSV and XLSX downloads hold exactly the
selected cells and count as downloads of the table; regional rankings from the census."""

import csv
import io
import json
import re

import openpyxl
import pytest

from govstat.platform.db.uow import UnitOfWork
from tests.platform.subsystems.estat import portal_support as ps
from tests.support.eventually import eventually

NARA = {"sel": "1", "cdCat01": "1,2", "cdArea": "29000,29201"}
EXPECTED = [
    ("29000", "奈良県", "1", "男", 623926),
    ("29000", "奈良県", "2", "女", 700547),
    ("29201", "奈良市", "1", "男", 164846),
    ("29201", "奈良市", "2", "女", 189784),
]


@pytest.fixture
async def public(app):
    async with ps.client_from(app) as c:
        yield c


async def downloads_of(table_id: int) -> int:
    async with UnitOfWork(ps.SYSTEM) as uow:
        return await uow.fetchval(
            "SELECT coalesce(sum(downloads), 0) FROM stat_table_usage WHERE table_id = $1", table_id
        )


def graph_of(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="table-data">(.*?)</script>', html, re.S).group(1))


async def test_table_page_first_view_and_a_selection(public, census):
    sid = census["stats_data_id"]
    first = await public.get(f"/estat/tables/{sid}")
    assert first.status_code == 200
    assert "<strong>144</strong> セル" in first.text  # 全国 + 47 prefectures x 総数/男/女
    assert "126,146,099" in first.text and "奈良県" in first.text and "奈良市" not in first.text.split('id="cells"')[1]
    graph = graph_of(first.text)
    assert len(graph["cells"]) == 144 and [d["id"] for d in graph["dims"]] == ["tab", "cat01", "area", "time"]

    page = await public.get(f"/estat/tables/{sid}", params=NARA)
    assert page.status_code == 200 and "<strong>4</strong> セル" in page.text
    grid = page.text.split('id="cells"')[1].split("</table>")[0]
    # 男女 across (the smallest dimension with several items), the areas down
    assert re.findall(r'<th data-code="(\d)">', grid) == ["1", "2"]
    rows = re.findall(
        r'<tr><td data-code="(\d{5})">([^<]+)</td>\s*<td class="num">([\d,]+)</td><td class="num">([\d,]+)</td>', grid
    )
    assert rows == [("29000", "奈良県", "623,926", "700,547"), ("29201", "奈良市", "164,846", "189,784")]
    assert sorted(c[-1] for c in graph_of(page.text)["cells"]) == sorted(v for *_, v in EXPECTED)
    # the checkboxes show the selection; the download links carry it
    assert re.search(r'name="cdCat01" value="1" checked', page.text) and not re.search(
        r'name="cdCat01" value="0" checked', page.text
    )
    assert "download.csv?sel=1&amp;cdCat01=1%2C2&amp;cdArea=29000%2C29201" in page.text

    within = await public.get(
        f"/estat/tables/{sid}", params={"sel": "1", "lvArea": "3", "cdAreaFrom": "29000", "cdCat01": "0"}
    )
    assert "<strong>39</strong> セル" in within.text  # Nara's 39 municipalities, by level and range
    none = await public.get(f"/estat/tables/{sid}", params={"sel": "1", "cdArea": "99999"})
    assert "no data for this selection" in none.text
    bad = await public.get(f"/estat/tables/{sid}", params={"sel": "1", "lvArea": "x"})
    assert bad.status_code == 422


async def test_csv_and_xlsx_hold_exactly_the_selection_and_count_as_downloads(public, census):
    sid = census["stats_data_id"]
    before = await downloads_of(census["id"])

    r = await public.get(f"/estat/tables/{sid}/download.csv", params=NARA)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "表章事項 コード",
        "表章事項",
        "男女 コード",
        "男女",
        "全国，都道府県，市区町村（2000年市区町村含む） コード",
        "全国，都道府県，市区町村（2000年市区町村含む）",
        "時間軸（年次） コード",
        "時間軸（年次）",
        "単位",
        "値",
        "注記",
    ]
    assert [(x[4], x[5], x[2], x[3], int(x[9])) for x in rows[1:]] == EXPECTED
    assert {x[8] for x in rows[1:]} == {"人"} and {x[6] for x in rows[1:]} == {"2020000000"}

    x = await public.get(f"/estat/tables/{sid}/download.xlsx", params=NARA)
    assert x.status_code == 200 and "spreadsheetml" in x.headers["content-type"]
    wb = openpyxl.load_workbook(io.BytesIO(x.content), read_only=True)
    assert wb.sheetnames == ["データ", "表情報"]
    data = [list(r) for r in wb["データ"].iter_rows(values_only=True)]
    assert data[0] == rows[0]
    assert [(r[4], r[5], r[2], r[3], r[9]) for r in data[1:]] == EXPECTED  # numbers, not text
    about = {r[0]: r[1] for r in wb["表情報"].iter_rows(values_only=True)}
    assert about["統計表ID / statsDataId"] == sid and about["件数 / Cells"] == 4
    assert about["出典 / Source"].startswith("出典：政府統計の総合窓口(e-Stat)")

    # the whole prefecture's municipalities: 39 rows, by level and range
    m = await public.get(
        f"/estat/tables/{sid}/download.csv", params={"sel": "1", "lvArea": "3", "cdAreaFrom": "29000", "cdCat01": "0"}
    )
    body = list(csv.reader(io.StringIO(m.content.decode("utf-8-sig"))))[1:]
    assert len(body) == 39 and {r[4][:2] for r in body} == {"29"} and sum(int(r[9]) for r in body) == 1324473

    assert await eventually(lambda: _at_least(census["id"], before + 3), timeout=10, message="downloads counted")
    assert (
        await public.get(f"/estat/tables/{sid}/download.csv", params={"sel": "1", "lvArea": "9-x"})
    ).status_code == 422


async def _at_least(table_id: int, n: int) -> bool:
    return await downloads_of(table_id) >= n


async def test_a_table_that_is_not_published_has_no_page(public):
    hidden = await ps.register(f"未公表 {ps.uid()}")
    for path in ("", "/download.csv", "/download.xlsx"):
        assert (await public.get(f"/estat/tables/{hidden['stats_data_id']}{path}")).status_code == 404
    assert (await public.get("/estat/tables/abc")).status_code == 404


async def test_regional_ranking_of_nara_municipalities(public, census):
    sid = census["stats_data_id"]
    r = await public.get("/api/estat/regional", params={"table": sid, "view": "muni", "pref": "29000", "cdCat01": "0"})
    assert r.status_code == 200, r.text
    body = r.json()
    rows = body["rows"]
    assert len(rows) == 39 and body["unit"] == "人" and body["whole"]["value"] == 1324473
    assert [(x["rank"], x["name"], x["value"]) for x in rows[:3]] == [
        (1, "奈良市", 354630),
        (2, "橿原市", 120922),
        (3, "生駒市", 116675),
    ]
    assert (rows[-1]["rank"], rows[-1]["name"], rows[-1]["value"]) == (39, "野迫川村", 357)
    values = [x["value"] for x in rows]
    assert values == sorted(values, reverse=True) and [x["rank"] for x in rows] == list(range(1, 40))
    assert abs(rows[0]["share"] - 354630 / 1324473 * 100) < 1e-9
    assert all("旧" not in x["name"] for x in rows)  # parts of former municipalities are not ranked

    women = (
        await public.get("/api/estat/regional", params={"table": sid, "view": "muni", "pref": "29000", "cdCat01": "2"})
    ).json()["rows"]
    assert (women[0]["name"], women[0]["value"]) == ("奈良市", 189784)

    page = await public.get("/estat/regional", params={"table": sid, "view": "muni", "pref": "29000", "cdCat01": "0"})
    assert page.status_code == 200
    order = re.findall(r'<tr data-code="(\d{5})" data-rank="(\d+)"', page.text)
    assert order[:3] == [("29201", "1"), ("29205", "2"), ("29209", "3")] and len(order) == 39
    prefs = (await public.get("/api/estat/regional", params={"table": sid, "view": "pref", "cdCat01": "0"})).json()
    assert len(prefs["rows"]) == 47 and prefs["rows"][0]["name"] == "東京都" and prefs["rows"][-1]["name"] == "鳥取県"
    assert prefs["whole"]["value"] == 126146099
