"""ISSUE-14 §4: the unmodified SDMX client `sdmx1` (PyPI) pointed at govstat's SDMX-REST reads the
dataflows, a flow's structure with its codelists, and data for a key; the values are statdb's."""

import asyncio
import math

import sdmx

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import published
from tests.platform.subsystems.estat.sdmx_support import expected, published_small
from tests.support.asgi_requests import AsgiAdapter

BASE = "http://testserver.local"


def _read_with_sdmx1(adapter: AsgiAdapter, sid: str):
    sdmx.add_source({"id": "GOVSTAT", "url": f"{BASE}/sdmx/rest", "name": "govstat"}, override=True)
    client = sdmx.Client("GOVSTAT")
    client.session.mount(BASE, adapter)  # the transport only: requests go to the app in process
    flows = client.dataflow()
    msg = client.dataflow(sid)  # ?references=all
    dsd = msg.structure[f"DSD_{sid}"]
    data = client.data(sid, key={"AREA": ["29201", "29202"]}, params={"startPeriod": "2020"}, dsd=dsd)
    everything = client.data(sid, dsd=dsd)
    return flows, msg, dsd, data, everything


def _observations(message) -> dict[tuple[str, str, str], tuple[float | None, str | None]]:
    out = {}
    for series in message.data[0].series.values() if message.data[0].series else []:
        for obs in series:
            key = obs.key
            status = obs.attached_attribute.get("OBS_STATUS")
            out[(key["CAT01"].value, key["AREA"].value, str(key["TIME_PERIOD"].value))] = (
                obs.value,
                str(status.value.id if hasattr(status.value, "id") else status.value) if status else None,
            )
    return out


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


async def test_sdmx1_reads_flows_structure_and_data_from_govstat(client):
    small = await published_small()
    sid = small["stats_data_id"]
    adapter = AsgiAdapter(client, asyncio.get_running_loop())
    flows, msg, dsd, data, everything = await asyncio.to_thread(_read_with_sdmx1, adapter, sid)
    assert any(f"/sdmx/rest/dataflow/GOVSTAT/{sid}/latest?references=all" in u for u in adapter.urls)
    assert any(f"/sdmx/rest/data/{sid}/" in u for u in adapter.urls)

    assert sid in flows.dataflow
    assert str(flows.dataflow[sid].name.localizations["ja"]).startswith("テスト表")
    assert [d.id for d in dsd.dimensions] == ["CAT01", "AREA", "TIME_PERIOD"]
    areas = msg.codelist[f"CL_{sid}_AREA"]
    assert {c.id for c in areas} == {"29000", "29201", "29202"}
    assert areas["29201"].name.localizations["ja"] == "奈良市"
    assert areas["29201"].name.localizations["en"] == "奈良市"  # no English field: the Japanese
    assert {c.id for c in msg.codelist["CL_OBS_STATUS"]} >= {"C", "M"}
    assert msg.codelist["CL_OBS_STATUS"]["C"].name.localizations["en"] == "Confidential"

    got = _observations(data)
    assert {k[1] for k in got} == {"29201", "29202"} and {k[2] for k in got} == {"2020"}
    assert got[("001", "29201", "2020")] == ("354630", None)  # SDMX-ML carries the digits as written
    value, status = got[("002", "29202", "2020")]  # "x" in the data file: confidential, no value
    assert status == "C" and _missing(value)

    whole = _observations(everything)
    async with UnitOfWork(Scope.system("test")) as uow:
        dims = await published.dims_of(uow, small["id"])
        sel = published.select(small["id"], dims, [])
        rows = await published.values(uow, sel, dims, start=1, limit=100, narrowed=False)
    assert len(whole) == len(rows) == 12
    for r in rows:
        value, status = whole[(r.cat01, r.area, r.time[:4])]
        assert r.v == expected(r.area, r.time[:4], r.cat01)
        if r.special:
            assert status == {"x": "C", "-": "M"}[r.v] and _missing(value)
        else:
            assert status is None and value == r.v
