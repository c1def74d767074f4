"""Bad input found by the schema fuzz (tests/adversarial/test_schema_fuzz.py) answers 422 problem
details naming what is wrong, never 500: paging numbers beyond the database's integers, a class
position beyond its column, and text holding a NUL character."""

import uuid

import pytest

from govstat.platform.db.uow import translate_db_error
from tests.support.factories import api_key, make_tenant

HUGE = "32646277268011180032"  # > 2**63: the driver cannot even send it


def _names(r, field: str) -> bool:
    body = r.json()
    return r.headers["content-type"].startswith("application/problem+json") and (
        field in body.get("detail", "") or any(e.get("field") == field for e in body.get("errors", []))
    )


@pytest.mark.parametrize(
    "url,field",
    [
        (f"/api/area/codes?offset={HUGE}", "offset"),
        (f"/api/area/changes?offset={HUGE}", "offset"),
        (f"/api/metadata/surveys?offset={HUGE}", "offset"),
        (f"/lod/tables/0000000001?page={HUGE}", "page"),
    ],
)
async def test_public_paging_beyond_the_database_integers_is_bad_input(client, url, field):
    r = await client.get(url)
    assert r.status_code == 422, r.text
    assert _names(r, field), r.text


async def test_agency_paging_and_positions_beyond_the_columns_are_bad_input(client):
    tenant = await make_tenant(modules=("tables", "statdb", "metadata"))
    h = {"x-api-key": await api_key(tenant.id, roles=("agency_admin", "agency_staff"))}
    for url, field in (
        (f"/api/tables/files?offset={HUGE}", "offset"),
        (f"/api/statdb/tables?offset={HUGE}", "offset"),
        (f"/api/statdb/tables/0000000001/data?start={HUGE}", "start"),
        (f"/api/ops/helpdesk/tickets?offset={HUGE}", "offset"),
        (f"/api/ops/audit?offset={HUGE}", "offset"),
    ):
        r = await client.get(url, headers=h)
        assert r.status_code == 422 and _names(r, field), (url, r.status_code, r.text)
    r = await client.post(
        "/api/tables/classes",
        headers=h,
        json={"gov_stat_code": "00200521", "code": "big", "name_ja": "大きすぎる順序", "position": 2**31},
    )
    assert r.status_code == 422 and _names(r, "position"), r.text
    r = await client.patch(f"/api/tables/classes/{uuid.uuid4()}", headers=h, json={"position": 2**40})
    assert r.status_code == 422 and _names(r, "position"), r.text


async def test_a_nul_character_in_text_is_bad_input(client):
    tenant = await make_tenant()
    h = {"x-api-key": await api_key(tenant.id, roles=("agency_admin", "agency_staff"))}
    r = await client.get("/api/ops/audit", params={"action": "\x00"}, headers=h)
    assert r.status_code == 422, r.text
    assert "NUL" in r.json()["detail"]


def test_the_database_refusing_a_character_translates_to_invalid_input():
    import asyncpg

    for cls in (asyncpg.CharacterNotInRepertoireError, asyncpg.UntranslatableCharacterError):
        translated = translate_db_error(cls('invalid byte sequence for encoding "UTF8": 0x00'))
        assert translated is not None and translated.status == 422
