"""Issue 14 §2: a published table file is replaced (差替え) with the previous one still downloadable,
who, when and why kept; subscribers hear of it; a withdrawn file answers 410 with when and why."""

import secrets

import pytest_asyncio

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.estat.portal.releases import ReleaseConsumer
from tests.platform.subsystems.estat import portal_support as ps
from tests.platform.subsystems.statdb.statdb_support import agency
from tests.support.factories import api_key
from tests.support.queued_jobs import clear_queued_jobs

SYSTEM = Scope.system("test-replacement")


@pytest_asyncio.fixture(scope="module", autouse=True)
async def _clear_queued_jobs():
    """The release notices queued here are no later test's to send."""
    yield
    await clear_queued_jobs()


async def published_file(client, h) -> str:
    info = {
        "gov_stat_code": "00200521",
        "table_no": f"R-{secrets.token_hex(3)}",
        "survey_date": "202010",
        "title": "差替えテスト",
    }
    r = await client.post(
        "/api/tables/files",
        headers=h,
        data=info,
        files={"file": ("v1.csv", "地域,人口\n奈良,1\n".encode(), "text/csv")},
    )
    assert r.status_code == 201, r.text
    file_id = r.json()["id"]
    assert (await client.post(f"/api/tables/files/{file_id}/finalise", headers=h)).status_code == 200
    async with UnitOfWork(SYSTEM) as uow:  # due a second ago: public by the clock, no job needed
        await uow.execute(
            "UPDATE table_file SET status = 'scheduled', publish_at = now() - interval '1 second' WHERE id = $1::uuid",
            file_id,
        )
    return file_id


async def test_a_replaced_file_keeps_the_previous_one_and_a_withdrawn_one_says_so(app, client):
    owner = await agency()
    h = {"x-api-key": await api_key(owner.id)}
    file_id = await published_file(client, h)
    mark = await ps.outbox_mark()
    async with ps.client_from(app) as public:
        assert (await public.get(f"/estat/files/{file_id}")).content == "地域,人口\n奈良,1\n".encode()

        new = "地域,人口\n奈良,2\n".encode()
        r = await client.post(
            f"/api/tables/files/{file_id}/replace",
            headers=h,
            data={"reason": ""},
            files={"file": ("v2.csv", new, "text/csv")},
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
        r = await client.post(
            f"/api/tables/files/{file_id}/replace",
            headers=h,
            data={"reason": "奈良の人口の誤り"},
            files={"file": ("v2.csv", new, "text/csv")},
        )
        assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["filename"] == "v2.csv", r.text
        assert (await public.get(f"/estat/files/{file_id}")).content == new
        old = await public.get(f"/estat/files/{file_id}", params={"version": 1})
        assert old.status_code == 200 and old.content == "地域,人口\n奈良,1\n".encode()
        history = (await client.get(f"/api/tables/files/{file_id}/versions", headers=h)).json()
        assert history["current"] == 2
        assert [(v["version"], v["filename"], v["reason"]) for v in history["replaced"]] == [
            (1, "v1.csv", "奈良の人口の誤り")
        ]
        assert history["replaced"][0]["replaced_by"] != ""

        consumer = ReleaseConsumer()
        await ps.feed(consumer, mark)
        async with UnitOfWork(SYSTEM) as uow:
            title = await uow.fetchval("SELECT title FROM estat_release WHERE release_key = $1", f"file:{file_id}:v2")
        assert title.startswith("【差替え】")

        r = await client.post(f"/api/tables/files/{file_id}/withdraw", headers=h, json={"reason": "公表範囲の誤り"})
        assert r.status_code == 200 and r.json()["withdrawn_reason"] == "公表範囲の誤り"
        gone = await public.get(f"/estat/files/{file_id}")
        assert gone.status_code == 410 and "公表範囲の誤り" in gone.text
        assert (await public.get(f"/estat/files/{file_id}", params={"version": 1})).status_code == 410
        assert (await client.delete(f"/api/tables/files/{file_id}", headers=h)).status_code == 409  # kept
        again = await client.post(f"/api/tables/files/{file_id}/withdraw", headers=h, json={"reason": "x"})
        assert again.status_code == 409
