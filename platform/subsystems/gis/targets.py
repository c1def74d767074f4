"""Target areas for allocation and aggregation, as equal-area (EPSG:6933) EWKB made by PostGIS: a GeoJSON
polygon (checked with shapely: its type, validity, extent and size), a saved area of the caller's
tenant, or a buffer of a radius in metres around a point (on the spheroid)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound

MAX_VERTICES = 50_000
JAPAN = (120.0, 20.0, 155.0, 47.0)  # west, south, east, north: where the boundaries are


def polygon(geojson: Any, field: str = "geometry") -> str:
    """The GeoJSON (a geometry, a Feature or a FeatureCollection of polygons) as WKT in lon/lat."""
    # Imported on first use: a heavy library few requests need (issue 15, the app's base RSS)
    import shapely
    from shapely.geometry import MultiPolygon, Polygon, shape

    try:
        if isinstance(geojson, dict) and geojson.get("type") == "Feature":
            geojson = geojson.get("geometry")
        if isinstance(geojson, dict) and geojson.get("type") == "FeatureCollection":
            geoms = [shape(f["geometry"]) for f in geojson.get("features", [])]
            geom = shapely.union_all(geoms) if geoms else Polygon()
        else:
            geom = shape(geojson)
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError) as exc:
        raise InvalidInput.field(field, f"GeoJSON として読めません / not GeoJSON: {exc}") from exc
    if not isinstance(geom, Polygon | MultiPolygon) or geom.is_empty:
        raise InvalidInput.field(field, "Polygon か MultiPolygon を指定してください / a Polygon or MultiPolygon")
    if shapely.get_num_coordinates(geom) > MAX_VERTICES:
        raise InvalidInput.field(field, f"頂点は {MAX_VERTICES:,} 個までです / at most {MAX_VERTICES:,} vertices")
    west, south, east, north = geom.bounds
    if west < JAPAN[0] or south < JAPAN[1] or east > JAPAN[2] or north > JAPAN[3]:
        raise InvalidInput.field(field, "経度・緯度の順で日本の範囲内の座標を指定してください / lon, lat within Japan")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return str(geom.wkt)


async def from_wkt(uow: UnitOfWork, wkt: str) -> tuple[bytes, float]:
    row = await uow.fetchrow(
        "SELECT ST_AsEWKB(g) AS g, ST_Area(g) / 1e6 AS km2"
        " FROM (SELECT ST_Transform(ST_SetSRID(ST_GeomFromText($1), 4326), 6933) AS g) t",
        wkt,
    )
    assert row is not None
    return bytes(row["g"]), float(row["km2"])


async def from_area(uow: UnitOfWork, area_id: uuid.UUID) -> tuple[bytes, float]:
    row = await uow.fetchrow("SELECT ST_AsEWKB(geom_ea) AS g, area_km2 FROM gis_area WHERE id = $1", area_id)
    if row is None:
        raise NotFound(f"範囲 {area_id} は見つかりません / area not found")
    return bytes(row["g"]), float(row["area_km2"])


async def buffer(uow: UnitOfWork, lat: float, lon: float, radius_m: float) -> tuple[bytes, float]:
    if not (JAPAN[1] <= lat <= JAPAN[3] and JAPAN[0] <= lon <= JAPAN[2]):
        raise InvalidInput.field("point", "日本の範囲内の緯度・経度を指定してください / a point within Japan")
    row = await uow.fetchrow(
        "SELECT ST_AsEWKB(g) AS g, ST_Area(g) / 1e6 AS km2 FROM (SELECT ST_Transform(ST_Buffer("
        "ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, $3, 'quad_segs=16')::geometry, 6933) AS g) t",
        lat,
        lon,
        radius_m,
    )
    assert row is not None
    return bytes(row["g"]), float(row["km2"])


def as_json(value: str | dict[str, Any]) -> Any:
    return json.loads(value) if isinstance(value, str) else value
