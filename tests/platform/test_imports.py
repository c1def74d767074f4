"""The shape of the imports (issue 9 section 3): no cycles, no one else's private names, and the
subsystem registry read by the composition root alone (everything else is handed the catalog)."""

from govstat.platform.root.catalog import CATALOG
from govstat.platform.subsystems.registry import MODULES
from tests.support import import_graph

REGISTRY = "govstat.platform.subsystems.registry"
COMPOSITION_ROOT = "govstat.platform.root"


def test_the_graph_sees_every_part_and_lazy_imports():
    modules = import_graph.module_files()
    assert {m.split(".")[1] for m in modules} == set(import_graph.PARTS)
    edges = import_graph.graph()
    # a function-level import counts like any other (platform/root/processes.py imports lazily)
    assert "govstat.platform.jobs.worker" in edges["govstat.platform.root.processes"]


def test_no_import_cycles():
    """Every import, at module level or inside a function, makes an edge; no module reaches itself."""
    cycles = import_graph.cycles(import_graph.graph())
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_one():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_graph.cycles(edges) == [["a", "b", "c", "a"]]


def test_no_module_takes_another_modules_private_names():
    """A name with a leading underscore is its module's own; another module that needs it asks for a
    public name (`from m import _x` and `m._x` are both refused)."""
    assert import_graph.private_uses() == []


def test_only_the_composition_root_reads_the_registry():
    readers = sorted(
        f"{i.source}:{i.line}"
        for i in import_graph.imports()
        if i.target == REGISTRY and not i.source.startswith(COMPOSITION_ROOT + ".")
    )
    assert readers == [], "import the registry only in platform/root/; hand the Catalog in instead"


def test_the_catalog_holds_the_registry_and_the_parts():
    assert CATALOG.subsystems == tuple(MODULES)
    assert [m.key for m in CATALOG.parts] == ["auth", "gateway", "ops"]
    assert CATALOG.by_key("area") is CATALOG.subsystems[0] and CATALOG.by_key("ops").key == "ops"
    assert CATALOG.names("area") == (CATALOG.by_key("area").name_ja, CATALOG.by_key("area").name_en)
    assert CATALOG.names("gateway") == ("gateway", "gateway")  # a platform part is no subsystem
    assert {c.__name__ for c in CATALOG.consumers} >= {"IncidentConsumer", "SlaConsumer", "ReleaseConsumer"}
