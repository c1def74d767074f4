"""AUTH-2: the operator keeps the masters (agencies, divisions, systems, statistical fields,
government statistics); agency staff read them; bad input is refused whole."""

import pytest

from tests.support import factories as f

API = "/api/auth/masters"
PROBLEM = "application/problem+json"


def sample(kind: str, suffix: str) -> dict:
    digits = str(int(suffix, 16) % 10_000).zfill(4)
    return {
        "agencies": {"code": f"9{digits}", "name_ja": "テスト庁", "name_en": "Test Agency"},
        "divisions": {"agency_code": "00200", "code": f"div-{suffix}", "name_ja": "テスト課"},
        "systems": {"code": f"sys{''.join(chr(97 + int(c, 16) % 26) for c in suffix)}", "name_ja": "テスト系"},
        "stat-fields": {"code": f"T{digits}", "name_ja": "テスト分野"},
        "statistics": {
            "code": f"9999{digits}",
            "name_ja": "テスト統計調査",
            "agency_code": "00200",
            "field_code": "02",
            "cycle": "年次",
        },
    }[kind]


def key_of(kind: str, row: dict) -> str:
    return row["id"] if kind == "divisions" else row["code"]


async def listed(client, kind: str) -> dict[str, dict]:
    r = await client.get(f"{API}/{kind}")
    assert r.status_code == 200, r.text
    return {key_of(kind, row): row for row in r.json()}


@pytest.mark.parametrize("kind", ["agencies", "divisions", "systems", "stat-fields", "statistics"])
async def test_operator_creates_updates_and_deletes_a_master_row(client, kind):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    body = sample(kind, f.unique("")[:8])
    mark = await f.outbox_mark()

    created = await client.put(f"{API}/{kind}", headers=h, json=body)
    assert created.status_code == 200, created.text
    key = key_of(kind, created.json())
    assert (await listed(client, kind))[key]["name_ja"] == body["name_ja"]

    updated = await client.put(f"{API}/{kind}", headers=h, json={**body, "name_ja": "改称後"})
    assert updated.status_code == 200 and key_of(kind, updated.json()) == key  # the same row, not a second one
    rows = await listed(client, kind)
    assert rows[key]["name_ja"] == "改称後"

    assert (await client.delete(f"{API}/{kind}/{key}", headers=h)).status_code == 204
    assert key not in await listed(client, kind)
    assert (await client.delete(f"{API}/{kind}/{key}", headers=h)).status_code == 404

    events = await f.audit_events(mark, prefix=f"master.{kind}.")
    assert [(e.action, e.target_id) for e in events] == [
        (f"master.{kind}.{verb}", key) for verb in ("created", "updated", "deleted")
    ]


async def test_seeded_masters_are_there():
    # the seed goes through the same use cases: a sanity check of what the other tests rely on
    from govstat.platform.db.uow import UnitOfWork

    async with UnitOfWork(f.OPERATOR) as uow:
        assert await uow.fetchval("SELECT count(*) FROM gov_statistic WHERE code = '00200521'") == 1
        assert await uow.fetchval("SELECT count(*) FROM stat_field WHERE code = '02'") == 1


async def test_agency_staff_read_masters_but_cannot_write(client):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.sign_in(client, t.staff_login))
    stats = await listed(client, "statistics")
    assert stats["00200521"]["name_ja"] == "国勢調査"
    assert "00200" in await listed(client, "agencies")
    body = {"code": "00200521", "name_ja": "書き換え", "agency_code": "00200"}
    assert (await client.put(f"{API}/statistics", headers=h, json=body)).status_code == 403
    assert (await client.delete(f"{API}/statistics/00200521", headers=h)).status_code == 403
    assert (await listed(client, "statistics"))["00200521"]["name_ja"] == "国勢調査"


async def test_agency_admin_cannot_write_masters_either(client):
    t = await f.make_tenant()
    h = f.csrf_headers(await f.sign_in(client, t.admin_login))
    r = await client.put(f"{API}/agencies", headers=h, json=sample("agencies", "abcdef01"))
    assert r.status_code == 403 and r.headers["content-type"].startswith(PROBLEM)


async def test_masters_need_sign_in(client):
    assert (await client.get(f"{API}/agencies")).status_code == 401


@pytest.mark.parametrize(
    "body, field",
    [
        ({"code": "1234567", "name_ja": "七桁", "agency_code": "00200"}, "code"),  # 政府統計コード is 8 digits
        ({"code": "1234567a", "name_ja": "英字", "agency_code": "00200"}, "code"),
        ({"code": "12345678", "agency_code": "00200"}, "name_ja"),
        ({"code": "12345678", "name_ja": "", "agency_code": "00200"}, "name_ja"),
        ({"code": "12345678", "name_ja": "余分", "agency_code": "00200", "owner": "x"}, "owner"),
        ({"code": "12345678", "name_ja": "未知の機関", "agency_code": "99999"}, "agency_code"),
        ({"code": "12345678", "name_ja": "未知の分野", "agency_code": "00200", "field_code": "ZZ"}, "field_code"),
    ],
)
async def test_malformed_statistic_is_422_naming_the_field_and_nothing_is_written(client, body, field):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    mark = await f.outbox_mark()
    r = await client.put(f"{API}/statistics", headers=h, json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    assert problem["type"].endswith("/invalid-input") and [e["field"] for e in problem["errors"]] == [field]
    assert body["code"] not in await listed(client, "statistics")
    assert await f.audit_events(mark, prefix="master.") == []


async def test_division_needs_a_known_agency(client):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    r = await client.put(f"{API}/divisions", headers=h, json={"agency_code": "99999", "code": "x", "name_ja": "課"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "agency_code"


async def test_a_master_row_still_referenced_cannot_be_deleted(client):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    mark = await f.outbox_mark()
    r = await client.delete(f"{API}/agencies/00200", headers=h)  # 総務省: divisions, statistics, a tenant
    assert r.status_code == 409 and r.headers["content-type"].startswith(PROBLEM)
    assert "00200" in await listed(client, "agencies")
    r = await client.delete(f"{API}/stat-fields/02", headers=h)
    assert r.status_code == 409 and "02" in await listed(client, "stat-fields")
    assert await f.audit_events(mark, prefix="master.") == []


async def test_unknown_master_kind_and_bad_division_id_are_404(client):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    assert (await client.get(f"{API}/prefectures")).status_code == 404
    assert (await client.put(f"{API}/prefectures", headers=h, json={"code": "1"})).status_code == 404
    assert (await client.delete(f"{API}/divisions/not-a-uuid", headers=h)).status_code == 404
    assert (await client.delete(f"{API}/divisions/00000000-0000-0000-0000-000000000000", headers=h)).status_code == 404
