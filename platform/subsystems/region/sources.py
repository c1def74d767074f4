"""A base item's values read from its published statdb tables (only through statdb/published.py):
by year, by the area codes of the table, with the area dimension's names and parents.

A year's values are read on that year's boundaries: the census day, 1 October (国勢調査期日), unless
the source says otherwise. e-Stat's 「（旧：…）」 rows (codes no longer valid on the survey day, or
alphanumeric ones such as 0120B 「（旧：函館市）」) are the municipalities of `parts_as_of`: they are
matched to those codes by prefecture and name; a row naming a part (「（旧：上九一色村［北部］）」)
is that old municipality's portion inside the present municipality it is listed under (its parent).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.region.rows import Source
from govstat.platform.subsystems.statdb import published as statdb

LIMIT = 500_000
_OLD = re.compile(r"^（旧：(?P<name>[^［）]+)(?:［(?P<portion>[^］]+)］)?）$")


@dataclass
class Pick:
    """One dimension's condition (the Narrowing statdb's select takes)."""

    obj_id: str
    codes: list[str]
    code_from: str | None = None
    code_to: str | None = None
    level: str | None = None

    def level_range(self) -> tuple[int | None, int | None]:
        return None, None


@dataclass
class Year:
    year: int
    values: dict[str, Decimal | None] = field(default_factory=dict)  # code -> value (None: special)
    raw: dict[str, str] = field(default_factory=dict)  # code -> the special character
    old: dict[str, Decimal | None] = field(default_factory=dict)  # parts_as_of code -> value (whole)
    portions: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (old code, present) -> part


@dataclass
class TableData:
    table: str
    title: str = ""
    unit: str = ""
    parts_as_of: dt.date | None = None
    years: dict[int, Year] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)  # part rows matched to no old code


def census_day(year: int) -> dt.date:
    return dt.date(year, 10, 1)


def year_of(time_code: str) -> int | None:
    return int(time_code[:4]) if time_code[:4].isdigit() else None


Codes = Callable[[dt.date], Awaitable[dict[str, area.AreaCode]]]


async def read(uow: UnitOfWork, source: Source, codes_on: Codes) -> TableData | None:
    """The source's values, or None when the table is not published (or not visible)."""
    ref = await statdb.table_ref(uow, source.table)
    if ref is None or not ref.published:
        return None
    dims = await statdb.dims_of(uow, ref.id)
    if "area" not in dims or "time" not in dims:
        return None
    sel = statdb.select(ref.id, dims, [Pick(k, [v]) for k, v in source.select.items()])
    if sel is None:
        return None
    out = TableData(source.table, ref.title, parts_as_of=source.parts_as_of)
    area_items = next((c.items for c in await statdb.classes(uow, ref.id) if c.obj_id == "area"), [])
    out.names = {i.code: i.name for i in area_items}
    parents = {i.code: i.parent_code or "" for i in area_items}
    cells = await statdb.cells(uow, sel, dims, start=1, limit=LIMIT)
    valid: dict[int, dict[str, area.AreaCode]] = {}
    old_codes: dict[str, area.AreaCode] = {}
    by_name: dict[tuple[str, str], list[str]] = {}
    if source.parts_as_of:
        old_codes = await codes_on(source.parts_as_of)
        for old, a in sorted(old_codes.items()):
            by_name.setdefault((old[:2], a.name), []).append(old)
    for c in cells:
        code, time = str(c.area), str(c.time)
        year = year_of(time)
        if year is None:
            continue
        out.unit = out.unit or (c.unit or "")
        y = out.years.setdefault(year, Year(year))
        if not source.parts_as_of:
            y.values[code] = c.value
            if c.value is None and c.raw:
                y.raw[code] = c.raw
            continue
        if year not in valid:
            valid[year] = await codes_on(census_day(year)) if year >= 1970 else {}
        if not source.parts_as_of or code == "00000" or (code.isdigit() and code in valid[year]) or year < 1970:
            y.values[code] = c.value
            if c.value is None and c.raw:
                y.raw[code] = c.raw
            continue
        _part(out, y, code, c.value, parents.get(code, ""), old_codes, by_name)
    return out


def _part(
    out: TableData,
    y: Year,
    code: str,
    value: Decimal | None,
    parent: str,
    old_codes: dict[str, area.AreaCode],
    by_name: dict[tuple[str, str], list[str]],
) -> None:
    name = out.names.get(code, "")
    m = _OLD.match(name)
    base = m["name"] if m else name
    old = code if code in old_codes else ""
    if not old or (m and old_codes[old].name != base):
        same = sorted(by_name.get((code[:2], base), []), key=lambda c: (c[:4] != code[:4], c))
        old = same[0] if same else ""
    if not old:
        out.unresolved.append(f"{code} {name}")
        return
    if m and m["portion"]:
        if value is not None:
            y.portions[(old, parent)] = y.portions.get((old, parent), Decimal(0)) + value
        return
    y.old[old] = value if old not in y.old or value is None else (y.old[old] or Decimal(0)) + value
