"""Derived items, computed per area and year from other items on the same (today's) boundaries:
`share` = a / b x 100 (%), `change` = the rate of change from the previous year the item has (%).
(Density needs land areas, which come from the GIS subsystem's boundaries: not yet here.)"""

from __future__ import annotations

import itertools

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.region.rows import Point

Grid = dict[int, dict[str, Point]]
HUNDRED = 100.0


def _point(year: int, value: float | None, *inputs: Point) -> Point:
    flags = [f for p in inputs for f in p.flags]
    return Point(
        year=year,
        value=None if flags else value,
        recombined=any(p.recombined for p in inputs),
        boundary=inputs[0].boundary,
        parts=inputs[0].parts,
        flags=flags,
        table=inputs[0].table,
    )


def share(a: Grid, b: Grid) -> Grid:
    out: Grid = {}
    for year, row in a.items():
        for code, p in row.items():
            q = b.get(year, {}).get(code)
            if q is None:
                continue
            v = p.value / q.value * HUNDRED if p.value is not None and q.value else None
            out.setdefault(year, {})[code] = _point(year, v, p, q)
    return out


def change(a: Grid) -> Grid:
    out: Grid = {}
    years = sorted(a)
    for before, year in itertools.pairwise(years):
        for code, p in a[year].items():
            q = a[before].get(code)
            if q is None:
                continue
            v = (p.value - q.value) / q.value * HUNDRED if p.value is not None and q.value else None
            out.setdefault(year, {})[code] = _point(year, v, p, q)
    return out


async def compute(uow: UnitOfWork, kind: str, grids: list[Grid]) -> Grid:
    if not grids:
        return {}
    if kind == "share" and len(grids) == 2:
        return share(grids[0], grids[1])
    if kind == "change":
        return change(grids[0])
    return {}
