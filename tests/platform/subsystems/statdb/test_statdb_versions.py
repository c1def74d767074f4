"""Issue 14 §2: published tables are corrected (訂正) and extended (追加) as new versions, the earlier
ones readable through getStatsData's `version`; the history says who, when and why; subscribers of
the statistic get the notice; a withdrawn table answers that it was withdrawn."""

import datetime as dt

import pytest_asyncio

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.estat.portal.releases import ReleaseConsumer
from tests.platform.subsystems.estat import portal_support as ps
from tests.platform.subsystems.estat.estat_support import app_id_for
from tests.support.factories import api_key
from tests.support.queued_jobs import clear_queued_jobs

SYSTEM = Scope.system("test-versions")
JST = dt.timezone(dt.timedelta(hours=9))


@pytest_asyncio.fixture(scope="module", autouse=True)
async def _clear_queued_jobs():
    """The release notices queued here are no later test's to send."""
    yield
    await clear_queued_jobs()


async def published_table(title: str) -> str:
    """A table of 00200524 (人口推計), published a second ago (no publish job needed: the clock decides)."""
    sid = (await ps.register(title))["stats_data_id"]
    async with UnitOfWork(SYSTEM) as uow:
        await uow.execute(
            "UPDATE stat_table SET status = 'scheduled', publish_at = now() - interval '1 second'"
            " WHERE stats_data_id = $1",
            sid,
        )
    return sid


async def an_app_id(app) -> str:
    async with ps.client_from(app) as c:
        return await app_id_for(c)


def csv(*rows: str) -> bytes:
    return ("地域コード,地域名,年,男,女\n" + "".join(r + "\n" for r in rows)).encode()


async def revise(client, headers, sid, data: bytes, kind: str, reason: str = "集計誤りの訂正"):
    return await client.post(
        f"/api/statdb/tables/{sid}/revisions",
        files=[("data", ("fix.csv", data, "text/csv"))],
        data={"kind": kind, "reason": reason},
        headers=headers,
    )


def values(body: dict) -> dict[tuple[str, str, str], str]:
    got = body["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["VALUE"]
    return {(v["@area"], v["@time"], v["@cat01"]): v["$"] for v in (got if isinstance(got, list) else [got])}


async def test_a_correction_is_a_new_version_the_old_one_stays_readable_and_subscribers_hear_of_it(app, client):
    sid = await published_table(f"訂正テスト {ps.uid()}")
    owner = await ps.owner()
    h = {"x-api-key": await api_key(owner.id)}
    user = await ps.registered_user(client)
    assert (await client.put("/api/estat/subscriptions/00200524", headers=user["headers"])).status_code == 200
    app_id = await an_app_id(app)
    mark = await ps.outbox_mark()

    # a cell that is not in the table is refused, naming it; nothing changes
    r = await revise(client, h, sid, csv("13000,東京都,2024,1,2"), "correction")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "data line 2" and "'2024'" in r.text, r.text
    r = await revise(client, h, sid, csv("13000,東京都,2023,6897,7189"), "correction")  # the same values
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "data"
    assert (await revise(client, h, sid, csv("13000,東京都,2023,6900,7189"), "correction", " ")).status_code == 422

    r = await revise(client, h, sid, csv("13000,東京都,2023,6900,7189"), "correction")
    assert r.status_code == 201, r.text
    assert r.json() == {
        "stats_data_id": sid,
        "version": 2,
        "kind": "correction",
        "changed_cells": 1,
        "added_cells": 0,
        "added_items": {},
        "total_number": 6,
    }

    q = {"appId": app_id, "statsDataId": sid}
    now = (await client.get("/rest/3.0/app/json/getStatsData", params=q)).json()
    assert values(now)[("13000", "2023", "001")] == "6900"
    table_inf = now["GET_STATS_DATA"]["STATISTICAL_DATA"]["TABLE_INF"]
    assert table_inf["UPDATED_DATE"] == dt.datetime.now(JST).date().isoformat()
    assert table_inf["VERSION"]["@no"] == 2
    notes = now["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["NOTE"]
    notes = notes if isinstance(notes, list) else [notes]
    assert any(n["@char"] == "訂正" and "集計誤りの訂正" in n["$"] for n in notes), notes

    old = (await client.get("/rest/3.0/app/json/getStatsData", params=q | {"version": "1"})).json()
    assert values(old)[("13000", "2023", "001")] == "6897"
    assert values(old)[("29000", "2023", "002")] == values(now)[("29000", "2023", "002")] == "684"
    assert old["GET_STATS_DATA"]["STATISTICAL_DATA"]["TABLE_INF"]["VERSION"]["@no"] == 1
    narrowed = q | {"version": "1", "cdArea": "13000", "cdCat01": "001"}
    got = (await client.get("/rest/3.0/app/json/getStatsData", params=narrowed)).json()
    assert values(got) == {("13000", "2023", "001"): "6897"}
    bad = (await client.get("/rest/3.0/app/json/getStatsData", params=q | {"version": "7"})).json()
    assert (
        bad["GET_STATS_DATA"]["RESULT"]["STATUS"] == 102 and "version" in bad["GET_STATS_DATA"]["RESULT"]["ERROR_MSG"]
    )

    # the history: public (kind, reason, when) and the agency's own (also who)
    listed = (await client.get("/rest/3.0/app/json/getStatsDataVersions", params=q)).json()
    versions = listed["GET_STATS_DATA_VERSIONS"]["VERSION_INF"]["VERSION"]
    assert [(v["@no"], v["@kind"], v["REASON"], v["CHANGED_NUMBER"]) for v in versions] == [
        (2, "correction", "集計誤りの訂正", 1),
        (1, "original", "", 0),
    ]
    own = (await client.get(f"/api/statdb/tables/{sid}/versions", headers=h)).json()
    assert own["current"] == 2 and own["versions"][0]["created_by"] != ""
    revised = [e for e in await ps.domain_events(mark) if type(e.payload).__name__ == "TableRevised"]
    assert [(e.payload.stats_data_id, e.payload.version, e.payload.reason) for e in revised] == [
        (sid, 2, "集計誤りの訂正")
    ]

    # the subscriber's notice: a delivery of the correction's own release, once
    consumer = ReleaseConsumer()
    await ps.feed(consumer, mark)
    async with UnitOfWork(SYSTEM) as uow:
        keys = [
            r["release_key"]
            for r in await uow.fetch("SELECT release_key FROM estat_notification WHERE owner_id = $1", user["id"])
        ]
        title = await uow.fetchval("SELECT title FROM estat_release WHERE release_key = $1", f"db:{sid}:v2")
    assert keys == [f"db:{sid}:v2"] and title.startswith("【訂正】")


async def test_an_extension_appends_a_period_checked_against_the_classes(app, client):
    sid = await published_table(f"追加テスト {ps.uid()}")
    owner = await ps.owner()
    h = {"x-api-key": await api_key(owner.id)}
    app_id = await an_app_id(app)
    r = await revise(
        client, h, sid, csv("00000,全国,2024,60000,63000", "99999,架空県,2024,1,1"), "extension", "2024年の追加"
    )
    assert r.status_code == 422 and "'99999'" in r.text and r.json()["errors"][0]["field"] == "data line 3", r.text
    r = await revise(client, h, sid, csv("00000,全国,2023,60492,63860"), "extension", "重複")
    assert r.status_code == 422 and "already in the table" in r.text
    rows = ("00000,全国,2024,60000,63000", "13000,東京都,2024,6950,7200", "29000,奈良県,2024,610,680")
    r = await revise(client, h, sid, csv(*rows), "extension", "2024年の追加")
    assert r.status_code == 201, r.text
    assert r.json()["added_cells"] == 6 and r.json()["added_items"] == {"time": ["2024"]}
    assert r.json()["total_number"] == 12

    q = {"appId": app_id, "statsDataId": sid}
    now = (await client.get("/rest/3.0/app/json/getStatsData", params=q)).json()
    assert len(values(now)) == 12 and values(now)[("13000", "2024", "002")] == "7200"
    times = now["GET_STATS_DATA"]["STATISTICAL_DATA"]["CLASS_INF"]["CLASS_OBJ"][-1]["CLASS"]
    assert [t["@code"] for t in times] == ["2023", "2024"]
    old = (await client.get("/rest/3.0/app/json/getStatsData", params=q | {"version": "1"})).json()
    assert len(values(old)) == 6 and {k[1] for k in values(old)} == {"2023"}
    stat = old["GET_STATS_DATA"]["STATISTICAL_DATA"]
    assert stat["RESULT_INF"]["TOTAL_NUMBER"] == 6
    assert stat["CLASS_INF"]["CLASS_OBJ"][-1]["CLASS"]["@code"] == "2023"  # one item left: an object
    narrowed = (await client.get("/rest/3.0/app/json/getStatsData", params=q | {"cdTime": "2024"})).json()
    assert len(values(narrowed)) == 6


async def test_a_withdrawn_table_says_so_and_is_never_silently_gone(app, client):
    sid = await published_table(f"取り下げテスト {ps.uid()}")
    owner = await ps.owner()
    h = {"x-api-key": await api_key(owner.id)}
    app_id = await an_app_id(app)
    assert (await client.delete(f"/api/statdb/tables/{sid}", headers=h)).status_code == 409
    r = await client.post(f"/api/statdb/tables/{sid}/withdraw", json={"reason": ""}, headers=h)
    assert r.status_code == 422
    r = await client.post(f"/api/statdb/tables/{sid}/withdraw", json={"reason": "調査票の誤りのため"}, headers=h)
    assert r.status_code == 200 and r.json()["withdrawn_reason"] == "調査票の誤りのため", r.text
    got = (await client.get("/rest/3.0/app/json/getStatsData", params={"appId": app_id, "statsDataId": sid})).json()
    result = got["GET_STATS_DATA"]["RESULT"]
    assert result["STATUS"] == 106 and "調査票の誤りのため" in result["ERROR_MSG"]
    meta = (await client.get("/rest/3.0/app/json/getMetaInfo", params={"appId": app_id, "statsDataId": sid})).json()
    assert meta["GET_META_INFO"]["RESULT"]["STATUS"] == 106
    async with UnitOfWork(Scope()) as uow:  # the data itself is no longer public
        assert (
            await uow.fetchval(
                "SELECT count(*) FROM observation o JOIN stat_table t ON t.id = o.table_id WHERE t.stats_data_id = $1",
                sid,
            )
            == 0
        )
    assert (
        await client.post(f"/api/statdb/tables/{sid}/withdraw", json={"reason": "again"}, headers=h)
    ).status_code == 409
    assert (await client.get(f"/api/statdb/tables/{sid}/versions", headers=h)).json()["withdrawn_reason"]
