"""ISSUE-14 §4: a withdrawn table in SDMX data. A plain query answers 404; a query for changes
(updatedAfter before the withdrawal, or includeHistory=true) answers one data set with
action="Delete" and no series, valid from the withdrawal, in SDMX-ML, SDMX-JSON and SDMX-CSV."""

import xml.etree.ElementTree as ET

from tests.platform.subsystems.estat import portal_support as ps
from tests.platform.subsystems.statdb.test_statdb_versions import published_table
from tests.support.factories import api_key

R = "/sdmx/rest"
MES = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}"
SS = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific}"


async def test_a_withdrawn_flow_answers_a_delete_data_set_to_change_queries(client):
    sid = await published_table(f"SDMX取り下げ {ps.uid()}")
    url = f"{R}/data/{sid}/all/all"
    before = await client.get(url, params={"includeHistory": "true"})
    assert before.status_code == 200
    (live,) = list(ET.fromstring(before.content).iter(f"{MES}DataSet"))
    assert live.get("action") == "Information"
    published_at = live.get(f"{SS}validFromDate")

    owner = await ps.owner()
    h = {"x-api-key": await api_key(owner.id)}
    r = await client.post(f"/api/statdb/tables/{sid}/withdraw", json={"reason": "集計誤りのため"}, headers=h)
    assert r.status_code == 200, r.text

    assert (await client.get(url)).status_code == 404  # a plain query: the flow is gone
    for params in ({"includeHistory": "true"}, {"updatedAfter": published_at}):
        r = await client.get(url, params=params)
        assert r.status_code == 200, (params, r.text)
        (ds,) = list(ET.fromstring(r.content).iter(f"{MES}DataSet"))
        assert ds.get("action") == "Delete" and ds.get(f"{SS}validFromDate") > published_at
        assert not list(ds.iter("Series"))  # no series: the whole data set is deleted
        assert "集計誤りのため" in r.text and r.headers["etag"]
    # an updatedAfter later than the withdrawal: nothing changed since, 404 as before
    ds = next(ET.fromstring(r.content).iter(f"{MES}DataSet"))
    assert (await client.get(url, params={"updatedAfter": ds.get(f"{SS}validFromDate")})).status_code == 404

    j = (await client.get(url, params={"includeHistory": "true", "format": "jsondata"})).json()
    assert j["dataSets"] == [{"action": "Delete", "validFrom": ds.get(f"{SS}validFromDate"), "series": {}}]
    text = (await client.get(url, params={"includeHistory": "true", "format": "csv"})).text
    assert text.splitlines()[0] == "DATAFLOW,ACTION,VALID_FROM,REASON" and ",D," in text.splitlines()[1]
