"""面積按分 (issue 12 §3, §5): a polygon equal to a municipality returns its value, a half-and-half polygon
the area-weighted mix, targets that partition an area keep its total (1e-9), a buffer around a point,
and a suppressed cell is never used. Expected values are computed here with shapely's planar
geometry on the boundaries' own GeoJSON download, not taken from the service."""

import pytest
from shapely.geometry import box, mapping, shape


async def _tokyo(client) -> dict[str, dict]:
    r = await client.get("/api/gis/download", params={"level": "municipality", "pref": "13", "format": "geojson"})
    assert r.status_code == 200 and "国土数値情報" in r.json()["credit"]
    return {f["properties"]["code"]: f for f in r.json()["features"]}


async def _allocate(client, body) -> dict:
    r = await client.post("/api/gis/allocate", json=body)
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_polygon_equal_to_a_municipality_returns_its_value(client, census):
    sid, tokyo = census, await _tokyo(client)
    res = await _allocate(client, {"table": sid, "geometry": tokyo["13101"]["geometry"], "picks": {"cat01": "0"}})
    assert res["estimate"] == pytest.approx(66680, rel=1e-6)  # 千代田区, 2020
    main = next(p for p in res["parts"] if p["code"] == "13101")
    assert main["share"] == pytest.approx(1.0, rel=1e-9) and main["value"] == 66680
    assert all(p["share"] < 1e-6 for p in res["parts"] if p["code"] != "13101")  # neighbours: only the shared edge
    assert "面積按分" in res["assumption"] and res["complete"]


async def test_a_half_and_half_polygon_returns_the_area_weighted_mix(client, census):
    sid, tokyo = census, await _tokyo(client)
    a, b = shape(tokyo["13101"]["geometry"]), shape(tokyo["13102"]["geometry"])  # 千代田区, 中央区
    west_a = a.intersection(box(a.bounds[0], a.bounds[1], a.centroid.x, a.bounds[3]))
    east_b = b.intersection(box(b.centroid.x, b.bounds[1], b.bounds[2], b.bounds[3]))
    target = west_a.union(east_b)
    res = await _allocate(client, {"table": sid, "geometry": mapping(target)})
    values = {p["code"]: p["value"] for p in res["parts"]}
    # planar area ratios in lon/lat are equal-area ratios to within 1e-4 over a few km
    expected = west_a.area / a.area * values["13101"] + east_b.area / b.area * values["13102"]
    assert res["estimate"] == pytest.approx(expected, rel=2e-3)
    shares = {p["code"]: p["share"] for p in res["parts"] if p["share"] > 1e-6}
    assert set(shares) == {"13101", "13102"}
    assert 0.2 < shares["13101"] < 0.8 and 0.2 < shares["13102"] < 0.8


async def test_targets_that_partition_an_area_keep_its_total(client, census):
    sid = census
    west, south, east, north = 139.60, 35.55, 139.90, 35.80  # central Tokyo and its neighbours
    whole = await _allocate(client, {"table": sid, "geometry": mapping(box(west, south, east, north))})
    xs, ys = [west, 139.71, 139.77, east], [south, 35.66, north]
    cells = [box(xs[i], ys[j], xs[i + 1], ys[j + 1]) for i in range(3) for j in range(2)]
    parts = [await _allocate(client, {"table": sid, "geometry": mapping(c)}) for c in cells]
    assert sum(p["estimate"] for p in parts) == pytest.approx(whole["estimate"], rel=1e-9)
    # each source's shares across the cells add up to its share of the whole
    for src in whole["parts"]:
        across = sum(q["share"] for p in parts for q in p["parts"] if q["code"] == src["code"])
        assert across == pytest.approx(src["share"], rel=1e-9, abs=1e-12)


async def test_a_buffer_around_a_point_and_a_suppressed_source(client, census):
    sid = census
    # 1 km around Tokyo station: inside 千代田区 and 中央区
    res = await _allocate(client, {"table": sid, "point": {"lat": 35.681236, "lon": 139.767125, "radius_m": 1000}})
    assert res["target_km2"] == pytest.approx(3.14159, rel=0.01)
    assert {p["code"] for p in res["parts"]} >= {"13101", "13102"} and res["estimate"] > 0
    # 双葉町's census cell is "-": listed with its share, no value, not counted
    res = await _allocate(client, {"table": sid, "point": {"lat": 37.449, "lon": 141.012, "radius_m": 3000}})
    futaba = next(p for p in res["parts"] if p["code"] == "07546")
    assert futaba["value"] is None and futaba["contribution"] is None and "秘匿" in futaba["note"]
    assert not res["complete"] and res["covered_share"] < 1


async def test_bad_targets_are_problems_naming_the_field(client, census):
    sid = census
    r = await client.post(
        "/api/gis/allocate", json={"table": sid, "geometry": {"type": "Point", "coordinates": [139, 35]}}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "geometry"
    r = await client.post("/api/gis/allocate", json={"table": sid, "geometry": mapping(box(-10, 0, -9, 1))})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "geometry"
    r = await client.post("/api/gis/allocate", json={"table": sid})
    assert r.status_code == 422
