"""PARAMETER.DATA_FORMAT names the format the answer is written in, as e-Stat writes it (X in XML,
J in JSON and JSONP, C in the CSV forms), for every function that echoes it and in error answers."""

import csv
import io
import json
import xml.etree.ElementTree as ET

APP = "/rest/3.0/app"


def _calls(sid: str) -> list[tuple[str, str, dict]]:
    """(function, its root, its parameters)"""
    return [
        ("getStatsList", "GET_STATS_LIST", {"statsCode": "00200521"}),
        ("getStatsList", "GET_STATS_LIST", {"statsCode": "00200521", "statsNameList": "Y"}),
        ("getMetaInfo", "GET_META_INFO", {"statsDataId": sid}),
        ("getStatsData", "GET_STATS_DATA", {"statsDataId": sid, "cdArea": "29000", "cdCat01": "0"}),
        ("getDataCatalog", "GET_DATA_CATALOG", {"statsDataId": sid}),
        ("getStatsDataVersions", "GET_STATS_DATA_VERSIONS", {"statsDataId": sid}),
    ]


def _csv_parameter(text: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    at = rows.index(["PARAMETER"])
    return dict(zip(rows[at + 1], rows[at + 2], strict=True))


async def test_each_format_writes_its_own_code(client, census, app_id):
    sid = census["stats_data_id"]
    for fn, root, params in _calls(sid):
        q = {"appId": app_id, **params}
        xml = await client.get(f"{APP}/{fn}", params=q)
        assert ET.fromstring(xml.content).find("PARAMETER/DATA_FORMAT").text == "X", fn
        js = (await client.get(f"{APP}/json/{fn}", params=q)).json()
        assert js[root]["RESULT"]["STATUS"] in (0, 1) and js[root]["PARAMETER"]["DATA_FORMAT"] == "J", fn
        jsonp = await client.get(f"{APP}/jsonp/{fn}", params={**q, "callback": "cb"})
        assert json.loads(jsonp.text[3:-1])[root]["PARAMETER"]["DATA_FORMAT"] == "J", fn
        if fn != "getStatsDataVersions":  # govstat's function has no CSV form
            simple = await client.get(f"{APP}/getSimple{fn[3:]}", params=q)
            assert _csv_parameter(simple.text)["DATA_FORMAT"] == "C", fn


async def test_get_stats_datas_parameter_list(client, census, app_id):
    spec = json.dumps([{"statsDataId": census["stats_data_id"], "cdArea": "29000", "cdCat01": "0"}])
    form = {"appId": app_id, "statsDatasSpec": spec}
    xml = await client.post(f"{APP}/getStatsDatas", data=form)
    assert ET.fromstring(xml.content).find("PARAMETER_LIST/DATA_FORMAT").text == "X"
    js = (await client.post(f"{APP}/json/getStatsDatas", data=form)).json()
    assert js["GET_STATS_DATAS"]["PARAMETER_LIST"]["DATA_FORMAT"] == "J"
    assert "DATA_FORMAT" not in js["GET_STATS_DATAS"]["PARAMETER_LIST"]["PARAMETER"]  # once, on the list
    broken = await client.post(f"{APP}/getStatsDatas", data={"appId": app_id, "statsDatasSpec": "["})
    assert ET.fromstring(broken.content).find("PARAMETER_LIST/DATA_FORMAT").text == "X"


async def test_error_answers_carry_it_too(client, census):
    """e-Stat's answer to a wrong appId echoes DATA_FORMAT (a recorded JSON answer); govstat's too."""
    q = {"appId": "0" * 40, "statsDataId": census["stats_data_id"]}
    xml = ET.fromstring((await client.get(f"{APP}/getStatsData", params=q)).content)
    assert xml.find("RESULT/STATUS").text == "100" and xml.find("PARAMETER/DATA_FORMAT").text == "X"
    js = (await client.get(f"{APP}/json/getMetaInfo", params=q)).json()["GET_META_INFO"]
    assert js["RESULT"]["STATUS"] == 100 and js["PARAMETER"]["DATA_FORMAT"] == "J"
    simple = await client.get(f"{APP}/getSimpleStatsData", params=q)
    assert _csv_parameter(simple.text)["DATA_FORMAT"] == "C"
    bad_callback = await client.get(f"{APP}/jsonp/getStatsList", params={**q, "callback": "a(b)"})
    assert bad_callback.json()["GET_STATS_LIST"]["PARAMETER"] == {"DATA_FORMAT": "J"}  # answered as JSON
