"""Issue 14 §4 linked data: area codes, classifications and a published table as RDF (an RDF
Data Cube with SKOS code lists), in Turtle and JSON-LD by content negotiation; a suppressed cell
is an observation with its status and no number."""

import pyoxigraph as ox

from govstat.platform.subsystems.estat.lod import vocab as v
from tests.platform.subsystems.estat import lod_support

QB, SKOS, RDFS = v.QB, v.SKOS, v.RDFS


def graph(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(body, format=fmt)}


def objects(g: set[ox.Triple], s: str, p: str) -> set[str]:
    return {
        str(t.object.value) if isinstance(t.object, (ox.Literal, ox.NamedNode)) else ""
        for t in g
        if t.subject == ox.NamedNode(s) and t.predicate == ox.NamedNode(p)
    }


def labelled(g: set[ox.Triple], s: str, p: str) -> set[tuple[str, str | None]]:
    return {
        (t.object.value, t.object.language)
        for t in g
        if t.subject == ox.NamedNode(s) and t.predicate == ox.NamedNode(p) and isinstance(t.object, ox.Literal)
    }


async def test_a_table_is_a_data_cube_in_turtle_and_json_ld(client):
    table = await lod_support.shared_table()
    sid = table["stats_data_id"]
    uri = v.table_uri(sid)
    r = await client.get(f"/lod/tables/{sid}", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert r.headers["vary"] == "Accept"
    g = graph(r.content, ox.RdfFormat.TURTLE)
    assert objects(g, uri, v.RDF + "type") == {QB + "DataSet"}
    assert objects(g, uri, QB + "structure") == {f"{uri}/structure"}
    dims = {s for s in objects(g, f"{uri}/structure", QB + "component")}
    props = set().union(*(objects(g, c, QB + "dimension") for c in dims))
    assert props == {f"{uri}/dimension/{d}" for d in ("cat01", "area", "time")}
    assert labelled(g, f"{uri}/dimension/cat01", RDFS + "label") == {("男女", "ja"), ("Category 01", "en")}
    assert objects(g, f"{uri}/dimension/area", RDFS + "subPropertyOf") == {v.SDMX_DIM + "refArea"}
    scheme = f"{uri}/code/cat01"
    assert objects(g, scheme, v.RDF + "type") >= {SKOS + "ConceptScheme", QB + "HierarchicalCodeList"}
    assert labelled(g, f"{scheme}/001", SKOS + "prefLabel") == {("男", "ja")}
    assert objects(g, f"{scheme}/001", SKOS + "broader") == {f"{scheme}/000"}
    assert objects(g, scheme, QB + "hierarchyRoot") == {f"{scheme}/000"}
    assert objects(g, f"{uri}/code/area/13000", SKOS + "exactMatch") == {v.area_uri("13000")}
    assert f"{uri}?page=1" in objects(g, uri, v.DCT + "hasPart")

    # the same graph in JSON-LD (the default), compacted with the prefixes as its context
    j = await client.get(f"/lod/tables/{sid}")
    assert j.headers["content-type"].startswith("application/ld+json")
    doc = j.json()
    assert doc["@context"]["qb"] == QB and any("qb:DataSet" in n.get("@type", []) for n in doc["@graph"])
    assert graph(j.content, ox.RdfFormat.JSON_LD) == g

    # observations: nine cells, a number each, or NaN with the cell's status (x 秘匿 -> C, - 該当なし -> M)
    page = graph(
        (await client.get(f"/lod/tables/{sid}", params={"page": 1, "format": "ttl"})).content, ox.RdfFormat.TURTLE
    )
    obs = {t.subject.value for t in page if t.object == ox.NamedNode(QB + "Observation")}
    assert len(obs) == 9
    by_cell = {
        (
            next(iter(objects(page, o, f"{uri}/dimension/area"))).rsplit("/", 1)[1],
            next(iter(objects(page, o, f"{uri}/dimension/cat01"))).rsplit("/", 1)[1],
        ): o
        for o in obs
    }
    national = by_cell[("00000", "001")]
    assert [
        (t.object.value, t.object.datatype.value)
        for t in page
        if t.subject.value == national and t.predicate.value == v.SDMX_MEASURE + "obsValue"
    ] == [("60492.5", v.XSD + "decimal")]
    assert objects(page, national, v.SDMX_ATTR + "obsStatus") == set()
    assert objects(page, national, v.SDMX_ATTR + "unitMeasure") == {"千人"}
    tokyo_f, nara_m = by_cell[("13000", "002")], by_cell[("29000", "001")]
    assert objects(page, tokyo_f, v.SDMX_ATTR + "obsStatus") == {v.status_uri("C")}
    assert objects(page, nara_m, v.SDMX_ATTR + "obsStatus") == {v.status_uri("M")}
    assert objects(page, tokyo_f, v.SDMX_MEASURE + "obsValue") == {"NaN"}
    assert f"{uri}?page=2" not in objects(page, uri, v.DCT + "hasPart")  # the last page

    bad = await client.get(f"/lod/tables/{sid}", params={"format": "xml"})
    assert bad.status_code == 422 and "format" in bad.text
    assert (await client.get("/lod/tables/0000000000")).status_code == 404


async def test_area_codes_and_classifications_as_skos(client):
    r = await client.get("/lod/area/01236", headers={"accept": "text/turtle"})
    g = graph(r.content, ox.RdfFormat.TURTLE)
    hokuto = v.area_uri("01236")
    assert labelled(g, hokuto, SKOS + "prefLabel") == {("北斗市", "ja")}
    assert {u.rsplit("/", 1)[1] for u in objects(g, hokuto, v.SACS + "precedingMunicipality")} >= {"01335", "01336"}
    assert any(u.startswith("http://data.e-stat.go.jp/lod/sac/C01236-") for u in objects(g, hokuto, v.OWL + "sameAs"))

    scheme = graph((await client.get("/lod/area", params={"format": "nt"})).content, ox.RdfFormat.N_TRIPLES)
    assert labelled(scheme, v.area_uri("13000"), SKOS + "prefLabel") == {("東京都", "ja"), ("Tokyo", "en")}
    assert objects(scheme, v.area_uri("13101"), SKOS + "broader") == {v.area_uri("13000")}
    assert v.area_uri("13000") in objects(scheme, v.area_scheme_uri(), SKOS + "hasTopConcept")

    jsic = graph(
        (await client.get("/lod/classifications/jsic-14", headers={"accept": "text/turtle"})).content,
        ox.RdfFormat.TURTLE,
    )
    top = objects(jsic, v.classification_uri("jsic-14"), SKOS + "hasTopConcept")
    assert len(top) >= 20  # 大分類 A..T
    e = f"{v.classification_uri('jsic-14')}/E"
    assert {lang for _, lang in labelled(jsic, e, SKOS + "prefLabel")} == {"ja", "en"}
    assert (await client.get("/lod/classifications/nope-1")).status_code == 404
