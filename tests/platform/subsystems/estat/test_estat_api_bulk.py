"""getStatsDatas in e-Stat's shape (issue 14 section 1; docs/estat-api-conformance.md, Sources):
one RESULT naming the requests that did not answer in full, PARAMETER_LIST.PARAMETER[@requestNo], and
STATISTICAL_DATA_LIST with RESULT_INF (all requests' TOTAL_NUMBER), TABLE_INF_LIST, CLASS_INF_LIST and
DATA_INF_LIST whose items carry @requestNo; the same in XML and in the CSV form."""

import json
import xml.etree.ElementTree as ET

import pytest

from tests.platform.subsystems.estat.estat_catalog_support import published_tables
from tests.platform.subsystems.estat.estat_support import app_id_for, published_census

J = "/rest/3.0/app/json"


def _list(v):
    return v if isinstance(v, list) else ([] if v is None else [v])


@pytest.fixture
async def sids():
    return (await published_census())["stats_data_id"], (await published_tables())["english"]


async def test_json_answer_is_flat_and_numbered(client, sids):
    census, small = sids
    app_id = await app_id_for(client)
    spec = [
        {"statsDataId": census, "cdArea": "29000", "cdCat01": "0"},
        {"statsDataId": small, "metaGetFlg": "N"},
        {"statsDataId": census, "cdArea": "99999"},  # matches nothing
    ]
    r = await client.post(f"{J}/getStatsDatas", data={"appId": app_id, "statsDatasSpec": json.dumps(spec)})
    root = r.json()["GET_STATS_DATAS"]
    assert set(root) == {"RESULT", "PARAMETER_LIST", "STATISTICAL_DATA_LIST"}
    assert (
        root["RESULT"]["STATUS"] == 2
        and root["RESULT"]["ERROR_MSG"] == "リクエスト番号(3)で該当データはありませんでした。"
    )
    parameters = root["PARAMETER_LIST"]["PARAMETER"]
    assert [(p["@requestNo"], p["STATS_DATA_ID"]) for p in parameters] == [("1", census), ("2", small), ("3", census)]
    assert parameters[0]["NARROWING_COND"]["CODE_AREA_SELECT"] == "29000" and root["PARAMETER_LIST"]["LANG"] == "J"
    sdl = root["STATISTICAL_DATA_LIST"]
    tables = {t["@requestNo"]: t["@id"] for t in _list(sdl["TABLE_INF_LIST"]["TABLE_INF"])}
    assert tables == {"1": census, "2": small, "3": census}
    assert [c["@requestNo"] for c in _list(sdl["CLASS_INF_LIST"]["CLASS_INF"])] == ["1"]  # 2: metaGetFlg=N, 3: no data
    datas = {d["@requestNo"]: d for d in _list(sdl["DATA_INF_LIST"]["DATA_INF"])}
    assert set(datas) == {"1", "2"}  # 3 matched nothing
    assert all(v["@area"] == "29000" for v in _list(datas["1"]["VALUE"]))
    totals = [d["RESULT_INF"]["TOTAL_NUMBER"] for d in datas.values()]
    assert sdl["RESULT_INF"]["TOTAL_NUMBER"] == sum(totals) and totals[0] == len(_list(datas["1"]["VALUE"]))
    # one request alone answers objects, not lists, as e-Stat's JSON does; none answering is STATUS 401
    one = await client.get(f"{J}/getStatsDatas", params={"appId": app_id, "statsDatasSpec": "statsDataId=0999999999"})
    bad = one.json()["GET_STATS_DATAS"]
    assert bad["RESULT"]["STATUS"] == 401 and bad["RESULT"]["ERROR_MSG"].startswith("リクエスト番号 1 でエラー103：")
    assert (
        bad["PARAMETER_LIST"]["PARAMETER"]["@requestNo"] == "1" and "TABLE_INF_LIST" not in bad["STATISTICAL_DATA_LIST"]
    )


async def test_xml_and_csv_forms(client, sids):
    census, small = sids
    app_id = await app_id_for(client)
    spec = f"statsDataId={census}&cdArea=29000&cdCat01=0|statsDataId={small}"
    r = await client.get("/rest/3.0/app/getStatsDatas", params={"appId": app_id, "statsDatasSpec": spec})
    xml = ET.fromstring(r.content)
    assert xml.tag == "GET_STATS_DATAS" and xml.find("RESULT/STATUS").text == "0"
    assert [p.get("requestNo") for p in xml.findall("PARAMETER_LIST/PARAMETER")] == ["1", "2"]
    assert xml.find("STATISTICAL_DATA_LIST/TABLE_INF_LIST/TABLE_INF[@requestNo='2']").get("id") == small
    assert xml.find("STATISTICAL_DATA_LIST/CLASS_INF_LIST/CLASS_INF[@requestNo='1']/CLASS_OBJ") is not None
    values = xml.findall("STATISTICAL_DATA_LIST/DATA_INF_LIST/DATA_INF[@requestNo='1']/VALUE")
    assert values and {v.get("area") for v in values} == {"29000"}
    csv = await client.get("/rest/3.0/app/getSimpleStatsDatas", params={"appId": app_id, "statsDatasSpec": spec})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == '"RESULT"' and lines.count('"VALUE"') == 2
    first, second = lines.index('"REQUEST_NO","1"'), lines.index('"REQUEST_NO","2"')
    assert lines[first + 1] == '"PARAMETER"' and any(line.endswith('"1324473",""') for line in lines[first:second])
