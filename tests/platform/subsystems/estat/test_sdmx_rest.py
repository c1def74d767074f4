"""ISSUE-14 §4: SDMX-REST's formats, media types, key and period filters, errors, ETags and
updatedAfter, on a small published table (sdmx_support)."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
import sdmx

from tests.platform.subsystems.estat.sdmx_support import published_small

R = "/sdmx/rest"
SS = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"


@pytest.fixture
async def sid():
    return (await published_small())["stats_data_id"]


def _obs(body: bytes) -> list[dict[str, str]]:
    root = ET.fromstring(body)
    return [{**series.attrib, **obs.attrib} for series in root.iter("Series") for obs in series.iter("Obs")]


async def test_key_filters_with_or_and_empty_parts_and_periods(client, sid):
    r = await client.get(f"{R}/data/{sid}/001.29201+29202/all", headers={"accept": SS})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.sdmx.structurespecificdata+xml; version=2.1")
    got = {(o["AREA"], o["TIME_PERIOD"]): o["OBS_VALUE"] for o in _obs(r.content)}
    assert got == {
        ("29201", "2019"): "355000",
        ("29201", "2020"): "354630",
        ("29202", "2019"): "64000",
        ("29202", "2020"): "63976",
    }

    r = await client.get(f"{R}/data/{sid}/.29000", params={"startPeriod": "2020", "endPeriod": "2020"})
    assert {(o["CAT01"], o["TIME_PERIOD"], o["OBS_VALUE"]) for o in _obs(r.content)} == {
        ("001", "2020", "1324473"),
        ("002", "2020", "534001"),
    }
    r = await client.get(f"{R}/data/{sid}", params={"endPeriod": "2019-12"})
    assert len(_obs(r.content)) == 6 and {o["TIME_PERIOD"] for o in _obs(r.content)} == {"2019"}

    r = await client.get(f"{R}/data/{sid}/001.29201.extra")
    assert r.status_code == 400 and b"CAT01.AREA" in r.content
    r = await client.get(f"{R}/data/{sid}/001.99999")
    assert r.status_code == 404 and b"ErrorMessage" in r.content


async def test_suppressed_cells_carry_obs_status_without_a_value(client, sid):
    r = await client.get(f"{R}/data/{sid}/002.29202")
    cells = {o["TIME_PERIOD"]: o for o in _obs(r.content)}
    assert cells["2020"]["OBS_STATUS"] == "C" and "OBS_VALUE" not in cells["2020"]  # "x" 秘匿
    assert cells["2019"]["OBS_STATUS"] == "M" and "OBS_VALUE" not in cells["2019"]  # "-" 該当なし
    r = await client.get(f"{R}/data/{sid}/001.29202")
    assert all("OBS_STATUS" not in o and o["UNIT_MEASURE"] == "人" for o in _obs(r.content))


async def test_json_and_csv_by_accept_and_by_format(client, sid):
    r = await client.get(
        f"{R}/data/{sid}/002.29202+29201", headers={"accept": "application/vnd.sdmx.data+json;version=1.0.0"}
    )
    assert r.headers["content-type"].startswith("application/vnd.sdmx.data+json; version=1.0.0")
    msg = sdmx.read_sdmx(io.BytesIO(r.content), format="JSON")  # sdmx1's own SDMX-JSON reader
    values = {
        (o.key["AREA"].value, o.key["TIME_PERIOD"].value): (o.value, o.attached_attribute.get("OBS_STATUS"))
        for o in msg.data[0].obs
    }
    assert values[("29201", "2020")][0] == 161600
    assert str(values[("29202", "2020")][1].value.id) == "C"
    areas = {v["id"]: v for v in r.json()["structure"]["dimensions"]["series"][1]["values"]}
    assert areas["29202"]["names"] == {"ja": "大和高田市", "en": "大和高田市"}

    r = await client.get(f"{R}/data/{sid}/002.29202", params={"format": "csv"})
    assert r.headers["content-type"].startswith("application/vnd.sdmx.data+csv; version=1.0.0")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows[0].keys() >= {"DATAFLOW", "CAT01", "AREA", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"}
    assert [(x["TIME_PERIOD"], x["OBS_VALUE"], x["OBS_STATUS"]) for x in rows] == [("2019", "", "M"), ("2020", "", "C")]
    assert rows[0]["DATAFLOW"] == f"GOVSTAT:{sid}(1.0)"

    r = await client.get(f"{R}/data/{sid}", headers={"accept": "application/vnd.sdmx.genericdata+xml;version=2.1"})
    assert r.status_code == 406


async def test_errors_as_sdmx_expects(client, sid):
    r = await client.get(f"{R}/dataflow/GOVSTAT/0999999999/latest")
    assert r.status_code == 404 and ET.fromstring(r.content).find(".//{*}ErrorMessage").get("code") == "100"
    assert (await client.get(f"{R}/data/0999999999")).status_code == 404
    assert (await client.get(f"{R}/dataflow/OTHER/{sid}/latest")).status_code == 404
    assert (await client.get(f"{R}/categoryscheme/GOVSTAT/all/latest")).status_code == 501
    assert (await client.get(f"{R}/data/{sid}", params={"includeHistory": "yes"})).status_code == 400
    assert (await client.get(f"{R}/data/{sid}", params={"lastNObservations": "1"})).status_code == 501
    assert (await client.get(f"{R}/data/{sid}", params={"startPeriod": "last year"})).status_code == 400


async def test_etag_answers_304_and_updated_after(client, sid):
    r = await client.get(f"{R}/data/{sid}/001.29201")
    tag = r.headers["etag"]
    again = await client.get(f"{R}/data/{sid}/001.29201", headers={"if-none-match": tag})
    assert again.status_code == 304 and again.content == b""
    other = await client.get(f"{R}/data/{sid}/001.29202", headers={"if-none-match": tag})
    assert other.status_code == 200
    r = await client.get(f"{R}/dataflow/GOVSTAT/{sid}/latest", params={"references": "all"})
    assert (await client.get(r.url, headers={"if-none-match": r.headers["etag"]})).status_code == 304

    past = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    assert (await client.get(f"{R}/data/{sid}/001.29201", params={"updatedAfter": past})).status_code == 200
    assert (await client.get(f"{R}/data/{sid}/001.29201", params={"updatedAfter": future})).status_code == 404


async def test_structure_queries_and_sdmx_3_paths(client, sid):
    r = await client.get(f"{R}/codelist/GOVSTAT/CL_{sid}_AREA/latest")
    assert r.headers["content-type"].startswith("application/vnd.sdmx.structure+xml; version=2.1")
    msg = sdmx.read_sdmx(io.BytesIO(r.content), format="XML")
    assert list(msg.codelist) == [f"CL_{sid}_AREA"]
    r = await client.get(f"{R}/datastructure/GOVSTAT/DSD_{sid}", params={"references": "children"})
    msg = sdmx.read_sdmx(io.BytesIO(r.content), format="XML")
    assert list(msg.structure) == [f"DSD_{sid}"] and f"CS_{sid}" in msg.concept_scheme
    assert msg.concept_scheme[f"CS_{sid}"]["TIME_PERIOD"].name.localizations["en"] == "時間軸"

    r = await client.get(f"{R}/v2/structure/dataflow/GOVSTAT/{sid}/latest")
    assert r.status_code == 200 and f'id="{sid}"'.encode() in r.content
    r = await client.get(f"{R}/v2/data/dataflow/GOVSTAT/{sid}/latest/001.29201", params={"c[TIME_PERIOD]": "ge:2020"})
    assert [(o["TIME_PERIOD"], o["OBS_VALUE"]) for o in _obs(r.content)] == [("2020", "354630")]
