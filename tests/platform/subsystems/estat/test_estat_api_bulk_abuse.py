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


async def test_another_users_private_dataset_inside_a_request_is_not_found(client, app):
    import httpx

    from tests.platform.subsystems.estat.estat_support import published_census

    sid = (await published_census())["stats_data_id"]
    mine = await app_id_for(client)
    made = await client.post(f"{J}/postDataset", data={"appId": mine, "statsDataId": sid, "cdArea": "29000"})
    ds = made.json()["POST_DATASET"]["DATASET_ID"]  # openSpecified defaults to 0: private
    spec = json.dumps([{"dataSetId": ds}, {"statsDataId": sid, "cdArea": "29000", "limit": "1"}])
    own = (await client.post(f"{J}/getStatsDatas", data={"appId": mine, "statsDatasSpec": spec})).json()
    assert own["GET_STATS_DATAS"]["RESULT"]["STATUS"] == 0
    transport = httpx.ASGITransport(app=app, client=("10.9.9.8", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as stranger:
        other = await app_id_for(stranger)
        theirs = (await stranger.post(f"{J}/getStatsDatas", data={"appId": other, "statsDatasSpec": spec})).json()
    root = theirs["GET_STATS_DATAS"]
    assert root["RESULT"]["STATUS"] == 2 and "エラー104" in root["RESULT"]["ERROR_MSG"]
    first = root["PARAMETER_LIST"]["PARAMETER"][0]
    assert first == {"@requestNo": "1", "DATASET_ID": ds}  # nothing of the dataset's table or conditions
    tables = root["STATISTICAL_DATA_LIST"]["TABLE_INF_LIST"]["TABLE_INF"]
    assert tables["@requestNo"] == "2"
