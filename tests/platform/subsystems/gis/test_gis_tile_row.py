"""Review h21: a tile's row of thousands of digits is the row's problem (422), not a 500: the route
read it with int(), which refuses past 4,300 digits, before comparing it with the zoom's range. Any
anonymous caller could make the app log a server error per request; so could a superscript digit ("²"
is a digit to str.isdigit, not to int)."""


async def test_a_tile_row_of_many_digits_is_refused_as_out_of_range(client):
    for row in ("9" * 5000, "²"):
        r = await client.get(f"/api/gis/tiles/prefecture/1/0/{row}.mvt")
        assert r.status_code == 422, r.text[:300]
        assert r.json()["errors"][0]["field"] == "y"
