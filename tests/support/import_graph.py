"""The import graph of govstat's own modules, read from the source (ast), for the shape tests.

Every import counts, at module level and inside functions alike: a lazy import hides a cycle
from Python, not from the reader. Imports under `if TYPE_CHECKING:` never run, so they are left
out. `from pkg import name` points at `pkg.name` when that is a module, else at `pkg` itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("platform", "tenants", "gateway", "ops")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module ("govstat.ops.incidents.service")
    target: str  # the imported module
    names: tuple[str, ...]  # the names taken from it (`from target import a, b`); () for `import target`
    line: int


def module_files() -> dict[str, Path]:
    """Every govstat module by its dotted name."""
    files = {}
    for part in PARTS:
        for path in sorted((ROOT / part).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            if any(p in ("node_modules", "static") or p.startswith(".") for p in rel.parts):
                continue
            names = list(rel.parts)
            if names[-1] == "__init__":
                names.pop()
            files["govstat." + ".".join(names)] = path
    return files


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, except what sits under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield child
                yield from _nodes(child)
            continue
        yield node
        yield from _nodes(node)


def imports(modules: dict[str, Path] | None = None) -> list[Import]:
    modules = modules if modules is not None else module_files()
    found = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [Import(name, a.name, (), node.lineno) for a in node.names if a.name in modules]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from .x import y
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                if not base.startswith("govstat"):
                    continue
                taken = []
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    if sub in modules:
                        found.append(Import(name, sub, (), node.lineno))
                    else:
                        taken.append(alias.name)
                if taken and base in modules:
                    found.append(Import(name, base, tuple(taken), node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in module_files()}
    for i in imports():
        if i.target != i.source:
            edges[i.source].add(i.target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each as one cycle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(_cycle_through(sorted(component), edges))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def _cycle_through(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """One concrete cycle inside a component, from its first module back to it (breadth first)."""
    members = set(component)
    start = component[0]
    paths = {w: [start, w] for w in sorted(edges[start] & members)}
    queue = list(paths)
    while queue:
        v = queue.pop(0)
        if start in edges[v]:
            return [*paths[v], start]
        for w in sorted(edges[v] & members):
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return component


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses() -> list[str]:
    """Every `_private` name one govstat module takes from another: `from m import _x`, and
    `m._x` on a module imported as `m` (`import a.b as m`, `from a import m`)."""
    modules = module_files()
    found = [
        f"{i.source}:{i.line} imports {', '.join(n for n in i.names if _private(n))} from {i.target}"
        for i in imports(modules)
        if any(_private(n) for n in i.names)
    ]
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        aliases: dict[str, str] = {}  # local name -> govstat module
        for node in _nodes(tree):
            if isinstance(node, ast.Import):
                aliases |= {a.asname: a.name for a in node.names if a.asname and a.name in modules}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    base = ".".join(anchor[: len(anchor) - node.level + 1] + ([base] if base else []))
                aliases |= {a.asname or a.name: f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules}
        for node in _nodes(tree):
            if (
                isinstance(node, ast.Attribute)
                and _private(node.attr)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and aliases[node.value.id] != name
            ):
                found.append(f"{name}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    return sorted(set(found))
