"""The report of an area (地域レポート): its boundary's facts (level, area in km², the map) and a
published table's cells for it along the table's first dimension with several items (e.g. 総数/男/女),
with density per km². Suppressed cells show as such, never as a number."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.gis import choropleth
from govstat.platform.subsystems.gis.published import VINTAGE
from govstat.platform.subsystems.statdb import published as statdb


class Facts(msgspec.Struct, kw_only=True):
    code: str
    level: str
    name: str
    pref_code: str
    area_km2: float
    west: float
    south: float
    east: float
    north: float


class Line(msgspec.Struct, kw_only=True):
    code: str
    name: str
    value: float | None  # None: suppressed or missing
    density: float | None  # per km²


class Report(msgspec.Struct, kw_only=True):
    facts: Facts
    choice: choropleth.Choice
    dimension: str  # the dimension the lines run along
    unit: str
    lines: list[Line]


async def facts(uow: UnitOfWork, code: str) -> Facts:
    row = await uow.row(
        Facts,
        """SELECT code, level, name, pref_code, area_km2, ST_XMin(geom) AS west, ST_YMin(geom) AS south,
                  ST_XMax(geom) AS east, ST_YMax(geom) AS north
           FROM gis_boundary WHERE code = $1 AND vintage = $2""",
        code,
        VINTAGE,
    )
    if row is None:
        raise NotFound(f"地域 {code} の境界はありません / no boundary for {code}")
    return row


async def report(uow: UnitOfWork, code: str, table: str, picks: Mapping[str, str]) -> Report:
    f = await facts(uow, code)
    choice = await choropleth.choose(uow, table, picks)
    ref = await statdb.table_ref(uow, table)
    assert ref is not None
    along = next((o for o in await statdb.classes(uow, ref.id) if o.obj_id != "area" and len(o.items) > 1), None)
    fixed = [d for d in choice.dims if along is None or d.obj_id != along.obj_id]
    narrowing = [choropleth.Narrow(obj_id=d.obj_id, codes=[d.code]) for d in fixed]
    narrowing.append(choropleth.Narrow(obj_id="area", codes=[code]))
    dims = await statdb.dims_of(uow, ref.id)
    sel = statdb.select(ref.id, dims, narrowing)
    cells = await statdb.cells(uow, sel, dims, start=1, limit=200) if sel else []
    by_code = {str(getattr(c, along.obj_id)) if along else "": c for c in cells}
    items = [(i.code, i.name) for i in along.items] if along else [("", choice.label())]
    lines = []
    for item_code, item_name in items:
        c = by_code.get(item_code)
        value = float(c.value) if c is not None and c.value is not None else None
        lines.append(
            Line(
                code=item_code,
                name=item_name,
                value=value,
                density=value / f.area_km2 if value is not None and f.area_km2 else None,
            )
        )
    return Report(facts=f, choice=choice, dimension=along.name if along else "", unit=choice.unit(), lines=lines)
