"""ESTAT-5: an unmodified open-source e-Stat API client (pyestat, from PyPI) pointed at govstat."""

import asyncio

from pyestat import EstatClient, EstatHttpClient

from tests.platform.subsystems.estat.estat_support import app_id_for, published_census
from tests.support.server import AppProcess, running


def _read_with_pyestat(base_url: str, app_id: str, sid: str):
    http = EstatHttpClient(app_id=app_id, base_url=f"{base_url}/rest/3.0/app/json", max_retries=1)
    client = EstatClient(http=http, project_rules_dir=None)
    meta = client.get_meta_info(sid)
    listing = client.list_stats(statsCode="00200521")
    nara = client.get_stats_data(sid, select={"area": {"level": "3"}, "cat01": "0"}, rule=None)
    pages = list(client.iter_stats_data_pages(sid, select={"area": ["29000", "29201", "29202"]}))
    return meta, listing, nara, pages


async def test_pyestat_reads_the_census_from_govstat(client):
    census = await published_census()
    app_id = await app_id_for(client)
    with running(AppProcess()) as (app,):
        meta, listing, rows, pages = await asyncio.to_thread(
            _read_with_pyestat, app.url, app_id, census["stats_data_id"]
        )
    assert {o.id for o in meta.class_objs} == {"tab", "cat01", "area", "time"}
    assert census["stats_data_id"] in [t["@id"] for t in listing.tables]
    nara = [r for r in rows.values if str(r.get("area", "")).startswith("29")]
    assert len(nara) == 39 and sum(int(r["value"]) for r in nara) == 1_324_473
    values = [v for p in pages for v in p.values]
    assert len(values) == 9 and {v["area"] for v in values} == {"29000", "29201", "29202"}
