"""Loading the shipped N03 boundaries (vintage 2021-01-01) into gis_boundary, linked to the standard
area codes valid on that day (area.published). Replaces an earlier load of the same vintage.

All municipalities come from the national file (designated cities dissolved, 0.1 % simplification);
Nara's come from the detailed file (1 %) instead. Prefectures are matched to codes by name. Parts of a
code are unioned; each geometry is made valid and kept in three projections: 4326, the equal-area
EPSG:6933 (areas, allocation) and 3857 (tiles)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.gis.topojson import features

DATA = Path(__file__).parent / "data"
VINTAGE = dt.date(2021, 1, 1)
NATIONAL = "N03-21_210101_designated_city.topo.s0001.json"
DETAILED = {"29": "N03-21_29_210101.geo.s0010.json"}  # prefecture -> its detailed municipalities
PREFECTURES = "prefectures.geo.s0001.json"

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Shape:
    level: str
    code: str  # "" for prefectures until matched by name
    name: str
    source: str
    geojson: str


def read_all() -> list[Shape]:
    shapes: list[Shape] = []
    for props, geom in features(DATA / NATIONAL):
        code = props.get("N03_007")
        if code and code[:2] not in DETAILED:
            shapes.append(
                Shape(
                    "municipality", code, props.get("N03_004") or props.get("N03_003") or "", NATIONAL, json.dumps(geom)
                )
            )
    for source in DETAILED.values():
        for props, geom in features(DATA / source):
            if props.get("N03_007"):
                shapes.append(
                    Shape("municipality", props["N03_007"], props.get("N03_004") or "", source, json.dumps(geom))
                )
    for props, geom in features(DATA / PREFECTURES):
        shapes.append(Shape("prefecture", "", props["N03_001"], PREFECTURES, json.dumps(geom)))
    return shapes


async def load_into(
    uow: UnitOfWork, data: list[Shape] | None = None, progress: Progress | None = None
) -> dict[str, int]:
    shapes = data if data is not None else read_all()
    note = progress or (lambda stage, n: None)
    codes = await area.valid_on(uow, VINTAGE)
    pref_by_name = {c.name: c.code for c in codes.values() if c.level == "prefecture"}
    rows = []
    for s in shapes:
        code = s.code or pref_by_name.get(s.name, "")
        if not code:
            continue
        name = codes[code].name if code in codes else s.name
        rows.append((s.level, code, name, s.source, s.geojson))
    await uow.long_running()
    await uow.execute("DELETE FROM gis_boundary WHERE vintage = $1", VINTAGE)
    note("cleared", 0)
    status = await uow.execute(
        """
        WITH src AS (
          SELECT level, code, min(name) AS name, min(source) AS source,
                 ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326))), 3)) AS geom
          FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(level, code, name, source, g)
          GROUP BY level, code)
        INSERT INTO gis_boundary (level, code, pref_code, name, vintage, source, geom, geom_ea, geom_wm, area_km2)
        SELECT level, code, left(code, 2), name, $6, source, geom, ST_Transform(geom, 6933), ST_Transform(geom, 3857),
               ST_Area(ST_Transform(geom, 6933)) / 1e6
        FROM src""",
        *(list(col) for col in zip(*rows, strict=True)),
        VINTAGE,
    )
    n = int(status.split()[-1])
    note("boundaries", n)
    return {"boundaries": n}


async def load_if_empty(uow: UnitOfWork) -> dict[str, int]:
    """Load the boundaries when the vintage has none (a database seeded before the GIS existed)."""
    if await uow.fetchval("SELECT EXISTS (SELECT 1 FROM gis_boundary WHERE vintage = $1)", VINTAGE):
        return {}
    return await load_into(uow)
