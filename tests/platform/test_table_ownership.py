"""Parts meet only through their owners (issue 9 section 2; docs/decisions/0010).

The import test cannot see SQL. This one reads it: a table belongs to the part whose migrations
create it (platform's core, tenants, gateway, ops, or one subsystem under platform/subsystems),
and a module of another part may name it neither in SQL nor by importing its Piccolo class. What
a part offers the others is its read interface: modules marked `READS_FOR_OTHERS = True` (called
with the caller's unit of work) and the SQL views they declare in `VIEWS` (created by the owner's
migrations, joined where a list is filtered and paged in one statement).

SQL is found in the string literals of every module (f-strings' constant parts included,
docstrings left out): the name after FROM, JOIN, INTO, UPDATE, TABLE or USING. The code base
writes SQL keywords in capitals and names tables in lower case; a lower-case "from" in prose is
not SQL.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("platform", "tenants", "gateway", "ops")
# The composition root imports all four parts and seeds and repairs every part's data (govstat
# seed, govstat audit verify, govstat outbox status), as it wires every part's routes.
EXEMPT = ("platform/root/",)

CREATED = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:UNLOGGED|TEMP|TEMPORARY)\s+)?(TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(?:[a-z_]+\.)?\"?([a-z_][a-z0-9_]*)",
    re.IGNORECASE,
)
NAMED = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE|USING)\s+(?:ONLY\s+)?(?:public\.)?\"?([a-z_][a-z0-9_]*)")


def part_of(path: str) -> str:
    """platform/subsystems/statdb/x.py -> subsystems/statdb; tenants/x.py -> tenants; platform/db/x.py -> platform."""
    bits = path.split("/")
    if bits[:2] == ["platform", "subsystems"] and len(bits) > 3:
        return f"subsystems/{bits[2]}"
    return bits[0]


def modules() -> Iterator[tuple[str, str]]:
    for part in PARTS:
        for path in sorted((ROOT / part).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/piccolo_migrations/" not in rel and not rel.startswith(EXEMPT):
                yield rel, path.read_text(encoding="utf-8")


def relations() -> dict[str, tuple[str, str]]:
    """Every table and view the migrations create: name -> (owning part, TABLE | VIEW)."""
    out: dict[str, tuple[str, str]] = {}
    for part in PARTS:
        for path in sorted((ROOT / part).rglob("piccolo_migrations/*.py")):
            owner = part_of(path.relative_to(ROOT).as_posix())
            for kind, name in CREATED.findall(path.read_text(encoding="utf-8")):
                out[name.lower()] = (owner, kind.upper())
    return out


def strings(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of the string literals that are not docstrings; an f-string's parts joined."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inner.update(id(v) for v in node.values)
            yield node.lineno, " {} ".join(v.value for v in node.values if isinstance(v, ast.Constant))
    skip = docstrings | inner
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def named_tables(source: str) -> Iterator[tuple[int, str]]:
    for line, text in strings(source):
        for name in NAMED.findall(text):
            yield line, name


def imported_tables(source: str) -> Iterator[tuple[int, str]]:
    """(line, file) of each import from a part's Piccolo table module (a `tables.py`)."""
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            bits = name.split(".")
            file = "/".join(bits[1:]) + ".py"
            if bits[0] == "govstat" and bits[-1] == "tables" and (ROOT / file).is_file():
                yield node.lineno, file


def interfaces() -> dict[str, tuple[str, ...]]:
    """Read-interface modules (READS_FOR_OTHERS = True) -> the views they declare."""
    out: dict[str, tuple[str, ...]] = {}
    for rel, source in modules():
        values = {}
        for node in ast.parse(source).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                values[node.targets[0].id] = node.value
        flag = values.get("READS_FOR_OTHERS")
        if isinstance(flag, ast.Constant) and flag.value is True:
            out[rel] = tuple(ast.literal_eval(values["VIEWS"])) if "VIEWS" in values else ()
    return out


def published_views() -> dict[str, str]:
    return {view: rel for rel, views in interfaces().items() for view in views}


def crossings() -> list[str]:
    owners = relations()
    views = published_views()
    found = []
    for rel, source in modules():
        me = part_of(rel)
        for line, name in named_tables(source):
            owner, _ = owners.get(name, (me, ""))
            if owner != me and name not in views:
                found.append(f"{rel}:{line} names {owner}'s {name}")
        for line, tables in imported_tables(source):
            owner = part_of(tables)
            if owner != me:
                found.append(f"{rel}:{line} imports {owner}'s Piccolo tables ({tables})")
    return found


def test_no_part_names_another_parts_tables() -> None:
    found = crossings()
    assert not found, "read them through the owner's interface (docs/decisions/0010):\n" + "\n".join(found)


def test_views_are_declared_by_their_owners_interface() -> None:
    """Every view a migration creates is an interface: one module declares it, and that module
    lives with the owner (or, for tenants' views, is govstat.platform.directory, which the platform
    reads them through: the platform may not import govstat.tenants)."""
    owners = relations()
    declared: dict[str, list[str]] = {}
    for rel, views in interfaces().items():
        for view in views:
            declared.setdefault(view, []).append(rel)
    created = {name for name, (_, kind) in owners.items() if kind == "VIEW"}
    assert set(declared) == created, (
        f"declared but not created: {set(declared) - created}; created but not declared: {created - set(declared)}"
    )
    for view, where in declared.items():
        assert len(where) == 1, f"{view} declared twice: {where}"
        owner = owners[view][0]
        assert part_of(where[0]) == owner or (owner == "tenants" and where[0] == "platform/directory.py"), (
            f"{view} is {owner}'s, declared in {where[0]}"
        )


def test_the_interfaces_exist() -> None:
    """The owners named in docs/decisions/0010 publish their read interfaces."""
    assert {
        "platform/directory.py",
        "tenants/directory.py",
        "platform/subsystems/statdb/published.py",
        "platform/subsystems/tables/published.py",
        "gateway/sla/figures.py",
        "platform/events/health.py",
    } <= set(interfaces())


def test_the_reader_sees_sql() -> None:
    """The scanner itself: it finds what a crossing looks like, and leaves prose and docstrings."""
    source = '''
"""Reads FROM tenant in a docstring: not SQL."""
X = "SELECT g.name_ja FROM gov_statistic g JOIN agency a ON a.code = g.agency_code"
Y = f"DELETE FROM outbox WHERE id = {1}"
Z = "from the tenant's point of view"
from govstat.tenants.tables import Tenant
'''
    assert [n for _, n in named_tables(source)] == ["outbox", "gov_statistic", "agency"]
    assert [t for _, t in imported_tables(source)] == ["tenants/tables.py"]
    assert part_of("platform/subsystems/estat/api/data.py") == "subsystems/estat"
    assert relations()["observation"] == ("subsystems/statdb", "TABLE")
    assert relations()["directory_statistic"] == ("tenants", "VIEW")
