"""ISSUE-14 §4: SDMX data with includeHistory answers one data set per version of a corrected table
(statdb's versions), each valid from the version's date; updatedAfter keeps the versions made after
it (without includeHistory: the cells corrected since); ETags answer 304 until the table changes. Read with the unmodified sdmx1 client and plain XML."""

import asyncio
import xml.etree.ElementTree as ET

import sdmx

from tests.platform.subsystems.estat import portal_support as ps
from tests.platform.subsystems.statdb.test_statdb_versions import csv, published_table, revise
from tests.support.asgi_requests import AsgiAdapter
from tests.support.factories import api_key

R = "/sdmx/rest"
MES = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}"
SS = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific}"


def _sets(body: bytes) -> list[tuple[dict[str, str], dict[tuple[str, str], str]]]:
    """Per data set: its attributes and {(AREA, TIME_PERIOD): OBS_VALUE} of 男 (cat01 001)."""
    out = []
    for ds in ET.fromstring(body).iter(f"{MES}DataSet"):
        cells = {
            (s.get("AREA"), o.get("TIME_PERIOD")): o.get("OBS_VALUE")
            for s in ds.iter("Series")
            if s.get("CAT01") == "001"
            for o in s.iter("Obs")
        }
        out.append((dict(ds.attrib), cells))
    return out


def _sdmx1_history(adapter: AsgiAdapter, sid: str):
    base = "http://testserver.local"
    sdmx.add_source({"id": "GOVSTAT", "url": f"{base}/sdmx/rest", "name": "govstat"}, override=True)
    c = sdmx.Client("GOVSTAT")
    c.session.mount(base, adapter)
    dsd = c.dataflow(sid).structure[f"DSD_{sid}"]
    return c.data(sid, dsd=dsd, params={"includeHistory": True})


async def test_include_history_gives_each_version_and_etags_follow_corrections(client):
    sid = await published_table(f"SDMX履歴 {ps.uid()}")
    url = f"{R}/data/{sid}/all/all"
    r = await client.get(url, params={"includeHistory": True})
    assert r.status_code == 200, r.text
    (only,) = _sets(r.content)  # never corrected: one set, the original, valid from publication on
    assert only[0][f"{SS}validFromDate"] and f"{SS}validToDate" not in only[0]
    tag = r.headers["etag"]
    assert (await client.get(url, params={"includeHistory": "true"}, headers={"if-none-match": tag})).status_code == 304

    owner = await ps.owner()
    h = {"x-api-key": await api_key(owner.id)}
    assert (await revise(client, h, sid, csv("13000,東京都,2023,6900,7189"), "correction")).status_code == 201

    r = await client.get(url, params={"includeHistory": "true"}, headers={"if-none-match": tag})
    assert r.status_code == 200 and r.headers["etag"] != tag  # the correction changed the answer
    (v1_attrs, v1), (v2_attrs, v2) = _sets(r.content)
    assert v1[("13000", "2023")] == "6897" and v2[("13000", "2023")] == "6900"
    assert v1_attrs[f"{SS}validToDate"] == v2_attrs[f"{SS}validFromDate"]
    assert f"{SS}validToDate" not in v2_attrs
    current = _sets((await client.get(url)).content)
    assert len(current) == 1 and current[0][1] == v2  # without includeHistory: the current version only

    # updatedAfter between the versions: only the correction's data set
    r = await client.get(url, params={"includeHistory": "true", "updatedAfter": v1_attrs[f"{SS}validFromDate"]})
    assert [a[f"{SS}validFromDate"] for a, _ in _sets(r.content)] == [v2_attrs[f"{SS}validFromDate"]]

    # without includeHistory, updatedAfter answers the cells corrected since, not the whole table
    r = await client.get(url, params={"updatedAfter": v1_attrs[f"{SS}validFromDate"]})
    ((_, changed),) = _sets(r.content)
    assert changed == {("13000", "2023"): "6900"} and r.content.count(b"<Obs ") == 1
    r = await client.get(url, params={"updatedAfter": "2000-01-01T00:00:00Z"})
    assert r.content.count(b"<Obs ") == 6

    # the same history in SDMX-JSON and SDMX-CSV (VALID_FROM column)
    j = (await client.get(url, params={"includeHistory": "true", "format": "jsondata"})).json()
    assert [d.get("validFrom") for d in j["dataSets"]] == [
        v1_attrs[f"{SS}validFromDate"],
        v2_attrs[f"{SS}validFromDate"],
    ]
    text = (await client.get(url, params={"includeHistory": "true", "format": "csv"})).text
    assert text.splitlines()[0].endswith(",VALID_FROM") and text.count(v1_attrs[f"{SS}validFromDate"]) == 6

    # the unmodified sdmx1 client reads both data sets
    adapter = AsgiAdapter(client, asyncio.get_running_loop())
    msg = await asyncio.to_thread(_sdmx1_history, adapter, sid)
    assert len(msg.data) == 2 and all(len(ds) == 6 for ds in msg.data)
