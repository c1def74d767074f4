"""Aggregation (集計) by DuckDB over the decrypted dataset in memory: one statistic of a variable by
up to three categorical variables, with every margin (GROUP BY CUBE), filters bound as parameters.
Variable names are checked against the dataset and the grant before they reach SQL."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.onsite.schemas import Filter, TableIn, Variable
from govstat.platform.subsystems.onsite.sdc.cube import Cell, Cube, Key, complete

OPS = {"eq": "=", "ne": "<>", "ge": ">=", "le": "<="}


def check(spec: TableIn, variables: list[Variable], granted: set[str]) -> dict[str, Variable]:
    by_name = {v.name: v for v in variables}
    used = [*spec.group_by, *(f.variable for f in spec.filters), *([spec.variable] if spec.variable else [])]
    for name in used:
        if name not in by_name:
            raise InvalidInput.field("variable", f"{name}: この調査票情報にない変数です / no such variable")
        if name not in granted:
            raise InvalidInput.field("variable", f"{name}: 承認されていない変数です / not granted")
    if len(set(spec.group_by)) != len(spec.group_by):
        raise InvalidInput.field("group_by", "同じ変数は一度だけ / each variable once")
    for name in spec.group_by:
        if by_name[name].kind != "category":
            raise InvalidInput.field("group_by", f"{name}: 分類の変数だけで集計します / only categorical variables")
    if spec.statistic != "count" and (spec.variable is None or by_name[spec.variable].kind != "number"):
        raise InvalidInput.field("variable", "数値の変数を選んでください / choose a numeric variable")
    return by_name


def where(filters: list[Filter], kinds: dict[str, Variable], params: list[Any]) -> str:
    parts = []
    for f in filters:
        col = _quote(f.variable)
        number = kinds[f.variable].kind == "number"
        values = f.value if isinstance(f.value, list) else [f.value]
        cast = [float(v) if number else str(v) for v in values]
        if f.op == "in" or isinstance(f.value, list):
            marks = ", ".join("?" for _ in cast)
            parts.append(f"{col} {'NOT ' if f.op == 'ne' else ''}IN ({marks})")
            params.extend(cast)
        else:
            parts.append(f"{col} {OPS[f.op]} ?")
            params.append(cast[0])
    return " AND ".join(parts) or "TRUE"


def cube(data: pa.Table, spec: TableIn, kinds: dict[str, Variable], k: int) -> Cube:
    con = duckdb.connect()
    con.register("t", data)
    params: list[Any] = []
    cond = where(spec.filters, kinds, params)
    groups = [_quote(g) for g in spec.group_by]
    v = _quote(spec.variable) if spec.variable else ""
    grouping = [f"GROUPING({g}) AS g{i}" for i, g in enumerate(groups)]
    # only what the statistic needs: the top-k list and the quantile cost most
    magnitude = spec.statistic in ("sum", "mean")
    select = ", ".join(
        [
            *(f"{g}::VARCHAR" for g in groups),
            *grouping,
            "count(*)",
            f"coalesce(sum({v}), 0)" if magnitude else "0.0",
            f"max({v}, {int(k)})" if magnitude else "NULL",
            f"quantile_cont({v}, {float(spec.quantile)})" if spec.statistic == "quantile" else "NULL",
        ]
    )
    group = f" GROUP BY CUBE ({', '.join(groups)})" if groups else ""
    rows = con.execute(f"SELECT {select} FROM t WHERE {cond}{group}", params).fetchall()
    m = len(groups)
    found: dict[Key, Cell] = {}
    categories: list[set[str]] = [set() for _ in groups]
    for r in rows:
        key: Key = tuple(None if r[m + i] else r[i] for i in range(m))
        for i, part in enumerate(key):
            if part is not None:
                categories[i].add(part)
        n, total, top, q = int(r[2 * m]), float(r[2 * m + 1]), r[2 * m + 2] or [], r[2 * m + 3]
        found[key] = Cell(
            key=key,
            n=n,
            value=float(n) if spec.statistic == "count" else total,
            top=float(sum(x for x in top if x is not None)),
            shown=_shown(spec.statistic, n, total, q),
        )
    return complete(list(spec.group_by), [sorted(c) for c in categories], found)


def differences(
    data: pa.Table, shared: list[str], new: list[Filter], old: list[Filter], kinds: dict[str, Variable]
) -> list[tuple[Key, int, int]]:
    """For every cell over the shared grouping variables (and their margins): how many units only the
    earlier table's filter takes in, and how many only the new one's."""
    con = duckdb.connect()
    con.register("t", data)
    params: list[Any] = []
    fo, fn = where(old, kinds, params), where(new, kinds, params)
    params = params + params
    groups = [_quote(g) for g in shared]
    only_old = f"count(*) FILTER (WHERE coalesce(({fo}), FALSE) AND NOT coalesce(({fn}), FALSE))"
    only_new = f"count(*) FILTER (WHERE coalesce(({fn}), FALSE) AND NOT coalesce(({fo}), FALSE))"
    m = len(groups)
    grouping = [f"GROUPING({g})" for g in groups]
    select = ", ".join([*(f"{g}::VARCHAR" for g in groups), *grouping, only_old, only_new])
    group = f" GROUP BY CUBE ({', '.join(groups)})" if groups else ""
    rows = con.execute(f"SELECT {select} FROM t{group}", params).fetchall()
    return [(tuple(None if r[m + i] else r[i] for i in range(m)), int(r[2 * m]), int(r[2 * m + 1])) for r in rows]


def project(key: Key, variables: list[str], onto: list[str]) -> Key:
    """The key of the cell of a table grouped by `onto` that holds the same units (totals elsewhere)."""
    by_var = dict(zip(variables, key, strict=True))
    return tuple(by_var.get(v) for v in onto)


def _shown(statistic: str, n: int, total: float, q: float | None) -> float | None:
    if statistic == "count":
        return float(n)
    if statistic == "sum":
        return total
    if statistic == "mean":
        return total / n if n else None
    return q


def _quote(name: str) -> str:
    return '"' + name.replace('"', "") + '"'
