"""PLAT-2: every route declares its roles and billable operation; parts import in one direction."""

import ast
from pathlib import Path

from govstat.gateway.pipeline import MODULE_KEY
from govstat.platform.events.domain import DomainEvent
from govstat.platform.module import declared_access
from govstat.platform.root.catalog import CATALOG
from govstat.platform.root.events import event_decoder
from tests.support.routes import handlers


def _handlers(app):
    for h in handlers(app):
        yield h.path, h.handler


def test_every_route_declares_access_and_a_declared_operation(app):
    operations = {op.key for op in CATALOG.operations} | {
        "platform.health",
        "platform.metrics",
        "platform.home",
    }
    undeclared, unknown = [], []
    for path, handler in _handlers(app):
        access = declared_access(handler.opt)
        if access is None:
            undeclared.append(path)
        elif access.operation not in operations:
            unknown.append((path, access.operation))
        elif not access.public:
            assert access.roles, path
    assert undeclared == []
    assert unknown == []


def test_module_routes_are_tagged_with_their_module(app):
    keys = {m.key for m in CATALOG.modules}
    tagged = {handler.opt.get(MODULE_KEY) for path, handler in _handlers(app) if path.startswith("/api/area")}
    assert tagged == {"area"} and "area" in keys


def test_modules_declare_the_contract():
    for m in CATALOG.subsystems:
        assert m.key and m.name_ja and m.name_en and m.routers and m.operations and m.piccolo_app
        assert all(op.key.startswith(f"{m.key}.") for op in m.operations), m.key
        assert all(e.event_name().startswith(f"{m.key}.") for e in m.events), m.key
        assert all(j.name.startswith(f"{m.key}.") for j in m.jobs), m.key


def test_domain_events_are_structs_owned_by_their_module_in_one_union():
    """Each module's events live in its own events.py (decisions/0008) and their names join into one union."""
    for m in CATALOG.modules:
        for e in m.events:
            assert issubclass(e, DomainEvent) and e.__module__.endswith(".events"), e
            assert f".{m.key}." in e.__module__, (m.key, e.__module__)  # the emitting module's own file
    names = [e.event_name() for m in CATALOG.modules for e in m.events]
    assert len(names) == len(set(names))
    assert event_decoder().union is not None


ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {
    "platform": {"platform"},
    "tenants": {"platform", "tenants"},
    "gateway": {"platform", "tenants", "gateway"},
    "ops": {"platform", "tenants", "ops"},
}
COMPOSITION_ROOT = ROOT / "platform/root"


def _imports(path: Path) -> set[str]:
    parts = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        parts |= {n.split(".")[1] for n in names if n.startswith("govstat.") and len(n.split(".")) > 1}
    return parts


def test_dependency_direction():
    violations = []
    for part, allowed in ALLOWED.items():
        for path in (ROOT / part).rglob("*.py"):
            if COMPOSITION_ROOT in path.parents:
                continue
            bad = _imports(path) - allowed
            if bad:
                violations.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert violations == []
