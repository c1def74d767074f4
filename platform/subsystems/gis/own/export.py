"""Export of everything a tenant made in the GIS: its saved areas as GeoJSON and each uploaded file of
points as CSV (latitude, longitude, weight, its own fields; every cell through spreadsheet.py), zipped."""

from __future__ import annotations

import io
import json
import zipfile

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.gis.published import CREDIT
from govstat.platform.web.spreadsheet import csv_writer


async def export_zip(uow: UnitOfWork) -> tuple[bytes, int]:
    w = Where().scoped(uow)
    areas = await uow.fetch(
        f"SELECT id, name, area_km2, created_at, ST_AsGeoJSON(geom, 9) AS g FROM gis_area WHERE {w} ORDER BY created_at",
        *w.args,
    )
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "id": str(a["id"]),
                    "name": a["name"],
                    "area_km2": a["area_km2"],
                    "created_at": a["created_at"].isoformat(),
                },
                "geometry": json.loads(a["g"]),
            }
            for a in areas
        ],
    }
    out = io.BytesIO()
    count = len(areas)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("areas.geojson", json.dumps(collection, ensure_ascii=False))
        for ds in await uow.fetch(f"SELECT id, name, fields FROM gis_dataset WHERE {w} ORDER BY created_at", *w.args):
            rows = await uow.fetch(
                "SELECT line, ST_Y(geom) AS lat, ST_X(geom) AS lon, weight, attrs::text AS attrs FROM gis_point"
                " WHERE dataset_id = $1 ORDER BY line",
                ds["id"],
            )
            text = io.StringIO()
            writer = csv_writer(text)
            fields = list(ds["fields"])
            writer.writerow(["line", "latitude", "longitude", "weight", *fields])
            for r in rows:
                attrs = json.loads(r["attrs"])
                writer.writerow([r["line"], r["lat"], r["lon"], r["weight"], *(attrs.get(f, "") for f in fields)])
            z.writestr(f"points/{ds['id']}.csv", "\ufeff" + text.getvalue())
            count += len(rows)
        z.writestr("README.txt", f"govstat GIS export: areas.geojson and points/<dataset id>.csv\n{CREDIT}\n")
    return out.getvalue(), count
