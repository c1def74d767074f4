"""The GIS's read interface for the other parts (docs/decisions/0010): areas of the boundaries and the
vector tiles' address. Others never name gis_boundary; they call these with their own unit of work.

Boundaries are the 国土数値情報 N03 (MLIT) administrative areas of vintage 2021-01-01: prefectures
(codes "13000") and municipalities with designated cities dissolved into the city ("04100", not its
wards "04101"; Tokyo's special wards "13101" are municipalities). Areas are measured in an
equal-area projection (EPSG:6933) on the simplified published boundaries (small islands dropped), so
they differ from GSI's official 面積 by about 1 % (Sapporo 1,117 vs 1,121 km²) and up to 6 % for
island prefectures (Tokyo 2,066 vs 2,194): good for densities, not for the record.

Maps: every map shows MLIT's credit (`CREDIT`) and draws tiles from `TILE_URL` (Mapbox Vector Tiles,
one layer named `areas` with properties `code`, `name` and, when `table` is given, `value`: the
table's cell for the area, absent when suppressed or missing).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import msgspec

from govstat.platform.db.uow import UnitOfWork

READS_FOR_OTHERS = True

VINTAGE = dt.date(2021, 1, 1)
LEVELS = ("prefecture", "municipality")
CREDIT = "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成"

# {level}: prefecture | municipality. Query: table=<statsDataId> and one code per other dimension
# of the table (tab=, cat01=, time=...; default: each dimension's first item). Public, cached by the
# data's version (ETag). MapLibre: {"type": "vector", "tiles": [origin + tile_url(...)]}, source-layer "areas".
TILE_URL = "/api/gis/tiles/{level}/{z}/{x}/{y}.mvt"


def tile_url(level: str, table: str | None = None, **dims: str) -> str:
    """The tile URL template for a level, optionally coloured by a published table's cells."""
    query = urlencode({k: v for k, v in {"table": table, **dims}.items() if v})
    url = TILE_URL.replace("{level}", level)
    return f"{url}?{query}" if query else url


class Boundary(msgspec.Struct, kw_only=True):
    code: str
    level: str
    pref_code: str
    name: str
    area_km2: float


def _code5(code: str) -> str:
    c = code.strip()
    if len(c) == 2:
        return c + "000"  # a prefecture's 2-digit code
    return c[:5]  # a 6-digit code with its check digit


async def land_area_km2(uow: UnitOfWork, codes: list[str], vintage: dt.date = VINTAGE) -> dict[str, float]:
    """Area in km² of each code's boundary (prefecture or municipality), keyed by the code as given
    (2-, 5- or 6-digit). Codes without a boundary (wards of designated cities, unknown codes) are
    left out."""
    by5: dict[str, list[str]] = {}
    for c in codes:
        by5.setdefault(_code5(c), []).append(c)
    rows = await uow.fetch(
        "SELECT code, area_km2 FROM gis_boundary WHERE code = ANY($1::text[]) AND vintage = $2", list(by5), vintage
    )
    return {given: float(r["area_km2"]) for r in rows for given in by5.get(r["code"], [])}


async def boundaries(uow: UnitOfWork, level: str, vintage: dt.date = VINTAGE) -> list[Boundary]:
    """Every boundary of a level (without geometry), by code."""
    return await uow.rows(
        Boundary,
        "SELECT code, level, pref_code, name, area_km2 FROM gis_boundary WHERE level = $1 AND vintage = $2"
        " ORDER BY code",
        level,
        vintage,
    )
