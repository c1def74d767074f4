"""GIS-1 maps: vector tiles from PostGIS coloured by a published table, cached by the data's version,
never carrying a suppressed cell; class breaks of the choropleth."""

from tests.support.mvt import decode

TOKYO_Z5 = "/api/gis/tiles/municipality/5/28/12.mvt"  # Kanto


async def test_a_tile_carries_the_areas_and_the_tables_values(client, census):
    sid = census
    r = await client.get(TOKYO_Z5, params={"table": sid, "cat01": "0"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.mapbox-vector-tile")
    areas = {f["code"]: f for f in decode(r.content)["areas"]}
    assert areas["13101"]["name"] == "千代田区" and areas["13101"]["value"] == 66680  # 2020 census, total
    # 双葉町 had no residents in 2020: its cells are the special character "-", never a value in a tile
    assert areas["07546"]["name"] == "双葉町" and "value" not in areas["07546"]
    women = decode((await client.get(TOKYO_Z5, params={"table": sid, "cat01": "2"})).content)["areas"]
    assert 0 < {f["code"]: f.get("value") for f in women}["13101"] < 66680
    plain = decode((await client.get(TOKYO_Z5)).content)["areas"]
    assert plain and all("value" not in f for f in plain)


async def test_tiles_are_cached_and_etags_follow_the_content(client, census):
    sid = census
    url = "/api/gis/tiles/prefecture/6/56/25.mvt"
    first = await client.get(url, params={"table": sid})
    again = await client.get(url, params={"table": sid})
    assert again.headers["x-tile-cache"] == "hit" and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    r = await client.get(url, params={"table": sid}, headers={"if-none-match": first.headers["etag"]})
    assert r.status_code == 304 and r.content == b""
    # a tile far out at sea has no area of the table: its content and ETag do not depend on the table
    sea = "/api/gis/tiles/municipality/7/127/50.mvt"
    assert (await client.get(sea, params={"table": sid})).headers["etag"] == (await client.get(sea)).headers["etag"]


async def test_bad_tiles_and_tables_are_problems(client, census):
    assert (await client.get("/api/gis/tiles/municipality/3/8/1.mvt")).status_code == 422
    assert (await client.get("/api/gis/tiles/municipality/3/1/1.png")).status_code == 422
    assert (await client.get(TOKYO_Z5, params={"table": "9999999999"})).status_code == 404
    r = await client.get(TOKYO_Z5, params={"table": census, "cat01": "7"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cat01"


async def test_choropleth_breaks_by_method(client, census):
    sid = census
    legends = {}
    for method in ("quantile", "jenks", "equal"):
        r = await client.get("/api/gis/choropleth", params={"table": sid, "method": method, "classes": 5})
        assert r.status_code == 200, r.text
        legends[method] = body = r.json()
        assert len(body["breaks"]) == 4 and body["breaks"] == sorted(body["breaks"]) and len(body["colors"]) == 5
        assert sum(body["counts"]) + body["missing"] == body["areas"] >= 1740
        assert "国土数値情報" in body["credit"] and body["table_url"].endswith(sid)
    # quantiles put about a fifth of the areas in each class; equal intervals put most in the first
    assert max(legends["quantile"]["counts"]) < 0.3 * sum(legends["quantile"]["counts"])
    assert legends["equal"]["counts"][0] > 0.8 * sum(legends["equal"]["counts"])
    assert legends["jenks"]["breaks"] != legends["quantile"]["breaks"]
