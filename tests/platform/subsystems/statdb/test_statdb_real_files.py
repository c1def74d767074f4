"""Issue 14 §3: parameter-file options for agencies' real files, on real census rows (fixtures/):
codes without leading zeros, sub-total rows skipped by value, area names matched to codes, several
boundary vintages in one file, cp932 with 外字 reported by line and column."""

from pathlib import Path

from govstat.platform.subsystems.statdb.params import parse
from govstat.platform.subsystems.statdb.problems import Problems
from tests.platform.subsystems.statdb.statdb_support import agency, multipart
from tests.support.factories import api_key

FIX = Path(__file__).parent / "fixtures"
SEXES = """  cat01:
    name: 男女
    items:
      - {code: "0", name: 総数}
      - {code: "1", name: 男, level: 2, parent: "0"}
      - {code: "2", name: 女, level: 2, parent: "0"}
"""
AREA = """  area: {name: 地域, items: area_codes, as_of: 2020-10-01}
"""


def params(data: str, dims: str = SEXES + AREA, title: str = "男女別人口") -> bytes:
    return f"""format: 1
table: {{gov_stat_code: "00200521", title: {title}, survey_date: "202010"}}
data:
{data}dimensions:
  tab: {{name: 表章事項, fixed: "2020_01", items: [{{code: "2020_01", name: 人口, unit: 人}}]}}
{dims}""".encode()


SEX_VALUES = """  values:
    - {column: 3, cat01: "0"}
    - {column: 4, cat01: "1"}
    - {column: 5, cat01: "2"}
"""


async def _post(client, key: str, p: bytes, data: bytes, name: str):
    files, form = multipart([(p, data, name)], test_mode=True)
    return await client.post("/api/statdb/tables", files=files, data=form, headers={"x-api-key": key})


async def _items(client, key: str, sid: str) -> dict[str, dict]:
    detail = (await client.get(f"/api/statdb/tables/{sid}", headers={"x-api-key": key})).json()
    return {i["code"]: i for c in detail["classes"] if c["obj_id"] == "area" for i in c["items"]}


async def _values(client, key: str, sid: str, **filters: str) -> dict[tuple[str, str], float]:
    r = await client.get(
        f"/api/statdb/tables/{sid}/data", headers={"x-api-key": key}, params={"limit": 1000, **filters}
    )
    items = r.json()["items"]
    return {(i["area"], i["cat01"] if "cat01" in i else i["time"]): float(i["value"]) for i in items}


def test_options_are_checked_with_line_and_field():
    p = Problems()
    bad = params(
        """  columns:
    area: {code: 1, width: 0, match: code, colour: red}
  skip:
    - {column: 2}
  vintage: {column: 1}
"""
        + SEX_VALUES
    )
    assert parse(bad, p) is None
    fields = {e.field for e in p.errors}
    assert {
        "line 5: data.columns.area.width",
        "line 5: data.columns.area.match",
        "line 5: data.columns.area.colour",
        "line 7: data.skip[0]",
        "line 8: data.vintage.dates",
    } <= fields, fields


async def test_codes_without_zeros_and_subtotals_skipped(client):
    owner = await agency()
    key = await api_key(owner.id)
    data = (FIX / "aomori-2020-nozeros.csv").read_bytes()
    cols = "  skip_rows: 1\n  columns:\n    area: {code: 1, name: 2, width: 5}\n"
    # without the skip rule, the sub-total rows (no code) are errors naming their line and column
    r = await _post(client, key, params(cols + SEX_VALUES), data, "aomori.csv")
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["data line 3: column 1", "data line 4: column 1"]
    skip = "  skip:\n    - {column: 2, values: [市部, 郡部]}\n"
    r = await _post(client, key, params(cols + skip + SEX_VALUES), data, "aomori.csv")
    assert r.status_code == 201, r.text
    sid = r.json()["stats_data_id"]
    assert r.json()["total_number"] == 41 * 3
    items = await _items(client, key, sid)
    assert items["02201"]["name"] == "青森市" and items["02201"]["parent_code"] == "02000"
    assert "2201" not in items and len(items) == 41
    values = await _values(client, key, sid, cdCat01="0")
    assert values[("02000", "0")] == 1_237_984
    assert sum(v for (a, _), v in values.items() if a != "02000") == 1_237_984  # no sub-total counted twice


async def test_area_names_matched_to_codes(client):
    owner = await agency()
    key = await api_key(owner.id)
    data = (FIX / "prefectures-2015-2020-names.csv").read_bytes()
    lay = "  skip_rows: 1\n  columns:\n    area: {code: 1, match: name}\n    time: {code: 2}\n  values:\n    - {column: 3}\n"
    dims = AREA + "  time: {name: 調査年, items: data}\n"
    r = await _post(client, key, params(lay, dims), data, "prefs.csv")
    assert r.status_code == 201, r.text
    sid = r.json()["stats_data_id"]
    assert r.json()["total_number"] == 94
    values = await _values(client, key, sid, cdTime="2020年")
    assert values[("13000", "2020年")] == 14_047_594 and values[("47000", "2020年")] == 1_467_480
    assert (await _items(client, key, sid))["13000"]["name"] == "東京都"
    # a name no area has on as_of, and a name two areas share, each named with its line
    bad = data.replace("東京都,2020年".encode(), "東京府,2020年".encode()) + "府中市,2020年,1\n".encode()
    r = await _post(client, key, params(lay, dims), bad, "prefs.csv")
    assert r.status_code == 422
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    tokyo = next(f for f, m in errors.items() if "東京府" in m)
    assert tokyo == "data line 27: column 1"
    assert (
        "13206 東京都府中市" in errors["data line 96: column 1"]
        and "34208 広島県府中市" in errors["data line 96: column 1"]
    )
    # qualified by its prefecture, or after that prefecture's row, it is one area
    ok = data + "東京都府中市,2020年,1\n".encode()
    r = await _post(client, key, params(lay, dims), ok, "prefs.csv")
    assert r.status_code == 201, r.text
    assert (await _items(client, key, r.json()["stats_data_id"]))["13206"]["name"] == "府中市"


async def test_cp932_gaiji_reported_by_line_and_column(client):
    owner = await agency()
    key = await api_key(owner.id)
    data = (FIX / "nara-2020-cp932-gaiji.csv").read_bytes()
    lay = "  encoding: {enc}\n  skip_rows: 1\n  columns:\n    area: {{code: 1, name: 2}}\n  annotation_column: 6\n"
    r = await _post(client, key, params(lay.format(enc="cp932") + SEX_VALUES), data, "nara.csv")
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert [e["field"] for e in errors] == ["data line 47: column 6"]
    assert "外字" in errors[0]["message"] and "0xF040" in errors[0]["message"]
    # strict Shift_JIS also refuses 髙 (an IBM extension only cp932 has), on its own line
    r = await _post(client, key, params(lay.format(enc="shift_jis") + SEX_VALUES), data, "nara.csv")
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert set(errors) == {"data line 35: column 2", "data line 47: column 6"}, errors
    assert "0xEEE0" in errors["data line 35: column 2"]
    fixed = data.replace(b"\xf0\x40", "※".encode("cp932"))
    r = await _post(client, key, params(lay.format(enc="cp932") + SEX_VALUES), fixed, "nara.csv")
    assert r.status_code == 201, r.text
    items = await _items(client, key, r.json()["stats_data_id"])
    assert items["29401"]["name"] == "高取町"  # the name from the standard area codes


async def test_several_boundary_vintages_in_one_file(client):
    owner = await agency()
    key = await api_key(owner.id)
    data = (FIX / "hakodate-2020-vintages.csv").read_bytes()
    vintage = "  vintage: {column: 1, dates: {2000年境域: 2000-10-01, 2020年境域: 2020-10-01}}\n"
    lay = "  skip_rows: 1\n  columns:\n    area: {code: 2, name: 3}\n" + vintage
    lay += '  values:\n    - {column: 4, cat01: "0"}\n    - {column: 5, cat01: "1"}\n    - {column: 6, cat01: "2"}\n'
    r = await _post(client, key, params(lay), data, "hakodate.csv")
    assert r.status_code == 201, r.text
    items = await _items(client, key, r.json()["stats_data_id"])
    # the towns of 2000 are areas of their own, named by the standard codes of their vintage
    assert items["01339"]["name"] == "戸井町" and items["01335"]["name"] == "上磯町"
    assert items["01202"]["name"] == "函館市" and items["01339"]["level"] == items["01202"]["level"]
    wrong = data.replace("2000年境域,01339".encode(), "2020年境域,01339".encode())
    wrong = wrong.replace("2000年境域,01340".encode(), "1995年境域,01340".encode())
    r = await _post(client, key, params(lay), wrong, "hakodate.csv")
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert "2020-10-01" in errors["data line 3: column 2"] and "data line 4: column 1" in errors, errors


def test_skip_by_contained_text_and_width_without_a_database():
    """DID rows (人口集中地区) left out by `contains`, counted; a listed dimension's codes padded."""
    from govstat.platform.subsystems.statdb import transform

    p = Problems()
    yaml = """format: 1
table: {gov_stat_code: "00200521", title: DID}
data:
  skip_rows: 1
  columns:
    area: {code: 1, name: 2}
    cat01: {code: 3, width: 3}
  skip:
    - {column: 2, contains: [人口集中地区]}
  values:
    - {column: 4}
dimensions:
  cat01: {name: 区分, items: [{code: "001", name: 総数}]}
  area: {name: 地域, items: data}
"""
    params_ = parse(yaml.encode(), p)
    assert params_ is not None, p.errors
    csv = "code,name,cat,value\n29201,奈良市,1,354630\n29201D,奈良市（人口集中地区）,1,300000\n29202,大和高田市,01,61744\n"
    ctx = transform.Context()
    conv = transform.convert_rows(params_, "d.csv", csv.encode(), p, ctx)
    assert not p.errors and conv.total == 2
    assert [r[1] for r in conv.records] == ["001", "001"] and ctx.padded == 2
    assert ctx.skipped == {"2: *人口集中地区*": 1}
