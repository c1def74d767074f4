"""Issue 14 §4: the RDF Data Cube of a published table (suppressed cells included) passes every
integrity constraint of the W3C recommendation (https://www.w3.org/TR/vocab-data-cube/#wf-rules),
IC-1 .. IC-21 run as SPARQL ASK queries on the graph after the spec's normalisation (10.1); and
the checks are not vacuous: a broken graph fails the constraint that names the fault."""

import pyoxigraph as ox

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.estat.lod import cube, source
from tests.platform.subsystems.estat import lod_support
from tests.platform.subsystems.estat.lod_ic import CONSTRAINTS, NORMALISE, PREFIXES, violated


async def _store(sid: str) -> ox.Store:
    async with UnitOfWork(Scope.system("test-lod")) as uow:
        triples = await source.whole(uow, sid)
    assert triples is not None
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    for update in NORMALISE:
        store.update(PREFIXES + update)
    return store


async def test_the_cube_passes_every_integrity_constraint():
    table = await lod_support.shared_table()
    store = await _store(table["stats_data_id"])
    assert len(CONSTRAINTS) == 21
    assert [name for name in CONSTRAINTS if violated(store, name)] == []
    # the constraints see the data: nine observations, three of them suppressed, in a hierarchy
    count = "SELECT (COUNT(?o) AS ?n) WHERE { ?o a qb:Observation ; sdmx-attribute:obsStatus ?s }"
    assert int(next(iter(store.query(PREFIXES + count)))["n"].value) == 3
    assert store.query(PREFIXES + "ASK { ?list a qb:HierarchicalCodeList ; qb:hierarchyRoot ?r . ?r skos:narrower ?c }")

    # a fault of each kind makes its constraint fail
    obs = next(
        iter(
            store.query(
                PREFIXES + "SELECT ?o ?d ?v WHERE { ?o a qb:Observation ; ?d ?v . ?d a qb:DimensionProperty } LIMIT 1"
            )
        )
    )
    store.remove(ox.Quad(obs["o"], obs["d"], obs["v"]))
    assert violated(store, "IC-11")
    store.add(ox.Quad(obs["o"], obs["d"], ox.NamedNode("http://example.com/not-a-code")))
    assert violated(store, "IC-19") and violated(store, "IC-20")
    value = ox.NamedNode(cube.v.SDMX_MEASURE + "obsValue")
    for q in list(store.quads_for_pattern(obs["o"], value, None)):
        store.remove(q)
    assert violated(store, "IC-14")
