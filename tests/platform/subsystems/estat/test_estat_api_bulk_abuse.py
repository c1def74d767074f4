"""getStatsDatas read as an attacker would: a statsDatasSpec built to break the parser, and markup or
formulas in a request's values reaching the XML and CSV answers."""

import json
import xml.etree.ElementTree as ET

from tests.platform.subsystems.estat.estat_support import app_id_for

J = "/rest/3.0/app/json"


async def test_deeply_nested_spec_is_a_bad_parameter_not_a_crash(client):
    app_id = await app_id_for(client)
    for spec in ("[" * 5000, '[{"statsDataId": ' + "[" * 5000 + "]" * 5000 + "}]"):
        r = await client.post(f"{J}/getStatsDatas", data={"appId": app_id, "statsDatasSpec": spec})
        assert r.status_code == 200, r.text[:300]
        result = r.json()["GET_STATS_DATAS"]["RESULT"]
        assert result["STATUS"] == 102 and "statsDatasSpec" in result["ERROR_MSG"]


async def test_nested_values_are_refused(client):
    app_id = await app_id_for(client)
    spec = '[{"statsDataId": {"a": 1}}, {"statsDataId": ["0000000001"]}]'
    r = await client.post(f"{J}/getStatsDatas", data={"appId": app_id, "statsDatasSpec": spec})
    assert r.json()["GET_STATS_DATAS"]["RESULT"]["STATUS"] == 102


async def test_markup_and_formulas_in_a_request_stay_text(client):
    app_id = await app_id_for(client)
    spec = json.dumps([{"statsDataId": "=HYPERLINK(1)", "lvArea": '<x a="1">&\x01\x0b]]>'}])
    r = await client.post("/rest/3.0/app/getStatsDatas", data={"appId": app_id, "statsDatasSpec": spec})
    xml = ET.fromstring(r.content)  # well-formed despite markup and control characters
    assert xml.find("RESULT/STATUS").text == "401" and xml.find(".//x") is None
    assert xml.find("PARAMETER_LIST/PARAMETER/STATS_DATA_ID").text == "=HYPERLINK(1)"
    csv = await client.post("/rest/3.0/app/getSimpleStatsDatas", data={"appId": app_id, "statsDatasSpec": spec})
    cells = [c for line in csv.content.decode("utf-8-sig").splitlines() for c in line.split('","')]
    assert not any(c.strip('"').startswith("=") for c in cells), cells
    assert any("'=HYPERLINK(1)" in c for c in cells)


async def test_a_huge_common_value_is_not_mirrored_once_per_request(client):
    """A parameter outside statsDatasSpec applies to every request: its error must not repeat a
    100 KB value ten times in the answer's RESULT (the answer was ~10x the request)."""
    app_id = await app_id_for(client)
    junk = "9" * 100_000
    spec = "|".join(f"cdCat01={i}" for i in range(10))
    r = await client.post(f"{J}/getStatsDatas", data={"appId": app_id, "statsDatasSpec": spec, "statsDataId": junk})
    root = r.json()["GET_STATS_DATAS"]
    assert root["RESULT"]["STATUS"] == 401 and root["RESULT"]["ERROR_MSG"].count("エラー103") == 10
    assert len(r.content) < 60_000, len(r.content)
