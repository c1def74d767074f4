"""Derived items, computed per area and year from other items on the same (today's) boundaries:
`share` = a / b x 100 (%), `change` = the rate of change from the previous year the item has (%),
`density` = a / land area (km²) of today's boundary, measured by the GIS subsystem (国土数値情報 N03 of
2021-01-01 in an equal-area projection; gis/published.py): earlier years recombined onto today's
municipalities are divided by today's area, which is what makes them comparable. An area without
a boundary there (a ward of a designated city) is flagged."""

from __future__ import annotations

import itertools

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.gis import published as gis
from govstat.platform.subsystems.region.rows import Point

Grid = dict[int, dict[str, Point]]
HUNDRED = 100.0
NO_AREA = "面積がありません / no land area for this area"


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


def density(a: Grid, areas: dict[str, float]) -> Grid:
    out: Grid = {}
    for year, row in a.items():
        for code, p in row.items():
            km2 = areas.get(code)
            point = _point(year, p.value / km2 if p.value is not None and km2 else None, p)
            if not km2:
                point.value, point.flags = None, [*point.flags, NO_AREA]
            out.setdefault(year, {})[code] = point
    return out


async def compute(uow: UnitOfWork, kind: str, grids: list[Grid]) -> Grid:
    if not grids:
        return {}
    if kind == "share" and len(grids) == 2:
        return share(grids[0], grids[1])
    if kind == "change":
        return change(grids[0])
    if kind == "density":
        codes = sorted({c for row in grids[0].values() for c in row if c != "00000"})
        return density(grids[0], await gis.land_area_km2(uow, codes))
    return {}
