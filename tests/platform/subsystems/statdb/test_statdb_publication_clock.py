"""Issue 14 §2: a scheduled table is public within one second after its announced time and never
earlier, whether or not the every-minute publish job has run (it used to appear some 40 s late).

The clock that decides is PostgreSQL's (row-level security: publish_at <= now()). The test reads it:
each probe asks the database for its clock and the table in one statement through the public
e-Stat API path's unit of work, and the answers are checked against publish_at."""

import asyncio
import datetime as dt

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import service
from tests.platform.subsystems.estat import portal_support as ps
from tests.support.factories import api_key

LEAD = dt.timedelta(seconds=1.5)


async def probe(sid: str) -> tuple[dt.datetime, bool]:
    """(the database's clock, whether an anonymous reader sees the table and its cells) at one instant."""
    async with UnitOfWork(Scope()) as uow:
        row = await uow.fetchrow(
            """SELECT now() AS at, EXISTS (SELECT 1 FROM published_table WHERE stats_data_id = $1) AS listed,
                      (SELECT count(*) FROM observation o JOIN stat_table t ON t.id = o.table_id
                        WHERE t.stats_data_id = $1) AS cells""",
            sid,
        )
    assert row["listed"] == (row["cells"] > 0)  # the table and its data appear together
    return row["at"], row["listed"]


async def test_visible_from_the_announced_time_never_earlier_without_the_job(app, client):
    sid = (await ps.register(f"時刻テスト {ps.uid()}"))["stats_data_id"]
    owner = await ps.owner()
    async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
        table = await service.schedule(uow, sid, dt.datetime.now(dt.UTC) + LEAD)
    publish_at = table.publish_at
    assert publish_at is not None
    seen: list[tuple[dt.datetime, bool]] = []
    while not seen or not seen[-1][1]:
        seen.append(await probe(sid))
        assert seen[-1][0] < publish_at + dt.timedelta(seconds=5), "never became visible"
        await asyncio.sleep(0.05)
    early = [at for at, visible in seen if visible and at < publish_at]
    assert early == []
    first = next(at for at, visible in seen if visible)
    last_hidden = max(at for at, visible in seen if not visible)
    assert last_hidden < publish_at <= first < publish_at + dt.timedelta(seconds=1), (last_hidden, publish_at, first)

    # the public API answers it at once; the status flips only when the job runs (bookkeeping)
    h = {"x-api-key": await api_key(owner.id)}
    assert (await client.get(f"/api/statdb/tables/{sid}", headers=h)).json()["status"] == "scheduled"
    app_id = await _app_id(app)
    got = (await client.get("/rest/3.0/app/json/getStatsData", params={"appId": app_id, "statsDataId": sid})).json()
    assert got["GET_STATS_DATA"]["RESULT"]["STATUS"] == 0
    # public already: no rescheduling it back into hiding, no deleting it
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    r = await client.post(f"/api/statdb/tables/{sid}/schedule", json={"publish_at": later}, headers=h)
    assert r.status_code == 409
    assert (await client.delete(f"/api/statdb/tables/{sid}", headers=h)).status_code == 409
    await ps.run_publish_jobs()
    after = (await client.get(f"/api/statdb/tables/{sid}", headers=h)).json()
    assert after["status"] == "published" and after["published_at"] == after["publish_at"]


async def _app_id(app) -> str:
    from tests.platform.subsystems.estat.estat_support import app_id_for

    async with ps.client_from(app) as c:
        return await app_id_for(c)
