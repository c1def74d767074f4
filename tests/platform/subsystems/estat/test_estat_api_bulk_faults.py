"""getStatsDatas' errors about the whole call (a wrong appId, statsDatasSpec missing or unreadable, a
bad JSONP callback) answer in getStatsDatas' own shape, as e-Stat does (docs/estat-api-conformance.md,
Sources: getStatsDatas): RESULT and PARAMETER_LIST (LANG, DATA_FORMAT, one PARAMETER per request
with its @requestNo), never getStatsData's lone PARAMETER; in JSON, JSONP, XML and the CSV form."""

import json
import xml.etree.ElementTree as ET

from tests.platform.subsystems.estat.estat_support import app_id_for

APP = "/rest/3.0/app"


async def test_json_and_jsonp_whole_call_errors_list_the_parameters(client, census):
    sid = census["stats_data_id"]
    app_id = await app_id_for(client)
    spec = json.dumps([{"statsDataId": sid, "cdArea": "29000"}, {"statsDataId": sid, "limit": "5"}])
    wrong = await client.post(f"{APP}/json/getStatsDatas", data={"appId": "no-such-app", "statsDatasSpec": spec})
    root = wrong.json()["GET_STATS_DATAS"]
    assert set(root) == {"RESULT", "PARAMETER_LIST"} and root["RESULT"]["STATUS"] == 100
    listed = root["PARAMETER_LIST"]
    assert (listed["LANG"], listed["DATA_FORMAT"]) == ("J", "J")
    assert [(p["@requestNo"], p["STATS_DATA_ID"]) for p in listed["PARAMETER"]] == [("1", sid), ("2", sid)]
    assert listed["PARAMETER"][0]["NARROWING_COND"] == {"CODE_AREA_SELECT": "29000"}
    assert listed["PARAMETER"][1]["LIMIT"] == "5" and "LANG" not in listed["PARAMETER"][1]

    missing = (await client.get(f"{APP}/json/getStatsDatas", params={"appId": app_id, "lang": "E"})).json()
    root = missing["GET_STATS_DATAS"]
    assert root["RESULT"]["STATUS"] == 101 and root["RESULT"]["ERROR_MSG"] == (
        "A required parameter is missing. (statsDatasSpec)"  # in the language asked, like every bulk RESULT
    )
    assert root["PARAMETER_LIST"] == {"LANG": "E", "DATA_FORMAT": "J"} and "PARAMETER" not in root

    jsonp = await client.get(
        f"{APP}/jsonp/getStatsDatas", params={"appId": app_id, "statsDatasSpec": "[", "callback": "cb"}
    )
    assert jsonp.text.startswith("cb(") and jsonp.text.endswith(")")
    root = json.loads(jsonp.text[3:-1])["GET_STATS_DATAS"]
    assert root["RESULT"]["STATUS"] == 102 and set(root) == {"RESULT", "PARAMETER_LIST"}
    bad_callback = await client.get(
        f"{APP}/jsonp/getStatsDatas", params={"appId": app_id, "statsDatasSpec": f"statsDataId={sid}", "callback": "1x"}
    )
    root = bad_callback.json()["GET_STATS_DATAS"]  # answered as JSON, as every bad callback is
    assert root["RESULT"]["STATUS"] == 102 and root["PARAMETER_LIST"]["PARAMETER"]["@requestNo"] == "1"


async def test_xml_and_csv_whole_call_errors(client, census):
    sid = census["stats_data_id"]
    spec = f"statsDataId={sid}&cdArea=29000|statsDataId={sid}"
    r = await client.get(f"{APP}/getStatsDatas", params={"appId": "no-such-app", "statsDatasSpec": spec})
    xml = ET.fromstring(r.content)
    assert xml.tag == "GET_STATS_DATAS" and xml.find("RESULT/STATUS").text == "100"
    assert [c.tag for c in xml] == ["RESULT", "PARAMETER_LIST"]
    assert xml.find("PARAMETER_LIST/LANG").text == "J"
    assert [p.get("requestNo") for p in xml.findall("PARAMETER_LIST/PARAMETER")] == ["1", "2"]
    assert xml.find("PARAMETER_LIST/PARAMETER[@requestNo='1']/NARROWING_COND/CODE_AREA_SELECT").text == "29000"

    csv = await client.get(f"{APP}/getSimpleStatsDatas", params={"appId": "no-such-app", "statsDatasSpec": spec})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[:2] == ['"RESULT"', '"STATUS","ERROR_MSG","DATE"'] and lines[2].startswith('"100",')
    first, second = lines.index('"REQUEST_NO","1"'), lines.index('"REQUEST_NO","2"')
    assert lines[first + 1] == '"PARAMETER"' and '"STATS_DATA_ID"' in lines[first + 2]
    assert f'"{sid}"' in lines[second + 3] and '"VALUE"' not in lines
