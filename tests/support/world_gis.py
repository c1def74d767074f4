"""Tenant A's own GIS data: a saved area and a file of points, made through the GIS's API with A's
API key, each with the world's marker in its name and contents."""

from __future__ import annotations

from tests.support.factories import another_client

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[139.74, 35.67], [139.78, 35.67], [139.78, 35.70], [139.74, 35.70], [139.74, 35.67]]],
}


async def build(world, app) -> None:
    m = world.marker
    h = {"x-api-key": world.extra["a_api_key"]}
    async with another_client(app) as c:
        r = await c.post("/api/gis/areas", headers=h, json={"name": f"非公開の範囲 {m}", "geometry": SQUARE})
        assert r.status_code == 201, r.text
        world.own("gis_area", r.json()["id"])
        csv = f"name,lat,lon,value\n店舗 {m},35.681236,139.767125,3\n".encode()
        r = await c.post(
            "/api/gis/datasets",
            headers=h,
            data={"name": f"非公開の地点 {m}"},
            files={"file": ("p.csv", csv, "text/csv")},
        )
        assert r.status_code == 201, r.text
        world.own("gis_dataset", r.json()["id"])
