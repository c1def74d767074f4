"""Hardening (issue 8): integers too large for the database answer 422 naming the parameter, on every
route (problems.py asks platform/web/ranges.py), instead of a 500 (schema fuzzing found
`/api/metadata/surveys/{id}/export?version=` followed by 30 digits)."""

import uuid

from tests.platform.subsystems.estat.estat_support import published_census

BIG = "1" * 30


def _names(r) -> list[str]:
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    return [e["field"] for e in r.json()["errors"]]


async def test_metadata_export_version_out_of_range_is_422_naming_it(client):
    record = uuid.uuid4()
    assert _names(await client.get(f"/api/metadata/surveys/{record}/export", params={"version": BIG})) == ["version"]
    # int4 overflow too (fits int64, not the column), and the neighbouring read route
    assert _names(await client.get(f"/api/metadata/surveys/{record}", params={"version": "3000000000"})) == ["version"]
    assert (await client.get(f"/api/metadata/surveys/{record}/export", params={"version": "1"})).status_code == 404


async def test_other_integer_parameters_out_of_range_are_422_naming_them(client):
    census = await published_census()
    assert _names(await client.get("/api/area/changes", params={"offset": BIG})) == ["offset"]
    assert _names(await client.get("/api/metadata/surveys", params={"offset": BIG, "limit": "5"})) == ["offset"]
    assert _names(await client.get(f"/lod/tables/{census['stats_data_id']}", params={"page": BIG})) == ["page"]
    assert _names(await client.get(f"/estat/tables/{census['stats_data_id']}", params={"start": BIG})) == ["start"]
    ok = await client.get("/api/area/changes", params={"offset": "0", "limit": "1"})
    assert ok.status_code == 200


async def test_a_json_body_field_out_of_range_is_422_naming_it(client):
    from tests.platform.subsystems.statdb.statdb_support import agency
    from tests.support.factories import api_key

    owner = await agency()
    h = {"x-api-key": await api_key(owner.id)}
    body = {"gov_stat_code": "00200521", "code": "big", "name_ja": "大きすぎる位置", "position": 10**30}
    r = await client.post("/api/tables/classes", json=body, headers=h)
    assert _names(r) == ["position"]
    assert (await client.post("/api/tables/classes", json={**body, "position": 1}, headers=h)).status_code == 201


def test_an_overflow_no_parameter_explains_stays_an_internal_error():
    """A bug must not be dressed as bad input."""
    from litestar.testing import RequestFactory

    from govstat.platform.web.ranges import out_of_range

    request = RequestFactory().get("/x", query_params={"limit": "10"})
    assert out_of_range(request, OverflowError("int too large")) is None
    assert out_of_range(request, ValueError("not a range error")) is None
    big = RequestFactory().get("/x", query_params={"offset": BIG})
    assert out_of_range(big, OverflowError("Python int too large")).errors[0].field == "offset"
