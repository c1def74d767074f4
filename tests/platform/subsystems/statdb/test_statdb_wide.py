"""Issue 14 §3: wide tables whose value columns take their codes from several header rows: the
FEH download's own header (CSV), and an XLSX table with merged header cells."""

from pathlib import Path

from govstat.platform.subsystems.statdb.params import parse
from govstat.platform.subsystems.statdb.problems import Problems
from tests.platform.subsystems.statdb.statdb_support import agency
from tests.platform.subsystems.statdb.test_statdb_real_files import AREA, SEXES, _items, _post, _values
from tests.support.factories import api_key

FIX = Path(__file__).parent / "fixtures"


def wide_params(data: str, dims: str) -> bytes:
    return f"""format: 1
table: {{gov_stat_code: "00200521", title: 男女別人口, survey_date: "2020"}}
data:
{data}dimensions:
{dims}special:
  "-": 当該数値がないもの
  "***": 当該数値がないもの
""".encode()


FEH = """  skip_rows: 13
  columns:
    time: {code: 1, name: 2}
    area: {code: 3, name: 4}
  header:
    rows: {10: tab, 13: cat01}    # codes on row 10, names on row 13
    columns: 6-8
"""
FEH_DIMS = (
    '  tab: {name: 表章事項, items: [{code: "2020_01", name: 人口, unit: 人}]}\n'
    + SEXES
    + AREA
    + "  time: {name: 時間軸（年次）, items: data}\n"
)
XLSX = """  skip_rows: 2
  columns:
    area: {code: 1, match: name}
  header:
    rows: {1: tab, 2: time}
    columns: 2-
"""
XLSX_DIMS = (
    '  tab: {name: 表章事項, items: [{code: "0010", name: 人口（人）, unit: 人}]}\n'
    + AREA
    + "  time:\n    name: 調査年\n    items:\n"
    + "".join(f'      - {{code: "{y}000000", name: {y}年}}\n' for y in (2010, 2015, 2020))
)


def test_header_option_is_checked():
    p = Problems()
    bad = FEH.replace("13: cat01", "14: cat01, 2: area").replace("6-8", "six") + "  values:\n    - {column: 6}\n"
    assert parse(wide_params(bad, FEH_DIMS), p) is None
    fields = {e.field for e in p.errors}
    assert {
        "line 9: data.header.rows.14",
        "line 9: data.header.rows.2",
        "line 10: data.header.columns",
        "line 12: data.values",
    } <= fields, fields


async def test_the_feh_download_read_through_its_own_header_rows(client):
    owner = await agency()
    key = await api_key(owner.id)
    data = (FIX / "feh-2020-nara-wide.csv").read_bytes()
    r = await _post(client, key, wide_params(FEH, FEH_DIMS), data, "f.csv")
    assert r.status_code == 201, r.text
    sid = r.json()["stats_data_id"]
    assert r.json()["total_number"] == 52 * 3
    values = await _values(client, key, sid, cdArea="29000")
    assert values == {("29000", "0"): 1_324_473, ("29000", "1"): 623_926, ("29000", "2"): 700_547}
    # a header cell that names no item is an error on its row and column
    bad = (
        (FIX / "feh-2020-nara-wide.csv")
        .read_bytes()
        .replace('"総数","男","女"'.encode(), '"総数","男","女性"'.encode())
    )
    r = await _post(client, key, wide_params(FEH, FEH_DIMS), bad, "f.csv")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "data line 13: column 8"
    # a value column that is also the area name column
    r = await _post(client, key, wide_params(FEH.replace("6-8", "4-8"), FEH_DIMS), data, "f.csv")
    assert r.status_code == 422 and "column 4 is used twice" in r.json()["errors"][0]["message"]


async def test_xlsx_with_merged_header_cells(client):
    owner = await agency()
    key = await api_key(owner.id)
    data = (FIX / "prefectures-2010-2020-wide.xlsx").read_bytes()
    r = await _post(client, key, wide_params(XLSX, XLSX_DIMS), data, "prefs.xlsx")
    assert r.status_code == 201, r.text
    sid = r.json()["stats_data_id"]
    assert r.json()["total_number"] == 47 * 3  # 人口（人） merged over the three years reaches each of them
    r = await client.get(f"/api/statdb/tables/{sid}/data", headers={"x-api-key": key}, params={"cdArea": "13000"})
    got = {(i["tab"], i["time"]): float(i["value"]) for i in r.json()["items"]}
    assert got[("0010", "2020000000")] == 14_047_594 and len(got) == 3
    assert (await _items(client, key, sid))["13000"]["name"] == "東京都"
