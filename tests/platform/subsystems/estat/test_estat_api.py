"""ESTAT-5: the e-Stat API 3.0 paths, parameters and response shapes, on the published census table."""

import json
import xml.etree.ElementTree as ET

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.estat.estat_support import J, as_list


async def _get(client, fn, **params):
    r = await client.get(f"{J}/{fn}", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    return r.json()


async def test_wrong_or_missing_app_id_is_status_100(client, census):
    for params in ({}, {"appId": "0" * 40}):
        body = await _get(client, "getStatsData", statsDataId=census["stats_data_id"], **params)
        assert body["GET_STATS_DATA"]["RESULT"]["STATUS"] == 100
        assert body["GET_STATS_DATA"]["RESULT"]["ERROR_MSG"].startswith("認証に失敗しました")


async def test_get_stats_data_narrowed_like_e_stat(client, census, app_id):
    sid = census["stats_data_id"]
    body = await _get(client, "getStatsData", appId=app_id, statsDataId=sid, cdArea="29000,29201", cdCat01="0")
    root = body["GET_STATS_DATA"]
    assert root["RESULT"]["STATUS"] == 0 and root["RESULT"]["ERROR_MSG"] == "正常に終了しました。"
    assert root["PARAMETER"]["NARROWING_COND"] == {"CODE_CAT01_SELECT": "0", "CODE_AREA_SELECT": "29000,29201"}
    sd = root["STATISTICAL_DATA"]
    assert sd["RESULT_INF"] == {"TOTAL_NUMBER": 2, "FROM_NUMBER": 1, "TO_NUMBER": 2}  # no NEXT_KEY on the last page
    values = sd["DATA_INF"]["VALUE"]
    assert [(v["@area"], v["@cat01"], v["@unit"], v["$"]) for v in values] == [
        ("29000", "0", "人", "1324473"),
        ("29201", "0", "人", "354630"),
    ]
    assert set(values[0]) == {"@tab", "@cat01", "@area", "@time", "@unit", "$"}
    assert sd["TABLE_INF"]["@id"] == sid and sd["TABLE_INF"]["STAT_NAME"] == {"@code": "00200521", "$": "国勢調査"}
    objs = {o["@id"]: o for o in sd["CLASS_INF"]["CLASS_OBJ"]}
    assert isinstance(objs["tab"]["CLASS"], dict)  # one item: an object, not a list
    assert [c["@code"] for c in objs["cat01"]["CLASS"]] == ["0", "1", "2"]
    nara = next(c for c in objs["area"]["CLASS"] if c["@code"] == "29201")
    assert nara["@parentCode"] == "29000" and nara["@level"] == "3"


async def test_paging_and_level_narrowing(client, census, app_id):
    sid = census["stats_data_id"]
    page = (await _get(client, "getStatsData", appId=app_id, statsDataId=sid, limit="10"))["GET_STATS_DATA"]
    assert page["STATISTICAL_DATA"]["RESULT_INF"] == {
        "TOTAL_NUMBER": 12258,
        "FROM_NUMBER": 1,
        "TO_NUMBER": 10,
        "NEXT_KEY": 11,
    }
    nxt = await _get(client, "getStatsData", appId=app_id, statsDataId=sid, limit="10", startPosition="11")
    assert nxt["GET_STATS_DATA"]["STATISTICAL_DATA"]["RESULT_INF"]["FROM_NUMBER"] == 11
    prefs = (
        await _get(client, "getStatsData", appId=app_id, statsDataId=sid, lvArea="2", cdCat01="0", metaGetFlg="N")
    )["GET_STATS_DATA"]["STATISTICAL_DATA"]
    assert prefs["RESULT_INF"]["TOTAL_NUMBER"] == 47 and "CLASS_INF" not in prefs
    assert sum(int(v["$"]) for v in prefs["DATA_INF"]["VALUE"]) == 126146099
    count = await _get(client, "getStatsData", appId=app_id, statsDataId=sid, cntGetFlg="Y", lvArea="1-2")
    sd = count["GET_STATS_DATA"]["STATISTICAL_DATA"]
    assert sd["RESULT_INF"] == {"TOTAL_NUMBER": 48 * 3} and "DATA_INF" not in sd


async def test_no_data_is_status_1_and_bad_parameters_are_errors(client, census, app_id):
    sid = census["stats_data_id"]
    none = await _get(client, "getStatsData", appId=app_id, statsDataId=sid, cdArea="99999")
    assert none["GET_STATS_DATA"]["RESULT"]["STATUS"] == 1
    for params in ({"limit": "100001"}, {"lvArea": "x"}, {"metaGetFlg": "maybe"}):
        bad = await _get(client, "getStatsData", appId=app_id, statsDataId=sid, **params)
        assert bad["GET_STATS_DATA"]["RESULT"]["STATUS"] >= 100, params
    missing = await _get(client, "getStatsData", appId=app_id)
    assert missing["GET_STATS_DATA"]["RESULT"]["STATUS"] >= 100
    unknown = await _get(client, "getStatsData", appId=app_id, statsDataId="0000000001")
    assert unknown["GET_STATS_DATA"]["RESULT"]["STATUS"] >= 100


async def test_special_characters_and_replace_sp_chars(client, census, app_id):
    sid = census["stats_data_id"]
    raw = await _get(client, "getStatsData", appId=app_id, statsDataId=sid, cdArea="07546", cdCat01="1")
    assert raw["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["VALUE"]["$"] == "-"  # one value: an object
    notes = raw["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["NOTE"]
    assert any(n["@char"] == "-" for n in (notes if isinstance(notes, list) else [notes]))
    for flag, expected in (("1", "0"), ("2", None), ("3", "NA")):
        # replaceSpChar (singular) is accepted too
        key = "replaceSpChars" if flag != "3" else "replaceSpChar"
        body = await _get(
            client, "getStatsData", appId=app_id, statsDataId=sid, cdArea="07546", cdCat01="1", **{key: flag}
        )
        assert body["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["VALUE"]["$"] == expected


async def test_meta_info_and_stats_list_with_synonyms(client, census, app_id):
    sid = census["stats_data_id"]
    meta = (await _get(client, "getMetaInfo", appId=app_id, statsDataId=sid))["GET_META_INFO"]
    assert meta["RESULT"]["STATUS"] == 0 and meta["METADATA_INF"]["TABLE_INF"]["@id"] == sid
    found = (await _get(client, "getStatsList", appId=app_id, searchWord="男女別人口 国勢調査"))["GET_STATS_LIST"]
    ids = [t["@id"] for t in as_list(found["DATALIST_INF"].get("TABLE_INF"))]
    assert sid in ids and found["DATALIST_INF"]["NUMBER"] >= 1
    assert (await _get(client, "getStatsList", appId=app_id, searchWord="住民"))["GET_STATS_LIST"]["RESULT"][
        "STATUS"
    ] == 1
    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
        await uow.execute("INSERT INTO estat_synonym (word, synonym) VALUES ('人口', '住民') ON CONFLICT DO NOTHING")
    by_synonym = (await _get(client, "getStatsList", appId=app_id, searchWord="住民"))["GET_STATS_LIST"]
    assert sid in [t["@id"] for t in as_list(by_synonym["DATALIST_INF"].get("TABLE_INF"))]
    either = await _get(client, "getStatsList", appId=app_id, searchWord="存在しない語 OR 国勢調査", statsCode="00200")
    assert sid in [t["@id"] for t in as_list(either["GET_STATS_LIST"]["DATALIST_INF"].get("TABLE_INF"))]


async def test_xml_jsonp_and_csv_forms(client, census, app_id):
    sid = census["stats_data_id"]
    xml = await client.get(
        "/rest/3.0/app/getStatsData", params={"appId": app_id, "statsDataId": sid, "cdArea": "29000", "cdCat01": "0,1"}
    )
    root = ET.fromstring(xml.content)
    assert root.tag == "GET_STATS_DATA" and root.find("RESULT/STATUS").text == "0"
    values = root.findall("STATISTICAL_DATA/DATA_INF/VALUE")
    assert [(v.get("cat01"), v.text) for v in values] == [("0", "1324473"), ("1", "623926")]
    jsonp = await client.get(
        "/rest/3.0/app/jsonp/getStatsData",
        params={"appId": app_id, "statsDataId": sid, "cdArea": "29000", "callback": "cb"},
    )
    assert jsonp.text.startswith("cb(") and jsonp.text.endswith(")")
    assert json.loads(jsonp.text[3:-1])["GET_STATS_DATA"]["RESULT"]["STATUS"] == 0
    csv1 = await client.get(
        "/rest/3.0/app/getSimpleStatsData",
        params={"appId": app_id, "statsDataId": sid, "cdArea": "29000", "cdCat01": "0"},
    )
    lines = csv1.content.decode("utf-8-sig").splitlines()
    assert lines[0] == '"RESULT"' and '"VALUE"' in lines and lines[-1].endswith('"1324473",""')
    csv2 = await client.get(
        "/rest/3.0/app/getSimpleStatsData",
        params={"appId": app_id, "statsDataId": sid, "cdArea": "29000", "cdCat01": "0", "sectionHeaderFlg": "2"},
    )
    lines = csv2.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith('"tab_code"') and len(lines) == 2
    listing = await client.get("/rest/3.0/app/getSimpleStatsList", params={"appId": app_id, "statsCode": "00200521"})
    assert sid in listing.text


async def test_bulk_datasets_and_catalog(client, census, app_id):
    sid = census["stats_data_id"]
    spec = json.dumps([{"statsDataId": sid, "cdArea": "29000", "cdCat01": "0"}, {"statsDataId": "0000000001"}])
    bulk = (await client.post(f"{J}/getStatsDatas", data={"appId": app_id, "statsDatasSpec": spec})).json()
    root = bulk["GET_STATS_DATAS"]  # e-Stat's shape: one RESULT, the items carry their @requestNo
    assert root["RESULT"]["STATUS"] == 2 and "リクエスト番号 2 でエラー103" in root["RESULT"]["ERROR_MSG"]
    assert [p["@requestNo"] for p in root["PARAMETER_LIST"]["PARAMETER"]] == ["1", "2"]
    table = root["STATISTICAL_DATA_LIST"]["TABLE_INF_LIST"]["TABLE_INF"]
    assert table["@requestNo"] == "1" and table["@id"] == sid
    values = root["STATISTICAL_DATA_LIST"]["DATA_INF_LIST"]["DATA_INF"]["VALUE"]
    assert "1324473" in {v["$"] for v in (values if isinstance(values, list) else [values])}
    posted = (
        await client.post(
            f"{J}/postDataset",
            data={
                "appId": app_id,
                "statsDataId": sid,
                "cdArea": "29201",
                "cdCat01": "1,2",
                "dataSetName": "奈良市男女",
            },
        )
    ).json()
    ds = posted["POST_DATASET"]["DATASET_ID"]
    by_dataset = await _get(client, "getStatsData", appId=app_id, dataSetId=ds)
    values = by_dataset["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["VALUE"]
    assert [(v["@area"], v["@cat01"]) for v in values] == [("29201", "1"), ("29201", "2")]
    ref = (await _get(client, "refDataset", appId=app_id, dataSetId=ds))["REF_DATASET"]
    assert ref["DATASET_INF"]["NARROWING_COND"]["CODE_AREA_SELECT"] == "29201"
    catalog = (await _get(client, "getDataCatalog", appId=app_id, statsDataId=sid))["GET_DATA_CATALOG"]
    assert catalog["DATA_CATALOG_LIST_INF"]["DATA_CATALOG_INF"]["@id"] == sid


async def test_linked_open_data(client, census):
    area = await client.get("/lod/area/01236")
    assert area.headers["content-type"].startswith("application/ld+json")
    node = next(n for n in area.json()["@graph"] if n["@id"].endswith("/lod/area/01236"))
    assert "sacs:StandardAreaCode" in node["@type"] and node["skos:prefLabel"][0]["@value"] == "北斗市"
    assert {p["@id"].rsplit("/", 1)[1] for p in node["sacs:precedingMunicipality"]} >= {"01335", "01336"}
    table = (await client.get(f"/lod/tables/{census['stats_data_id']}", params={"page": 1})).json()
    assert sum("qb:Observation" in n.get("@type", []) for n in table["@graph"]) == 1000


async def test_metering_counts_the_rows(client, census, app_id):
    from govstat.gateway.completions import settle_all
    from govstat.platform.cache import redis_client
    from govstat.platform.events.envelope import decode

    await _get(client, "getStatsData", appId=app_id, statsDataId=census["stats_data_id"], limit="25")
    await settle_all()  # the full event is written just after the answer
    entry = (await redis_client().xrevrange("govstat:usage", count=1))[0]
    p = decode(entry[1][b"e"]).payload
    assert (p.module, p.operation, p.units, p.principal_kind) == ("estat", "estat.api.data", 25, "public")
