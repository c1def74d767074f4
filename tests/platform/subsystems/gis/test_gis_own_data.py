"""GIS-1 §3: an agency's own areas and points, through the API with an API key: line-and-field errors,
aggregation into municipalities, meshes and its areas, allocation on a saved area, tenancy (another
tenant's ids answer 404), audit and events; boundary downloads as GeoJSON and shapefile."""

import io
import json
import zipfile

import shapefile

from tests.support.factories import api_key, audit_events, make_tenant, outbox_mark
from tests.support.world_gis import SQUARE

CSV = "名称,緯度,経度,値\n東京都庁,35.689634,139.692101,5\n皇居,35.685175,139.752800,2\n奈良駅,34.681,135.819,1\n"


async def test_points_areas_aggregation_and_tenancy(client, census):
    a, b = await make_tenant(modules=("gis",)), await make_tenant(modules=("gis",))
    ha, hb = {"x-api-key": await api_key(a.id)}, {"x-api-key": await api_key(b.id)}
    since = await outbox_mark()
    bad = "lat,lon\n35.6,139.7\n95,139.7\n35.6,経度\n"
    r = await client.post("/api/gis/datasets", headers=ha, files={"file": ("bad.csv", bad.encode(), "text/csv")})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["line 3: latitude", "line 4: longitude"]
    r = await client.post(
        "/api/gis/datasets",
        headers=ha,
        data={"name": "店舗"},
        files={"file": ("p.csv", CSV.encode("cp932"), "text/csv")},
    )
    assert r.status_code == 201, r.text
    ds = r.json()
    assert ds["points"] == 3 and ds["fields"] == ["名称", "値"]
    r = await client.post("/api/gis/areas", headers=ha, json={"name": "丸の内周辺", "geometry": SQUARE})
    assert r.status_code == 201 and 10 < r.json()["area_km2"] < 15
    area = r.json()

    agg = (await client.get(f"/api/gis/datasets/{ds['id']}/aggregate", headers=ha)).json()
    assert {(g["code"], g["points"], g["total"]) for g in agg["groups"]} == {
        ("13104", 1, 5.0),  # 新宿区
        ("13101", 1, 2.0),  # 千代田区
        ("29201", 1, 1.0),  # 奈良市
    }
    meshes = (await client.get(f"/api/gis/datasets/{ds['id']}/aggregate", params={"by": "mesh3"}, headers=ha)).json()
    assert {g["code"]: g["points"] for g in meshes["groups"]}["53394525"] == 1  # 都庁's 1 km mesh
    mine = (await client.get(f"/api/gis/datasets/{ds['id']}/aggregate", params={"by": "area"}, headers=ha)).json()
    assert [(g["name"], g["points"]) for g in mine["groups"]] == [("丸の内周辺", 1)] and mine["outside"] == 2

    # allocation on the saved area; B cannot use, read or delete A's area or points
    sid = census
    res = (await client.post("/api/gis/allocate", headers=ha, json={"table": sid, "area_id": area["id"]})).json()
    assert res["target_km2"] == area["area_km2"] and res["estimate"] > 0
    assert (
        await client.post("/api/gis/allocate", headers=hb, json={"table": sid, "area_id": area["id"]})
    ).status_code == 404
    assert (await client.get(f"/api/gis/datasets/{ds['id']}/aggregate", headers=hb)).status_code == 404
    assert (await client.get(f"/api/gis/areas/{area['id']}", headers=hb)).status_code == 404
    assert (await client.delete(f"/api/gis/areas/{area['id']}", headers=hb)).status_code == 404
    assert (await client.get("/api/gis/datasets", headers=hb)).json() == []
    export = zipfile.ZipFile(io.BytesIO((await client.get("/api/gis/export", headers=ha)).content))
    assert json.loads(export.read("areas.geojson"))["features"][0]["properties"]["name"] == "丸の内周辺"
    assert "東京都庁" in export.read(f"points/{ds['id']}.csv").decode("utf-8-sig")
    other = zipfile.ZipFile(io.BytesIO((await client.get("/api/gis/export", headers=hb)).content))
    assert json.loads(other.read("areas.geojson"))["features"] == [] and other.namelist() == [
        "areas.geojson",
        "README.txt",
    ]
    assert (await client.delete(f"/api/gis/datasets/{ds['id']}", headers=ha)).status_code == 204
    audited = {
        (e.detail["operation"], e.detail["method"], e.outcome) for e in await audit_events(since, a.id, "gateway.")
    }
    assert audited >= {
        ("gis.upload", "POST", "success"),
        ("gis.areas", "POST", "success"),
        ("gis.upload", "DELETE", "success"),
    }


async def test_boundary_downloads(client):
    r = await client.get("/api/gis/download", params={"level": "municipality", "pref": "29", "format": "shapefile"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert {n.rsplit(".", 1)[-1] for n in z.namelist()} >= {"shp", "shx", "dbf", "prj", "cpg"}
    stem = "municipality_20210101"
    reader = shapefile.Reader(
        shp=io.BytesIO(z.read(f"{stem}.shp")),
        shx=io.BytesIO(z.read(f"{stem}.shx")),
        dbf=io.BytesIO(z.read(f"{stem}.dbf")),
    )
    records = {rec["CODE"]: rec["NAME"] for rec in reader.records()}
    assert len(records) == 39 and records["29201"] == "奈良市"
    assert "国土数値情報" in z.read("README.txt").decode()
    # the shipped 0.1 % national file drew 大治町 as nothing: its record stays, with a null shape
    r = await client.get("/api/gis/download", params={"level": "municipality", "pref": "23", "format": "shapefile"})
    assert r.status_code == 200
    z = zipfile.ZipFile(io.BytesIO(r.content))
    reader = shapefile.Reader(**{ext: io.BytesIO(z.read(f"{stem}.{ext}")) for ext in ("shp", "shx", "dbf")})
    shapes = {rec["CODE"]: shape.shapeType for rec, shape in zip(reader.records(), reader.shapes(), strict=True)}
    assert shapes["23424"] == shapefile.NULL and shapes["23100"] == shapefile.POLYGON
    r = await client.get("/api/gis/download", params={"level": "prefecture"})
    assert len(r.json()["features"]) == 47 and r.headers["content-type"].startswith("application/geo+json")
    assert (await client.get("/api/gis/download", params={"vintage": "2020-01-01"})).status_code == 422


async def test_area_report_page(client, census):
    r = await client.get("/gis/areas/13101", params={"table": census})
    assert r.status_code == 200 and "千代田区" in r.text and "地域レポート" in r.text
    assert "66,680" in r.text and "国土数値情報" in r.text  # the census total and the MLIT credit
    assert 'data-code="0"' in r.text and 'data-code="2"' in r.text  # 総数, 男, 女
    futaba = await client.get("/gis/areas/07546", params={"table": census})
    assert futaba.status_code == 200 and "秘匿・データなし" in futaba.text
    assert (await client.get("/gis/areas/99999")).status_code == 404
