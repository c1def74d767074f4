"""STATDB-1: the census table ingested through the agency API (API key), its area dimension placed
by the standard area codes, and the Nara check computed from the stored observations."""

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.statdb.statdb_support import CENSUS_CSV, CENSUS_PARAMS, agency, multipart
from tests.support.factories import api_key

NARA = """
SELECT count(*) AS n, sum(o.value) AS total FROM observation o
JOIN class_item i ON i.table_id = o.table_id AND i.obj_id = 'area' AND i.code = o.area
WHERE o.table_id = $1 AND i.parent_code = '29000' AND o.cat01 = '0'
"""


async def _register_census(client, key: str) -> dict:
    files, form = multipart([(CENSUS_PARAMS.read_bytes(), CENSUS_CSV.read_bytes(), CENSUS_CSV.name)])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers={"x-api-key": key})
    assert r.status_code == 201, r.text
    return r.json()


async def test_census_ingested_and_nara_municipalities_sum_to_the_prefecture(client):
    owner = await agency()
    key = await api_key(owner.id, roles=("agency_staff",))
    table = await _register_census(client, key)
    assert (
        table["total_number"] == 12258
        and table["gov_stat_code"] == "00200521"
        and table["stats_data_id"] >= "8000000001"
    )
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        nara = await uow.fetchrow(NARA, table["id"])
        pref = await uow.fetchval(
            "SELECT value FROM observation WHERE table_id = $1 AND area = '29000' AND cat01 = '0'", table["id"]
        )
        items = {
            r["code"]: dict(r)
            for r in await uow.fetch(
                "SELECT code, name, level, parent_code FROM class_item WHERE table_id = $1 AND obj_id = 'area'",
                table["id"],
            )
        }
        missing = await uow.fetchrow(
            "SELECT value, raw FROM observation WHERE table_id = $1 AND area = '07546' AND cat01 = '1'", table["id"]
        )
    assert nara["n"] == 39 and nara["total"] == 1_324_473 == pref
    assert items["00000"] == {"code": "00000", "name": "全国", "level": 1, "parent_code": None}
    assert items["29000"]["level"] == 2 and items["29000"]["parent_code"] == "00000"
    assert items["29322"] == {"code": "29322", "name": "山添村", "level": 3, "parent_code": "29000"}
    assert (
        items["01101"]["name"] == "札幌市中央区" and items["01101"]["parent_code"] == "01100"
    )  # ward of a designated city
    assert items["13101"]["parent_code"] == "13000" and items["13101"]["level"] == 3  # Tokyo's special ward
    assert items["0120B"] == {"code": "0120B", "name": "（旧：函館市）", "level": 4, "parent_code": "01202"}
    assert items["29301"]["parent_code"] == "29201" and items["29301"]["name"] == "（旧：月ケ瀬村）"
    assert dict(missing) == {"value": None, "raw": "-"}  # 双葉町: special character

    detail = (await client.get(f"/api/statdb/tables/{table['stats_data_id']}", headers={"x-api-key": key})).json()
    assert [c["obj_id"] for c in detail["classes"]] == ["tab", "cat01", "area", "time"]
    # only a dimension with enough codes goes into its index (4,086 areas; 1 tab, 3 sexes, 1 year do not)
    assert [c["obj_id"] for c in detail["classes"] if c["indexed"]] == ["area"]
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        assert (
            await uow.fetchval("SELECT DISTINCT indexed FROM observation WHERE table_id = $1", table["id"]) == 1 << 16
        )
    data = (
        await client.get(
            f"/api/statdb/tables/{table['stats_data_id']}/data",
            headers={"x-api-key": key},
            params={"cdArea": "29000,29201", "cdCat01": "0"},
        )
    ).json()
    assert data["total"] == 2 and [r["area"] for r in data["items"]] == ["29000", "29201"]


async def test_preview_is_the_public_api_shape_for_the_owner_only(client):
    owner, other = await agency(), await agency()
    table = await _register_census(client, await api_key(owner.id))
    sid = table["stats_data_id"]
    r = await client.get(
        f"/api/statdb/tables/{sid}/preview",
        headers={"x-api-key": await api_key(owner.id)},
        params={"cdArea": "29000", "limit": 2},
    )
    body = r.json()["GET_STATS_DATA"]["STATISTICAL_DATA"]
    assert body["TABLE_INF"]["@id"] == sid and body["TABLE_INF"]["STAT_NAME"] == {"@code": "00200521", "$": "国勢調査"}
    assert body["RESULT_INF"]["TOTAL_NUMBER"] == 3 and body["RESULT_INF"]["NEXT_KEY"]
    assert body["DATA_INF"]["VALUE"][0] == {
        "@tab": "2020_01",
        "@cat01": "0",
        "@area": "29000",
        "@time": "2020000000",
        "@unit": "人",
        "$": "1324473",
    }
    assert {"@char": "-", "$": "当該数値がないもの"} in body["DATA_INF"]["NOTE"]
    tab = next(o for o in body["CLASS_INF"]["CLASS_OBJ"] if o["@id"] == "tab")
    assert tab["CLASS"] == {"@code": "2020_01", "@name": "人口", "@level": "1", "@unit": "人"}
    other_key = await api_key(other.id)
    for path in ("", "/preview", "/data", "/csv", "/params", "/usage"):
        assert (
            await client.get(f"/api/statdb/tables/{sid}{path}", headers={"x-api-key": other_key})
        ).status_code == 404
    r = await client.post(
        f"/api/statdb/tables/{sid}/schedule",
        headers={"x-api-key": other_key},
        json={"publish_at": "2099-01-01T00:00:00+09:00"},
    )
    assert r.status_code == 404
    assert (await client.delete(f"/api/statdb/tables/{sid}", headers={"x-api-key": other_key})).status_code == 404


async def test_cli_ingests_with_a_progress_bar():
    from tests.support.services import govstat_cli

    owner = await agency()
    out = govstat_cli(
        "statdb",
        "ingest",
        "--params",
        str(CENSUS_PARAMS),
        "--data",
        str(CENSUS_CSV),
        "--tenant",
        owner.code,
        "--test-mode",
    )
    assert "12,258 cells" in out.stdout and "test mode" in out.stdout
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        assert await uow.fetchval("SELECT total_number FROM stat_table WHERE tenant_id = $1", owner.id) == 12258
