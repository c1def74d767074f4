"""Issue 14 §4: the SPARQL endpoint (SPARQL 1.1 Protocol) over the linked data, kept in step with
publications through Kafka (outbox -> relay -> Kafka -> estat-lod consumer -> read model -> each
app process's store); read-only, and no query can exhaust the server (timeout, result cap)."""

import asyncio
import csv
import datetime as dt
import io
import time
import xml.etree.ElementTree as ET

from govstat.platform.events.relay import run_relay
from govstat.platform.root.events import event_decoder
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.estat.lod import endpoint as sparql
from govstat.platform.subsystems.estat.lod import vocab as v
from govstat.platform.subsystems.estat.lod.graphs import LodConsumer
from tests.platform.subsystems.estat import lod_support
from tests.platform.subsystems.estat import portal_support as ps
from tests.support.eventually import eventually

P = "PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> "


async def ask(client, query: str) -> bool:
    r = await client.get("/lod/sparql", params={"query": P + query})
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


async def test_a_publication_becomes_queryable_through_kafka(client):
    settings = get_settings()
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(run_relay(settings, stop)),
        asyncio.create_task(LodConsumer().run(settings, stop, event_decoder())),
    ]
    try:
        announced = await ps.announce(
            f"SPARQL予告テスト {lod_support.uid()}", dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
        )
        table = await lod_support.publish(f"SPARQL公開テスト {lod_support.uid()}")
        uri = v.table_uri(table["stats_data_id"])
        await eventually(
            lambda: ask(client, f"ASK {{ <{uri}> a qb:DataSet }}"), timeout=90, message="published in SPARQL"
        )

        select = (
            P
            + f"""SELECT ?area ?status WHERE {{ ?o qb:dataSet <{uri}> ; <{uri}/dimension/area> ?area ;
            sdmx-attribute:obsStatus ?status }} ORDER BY ?area ?status"""
        )
        r = await client.get("/lod/sparql", params={"query": select})
        assert r.headers["content-type"].startswith("application/sparql-results+json")
        rows = [
            (b["area"]["value"].rsplit("/", 1)[1], b["status"]["value"].rsplit("/", 1)[1])
            for b in r.json()["results"]["bindings"]
        ]
        assert rows == [("13000", "C"), ("13000", "C"), ("29000", "M")]
        as_csv = await client.post("/lod/sparql", data={"query": select}, headers={"accept": "text/csv"})
        assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
        assert [row["area"].rsplit("/", 1)[1] for row in csv.DictReader(io.StringIO(as_csv.text))] == [
            "13000",
            "13000",
            "29000",
        ]
        as_xml = await client.post(
            "/lod/sparql",
            content=select.encode(),
            headers={"content-type": "application/sparql-query", "accept": "application/sparql-results+xml"},
        )
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert len(ET.fromstring(as_xml.content).findall(f"{ns}results/{ns}result")) == 3
        # the reference code lists are in the store too, with their English names
        assert await ask(client, f'ASK {{ <{v.area_uri("13000")}> <{v.SKOS}prefLabel> "Tokyo"@en }}')
        # an announced table's events came first (one tenant, one partition): its data stays out until publish_at
        assert not await ask(client, f"ASK {{ <{v.table_uri(announced['stats_data_id'])}> ?p ?o }}")
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_read_only_and_bounded(client, monkeypatch):
    monkeypatch.setattr(sparql, "TIMEOUT", 2.0)
    monkeypatch.setattr(sparql, "CAP", 5)
    insert = "INSERT DATA { <http://example.com/a> <http://example.com/b> 1 }"
    for r in (
        await client.post("/lod/sparql", data={"update": insert}),
        await client.post(
            "/lod/sparql", content=insert.encode(), headers={"content-type": "application/sparql-update"}
        ),
        await client.get("/lod/sparql", params={"query": insert}),
    ):
        assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
        assert "read-only" in r.json()["detail"]
    bad = await client.get("/lod/sparql", params={"query": "SELEKT * WHERE { ?s ?p ?o }"})
    assert bad.status_code == 400 and "query" in bad.text

    many = await client.get("/lod/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert many.status_code == 400 and "LIMIT" in many.json()["detail"]
    few = await client.get("/lod/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert few.status_code == 200 and len(few.json()["results"]["bindings"]) == 5

    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    r = await client.get("/lod/sparql", params={"query": runaway})
    assert r.status_code == 503 and time.monotonic() - started < 8
    assert r.headers["content-type"].startswith("application/problem+json") and "2 s" in r.json()["detail"]
    # the runaway is stopped, and the next query is answered by a fresh store
    assert (await client.get("/lod/sparql", params={"query": "ASK { ?s ?p ?o }"})).json()["boolean"] is True
