"""Area-proportional allocation (面積按分): a statistic estimated for any target area (a drawn polygon,
a saved area, or a buffer around a point) from the boundaries it overlaps, by area share.

For each source area S with value v: share = area(S ∩ T) / area(S), contribution = share × v, and the
estimate is the sum of the contributions. Areas are measured on the equal-area EPSG:6933 geometry.
Where targets partition the sources, each source's shares add up to 1, so the targets' totals equal the
sources' totals (mass preserving). Sources whose cell is suppressed or missing contribute nothing and
are listed as such; their values are never read.

Why PostGIS and not tobler: the boundaries already live in PostGIS with spatial indexes, the
intersection of one target with a few hundred sources is one indexed statement, and the app stays free
of the geopandas/pyproj stack tobler needs; tobler's areal_interpolate computes the same weights."""

from __future__ import annotations

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.gis import choropleth
from govstat.platform.subsystems.gis.published import CREDIT, VINTAGE

ASSUMPTION = (
    "面積按分：各地域の値はその地域内に面積に比例して一様に分布すると仮定し、対象範囲と重なる面積の割合"
    "（重なり面積 ÷ 地域の面積）を掛けて合計した推計値です。 / Areal weighting: each source area's value is"
    " assumed spread uniformly over its area; the estimate sums value × (overlap / source area)."
)
METHOD = "PostGIS ST_Intersection / ST_Area on EPSG:6933 (equal-area), N03 boundaries of 2021-01-01"


class Part(msgspec.Struct, kw_only=True):
    code: str
    name: str
    area_km2: float
    overlap_km2: float
    share: float  # overlap / area of the source
    value: float | None  # None: suppressed or missing (never shown)
    contribution: float | None
    note: str = ""


class Allocation(msgspec.Struct, kw_only=True):
    stats_data_id: str
    title: str
    selection: str
    unit: str
    level: str
    target_km2: float
    estimate: float
    covered_share: float  # of the target's area, the share lying in sources with a value
    complete: bool  # False when a source's cell was suppressed or missing
    parts: list[Part]
    assumption: str = ASSUMPTION
    method: str = METHOD
    credit: str = CREDIT


class Overlap(msgspec.Struct, kw_only=True):
    code: str
    name: str
    area_km2: float
    overlap_km2: float


OVERLAPS = """
WITH t AS (SELECT ST_GeomFromEWKB($1) AS g)
SELECT b.code, b.name, ST_Area(b.geom_ea) / 1e6 AS area_km2, ST_Area(ST_Intersection(b.geom_ea, t.g)) / 1e6 AS overlap_km2
FROM gis_boundary b CROSS JOIN t
WHERE b.level = $2 AND b.vintage = $3 AND ST_Intersects(b.geom_ea, t.g)
ORDER BY b.code"""


async def overlaps(uow: UnitOfWork, target_ea: bytes, level: str) -> list[Overlap]:
    """The sources of a level the target (EPSG:6933 geometry as EWKB, see targets.py) overlaps."""
    rows = await uow.rows(Overlap, OVERLAPS, target_ea, level, VINTAGE)
    return [r for r in rows if r.overlap_km2 > 0]


def combine(
    choice: choropleth.Choice, level: str, target_km2: float, found: list[Overlap], values: dict[str, float]
) -> Allocation:
    parts = []
    for o in found:
        share = o.overlap_km2 / o.area_km2 if o.area_km2 else 0.0
        v = values.get(o.code)
        note = "" if v is not None else "秘匿・データなし（推計に含めない） / suppressed or missing: not counted"
        parts.append(
            Part(
                code=o.code,
                name=o.name,
                area_km2=o.area_km2,
                overlap_km2=o.overlap_km2,
                share=share,
                value=v,
                contribution=None if v is None else share * v,
                note=note,
            )
        )
    counted = sum(p.overlap_km2 for p in parts if p.value is not None)
    return Allocation(
        stats_data_id=choice.stats_data_id,
        title=choice.title,
        selection=choice.label(),
        unit=choice.unit(),
        level=level,
        target_km2=target_km2,
        estimate=sum(p.contribution for p in parts if p.contribution is not None),
        covered_share=counted / target_km2 if target_km2 else 0.0,
        complete=all(p.value is not None for p in parts),
        parts=parts,
    )
