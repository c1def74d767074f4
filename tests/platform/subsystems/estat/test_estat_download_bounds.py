"""Hardening (issue 8): big answers are bounded, and the portal's XLSX is built without a database
connection held.

Before the fix getStatsDatas answered ten full requests in one (here 122,580 values; up to a million),
and the portal built its workbook while the request's transaction kept its pooled connection. Since
then a call over 100,000 values in all is refused whole, STATUS 400, as e-Stat does."""

import io
import json

from openpyxl import load_workbook

from govstat.platform.db.engine import DB
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.estat.portal import downloads
from tests.platform.subsystems.estat.estat_support import app_id_for, published_census


def _list(v):
    return v if isinstance(v, list) else [v]


async def _api_rows(stats_data_id: str) -> int:
    async with UnitOfWork(Scope.system()) as uow:
        return int(
            await uow.fetchval(
                "SELECT coalesce(sum(u.api_rows), 0) FROM stat_table_usage u JOIN stat_table t ON t.id = u.table_id"
                " WHERE t.stats_data_id = $1",
                stats_data_id,
            )
        )


async def test_get_stats_datas_over_100000_values_in_all_is_status_400_for_the_whole_call(client):
    """e-Stat refuses the call (STATUS 400, 返却セルデータ数が多すぎます。) rather than cut it short; govstat
    used to answer the first 100,000 with a NEXT_KEY and STATUS 105 for the requests left over."""
    census = await published_census()
    sid = census["stats_data_id"]
    app_id = await app_id_for(client)
    full = {"statsDataId": sid, "metaGetFlg": "N"}  # 12,258 values each
    exact = [full] * 8 + [{**full, "limit": "1936"}]  # 8 x 12,258 + 1,936 = 100,000

    async def call(specs: list[dict]) -> dict:
        r = await client.post(
            "/rest/3.0/app/json/getStatsDatas", data={"appId": app_id, "statsDatasSpec": json.dumps(specs)}
        )
        assert r.status_code == 200
        return r.json()["GET_STATS_DATAS"]

    before = await _api_rows(sid)
    root = await call(exact)
    assert root["RESULT"]["STATUS"] == 0
    datas = _list(root["STATISTICAL_DATA_LIST"]["DATA_INF_LIST"]["DATA_INF"])
    assert sum(len(_list(d["VALUE"])) for d in datas) == 100_000
    assert datas[8]["RESULT_INF"]["NEXT_KEY"] == 1_937 and root["PARAMETER_LIST"]["PARAMETER"][8]["LIMIT"] == 1936
    assert await _api_rows(sid) == before + 100_000

    for over in ([*exact[:8], {**full, "limit": "1937"}], [full] * 10, [*exact, {**full, "cdArea": "29000"}]):
        root = await call(over)
        assert root["RESULT"]["STATUS"] == 400, root["RESULT"]
        assert (
            root["RESULT"]["ERROR_MSG"].startswith("返却セルデータ数が多すぎます。")
            and "100,000" in root["RESULT"]["ERROR_MSG"]
        )
        assert set(root) == {"RESULT", "PARAMETER_LIST"}  # nothing of the data, no per-request PARAMETER at the top
        numbers = [p["@requestNo"] for p in root["PARAMETER_LIST"]["PARAMETER"]]
        assert numbers == [str(n) for n in range(1, len(over) + 1)]
    assert await _api_rows(sid) == before + 100_000  # the refused calls' rows were never served nor counted
    # a request left with nothing is fine when it returns no value: it matches none, or asks the count only
    tail = await call([*exact, {**full, "cdArea": "99999"}])
    assert tail["RESULT"]["STATUS"] == 2 and "リクエスト番号(10)" in tail["RESULT"]["ERROR_MSG"]
    counted = await call([*exact, {**full, "cntGetFlg": "Y"}])
    assert counted["RESULT"]["STATUS"] == 0
    assert _list(counted["STATISTICAL_DATA_LIST"]["TABLE_INF_LIST"]["TABLE_INF"])[9]["@requestNo"] == "10"


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
