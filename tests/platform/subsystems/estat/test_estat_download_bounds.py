"""Hardening (issue 8): big answers are bounded, and the portal's XLSX is built without a database
connection held.

Before the fix getStatsDatas answered ten full requests in one (here 122,580 values; up to a million),
and the portal built its workbook while the request's transaction kept its pooled connection."""

import io
import json

from openpyxl import load_workbook

from govstat.platform.db.engine import DB
from govstat.platform.subsystems.estat.portal import downloads
from tests.platform.subsystems.estat.estat_support import app_id_for, published_census


def _list(v):
    return v if isinstance(v, list) else [v]


async def test_get_stats_datas_holds_at_most_100000_values_in_all(client):
    census = await published_census()
    app_id = await app_id_for(client)
    specs = [{"statsDataId": census["stats_data_id"], "metaGetFlg": "N"} for _ in range(10)]  # 10 x 12,258
    r = await client.post(
        "/rest/3.0/app/json/getStatsDatas", data={"appId": app_id, "statsDatasSpec": json.dumps(specs)}
    )
    root = r.json()["GET_STATS_DATAS"]
    datas = _list(root["STATISTICAL_DATA_LIST"]["DATA_INF_LIST"]["DATA_INF"])
    counts = {d["@requestNo"]: len(_list(d["VALUE"])) for d in datas}
    assert sum(counts.values()) == 100_000 and "10" not in counts
    assert [counts[str(n)] for n in range(1, 9)] == [12_258] * 8 and counts["9"] == 100_000 - 8 * 12_258
    cut = datas[8]["RESULT_INF"]
    assert datas[8]["@requestNo"] == "9"
    assert cut == {"TOTAL_NUMBER": 12_258, "FROM_NUMBER": 1, "TO_NUMBER": 1_936, "NEXT_KEY": 1_937}
    assert root["RESULT"]["STATUS"] == 2 and "リクエスト番号 10 でエラー105" in root["RESULT"]["ERROR_MSG"]
    assert "100,000" in root["RESULT"]["ERROR_MSG"]
    # the rest is there for the asking, as the NEXT_KEY says
    rest = (
        await client.get(
            "/rest/3.0/app/json/getStatsData",
            params={
                "appId": app_id,
                "statsDataId": census["stats_data_id"],
                "startPosition": "1937",
                "metaGetFlg": "N",
            },
        )
    ).json()
    assert rest["GET_STATS_DATA"]["STATISTICAL_DATA"]["RESULT_INF"]["TO_NUMBER"] == 12_258


async def test_portal_xlsx_is_built_after_the_connection_went_back_to_the_pool(client, monkeypatch):
    census = await published_census()
    held: list[int] = []
    build = downloads.workbook

    def watched(*args):
        held.append(DB.pool.get_size() - DB.pool.get_idle_size())  # connections checked out right now
        return build(*args)

    monkeypatch.setattr(downloads, "workbook", watched)
    r = await client.get(f"/estat/tables/{census['stats_data_id']}/download.xlsx", params={"lvArea": "1-2"})
    assert r.status_code == 200 and held == [0]
    sheet = load_workbook(io.BytesIO(r.content))["データ"]
    assert sheet.max_row == 1 + 48 * 3 * 1  # header + 48 areas x 3 cat01 x 1 tab/time
    # a selection that is not one answers 422 and still leaves no connection behind
    bad = await client.get(f"/estat/tables/{census['stats_data_id']}/download.xlsx", params={"lvArea": "x"})
    assert bad.status_code == 422 and DB.pool.get_size() == DB.pool.get_idle_size()
