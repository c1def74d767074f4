"""Boundary downloads per level and vintage: GeoJSON (made by PostGIS) and ESRI shapefile (written with
pyshp: .shp/.shx/.dbf with a UTF-8 .cpg and the WGS 84 .prj, zipped), each with the MLIT credit."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.gis.published import CREDIT

PRJ = (
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)

ROWS = """
SELECT code, name, pref_code, area_km2, ST_AsGeoJSON(geom, 15) AS geometry
FROM gis_boundary WHERE level = $1 AND vintage = $2 AND ($3::text IS NULL OR pref_code = $3) ORDER BY code"""


async def geojson(uow: UnitOfWork, level: str, vintage: dt.date, pref: str | None) -> tuple[bytes, int]:
    rows = await uow.fetch(ROWS, level, vintage, pref)
    features = [
        f'{{"type":"Feature","properties":{json.dumps({k: r[k] for k in ("code", "name", "pref_code", "area_km2")}, ensure_ascii=False)},"geometry":{r["geometry"]}}}'
        for r in rows
    ]
    head = json.dumps(
        {"name": f"{level}-{vintage.isoformat()}", "credit": CREDIT, "vintage": vintage.isoformat()}, ensure_ascii=False
    )[:-1]
    body = head + ',"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    return body.encode(), len(rows)


async def shapefile_zip(uow: UnitOfWork, level: str, vintage: dt.date, pref: str | None) -> tuple[bytes, int]:
    # Imported on first use: a heavy library few requests need (issue 15, the app's base RSS)
    import shapefile

    rows = await uow.fetch(ROWS, level, vintage, pref)
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding="utf-8") as w:
        w.field("CODE", "C", size=5)
        w.field("NAME", "C", size=60)
        w.field("PREF", "C", size=2)
        w.field("AREA_KM2", "N", size=14, decimal=4)
        for r in rows:
            w.record(r["code"], r["name"], r["pref_code"], round(float(r["area_km2"]), 4))
            geometry = json.loads(r["geometry"]) if r["geometry"] else None
            if geometry and geometry.get("coordinates"):
                w.shape(geometry)
            else:  # an area without a drawn boundary: a null shape keeps its record (pyshp 3 refuses empty polygons)
                w.null()
    stem = f"{level}_{vintage.strftime('%Y%m%d')}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for ext, buf in (("shp", shp), ("shx", shx), ("dbf", dbf)):
            z.writestr(f"{stem}.{ext}", buf.getvalue())
        z.writestr(f"{stem}.prj", PRJ)
        z.writestr(f"{stem}.cpg", "UTF-8")
        z.writestr(
            "README.txt", f"{CREDIT}\n境界：{vintage.isoformat()} 現在 / boundaries as of {vintage.isoformat()}\n"
        )
    return out.getvalue(), len(rows)
