"""ESTAT-3: the release calendar announces a table before its data is public (the read model comes
through the outbox, the relay, Kafka and the releases consumer); new arrivals; a subscriber gets
one e-mail (arq job, real SMTP) when a table of the statistic comes out, even if the job runs twice."""

import asyncio
import datetime as dt
import uuid

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.relay import run_relay
from govstat.platform.jobs.spec import JobContext
from govstat.platform.root.events import event_decoder
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.estat.portal import notify
from govstat.platform.subsystems.estat.portal.releases import ReleaseConsumer
from govstat.platform.subsystems.statdb import service
from tests.platform.subsystems.estat import portal_support as ps
from tests.platform.subsystems.estat.estat_support import app_id_for
from tests.support.eventually import eventually
from tests.support.queued_jobs import run_worker

JST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
async def public(app):
    async with ps.client_from(app) as c:
        yield c


async def release(key: str) -> dict | None:
    async with UnitOfWork(ps.SYSTEM) as uow:
        row = await uow.fetchrow("SELECT * FROM estat_release WHERE release_key = $1", key)
    return dict(row) if row else None


async def test_calendar_announces_a_table_before_its_data_is_public(app, public):
    when = (dt.datetime.now(JST) + dt.timedelta(days=2)).replace(hour=8, minute=30, second=0, microsecond=0)
    title = f"人口推計（令和8年10月1日現在）公表予定テスト {ps.uid()}"
    settings = get_settings()
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(run_relay(settings, stop)),
        asyncio.create_task(ReleaseConsumer().run(settings, stop, event_decoder())),
    ]
    try:
        table = await ps.announce(title, when)
        sid = table["stats_data_id"]
        month = when.strftime("%Y-%m")

        async def announced():
            r = await public.get("/api/estat/releases", params={"month": month})
            return next((i for i in r.json()["items"] if i["stats_data_id"] == sid), None)

        item = await eventually(announced, timeout=90, message="the announcement through Kafka")
        assert item["title"] == title and item["status"] == "scheduled" and item["stat_name"] == "人口推計"
        assert item["agency_name"] == "総務省" and dt.datetime.fromisoformat(item["publish_at"]) == when

        page = await public.get("/estat/calendar", params={"month": month})
        assert page.status_code == 200
        cell = page.text.split(f'data-date="{when.date().isoformat()}"')[1].split("</td>")[0]
        assert "08:30" in cell and title[:40] in cell
        row = page.text.split(f'data-key="db:{sid}"')[1].split("</tr>")[0]
        assert title in row and when.strftime("%Y-%m-%d 08:30") in row and "公表予定" in row
        assert f'href="/estat/tables/{sid}"' not in page.text  # nothing to open yet
        assert title in (await public.get("/estat")).text  # the home page's coming releases

        # ... while the data stays hidden: the API answers no data, the pages do not show it
        async with ps.client_from(app) as api_client:
            app_id = await app_id_for(api_client)
            data = (
                await api_client.get("/rest/3.0/app/json/getStatsData", params={"appId": app_id, "statsDataId": sid})
            ).json()
            assert (
                data["GET_STATS_DATA"]["RESULT"]["STATUS"] == 103 and "STATISTICAL_DATA" not in data["GET_STATS_DATA"]
            )
            listed = (
                await api_client.get(
                    "/rest/3.0/app/json/getStatsList", params={"appId": app_id, "searchWord": title.split()[-1]}
                )
            ).json()
            assert listed["GET_STATS_LIST"]["RESULT"]["STATUS"] == 1
        assert (await public.get(f"/estat/tables/{sid}")).status_code == 404
        assert await ps.search_ids(public, q=title.split()[-1]) == []

        # a new announced time moves it; a deleted table leaves the calendar
        later = when + dt.timedelta(hours=2)
        async with UnitOfWork(ps.Scope.tenant((await ps.owner()).id, actor="test")) as uow:
            await service.schedule(uow, sid, later)
        await eventually(lambda: _at(sid, month, later), timeout=60, message="the new announced time")
        async with UnitOfWork(ps.Scope.tenant((await ps.owner()).id, actor="test")) as uow:
            await service.delete(uow, sid)
        await eventually(lambda: _gone(public, sid, month), timeout=60, message="withdrawn from the calendar")
        assert sid not in (await public.get("/estat/calendar", params={"month": month})).text
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _at(sid: str, month: str, when: dt.datetime) -> bool:
    r = await release(f"db:{sid}")
    return bool(r and r["publish_at"] == when)


async def _gone(public, sid: str, month: str) -> bool:
    items = (await public.get("/api/estat/releases", params={"month": month})).json()["items"]
    return all(i["stats_data_id"] != sid for i in items)


async def test_a_subscriber_gets_one_email_when_a_table_is_published(app, mailbox, public):
    async with ps.client_from(app) as a_client, ps.client_from(app) as b_client:
        a = await ps.registered_user(a_client)
        b = await ps.registered_user(b_client)
        r = await a_client.put("/api/estat/subscriptions/00200524", headers=a["headers"])
        assert r.status_code == 200 and r.json()["subscribed"] is True
        assert (await b_client.put("/api/estat/subscriptions/00500209", headers=b["headers"])).status_code == 200
        assert [s["gov_stat_code"] for s in (await a_client.get("/api/estat/subscriptions")).json()] == ["00200524"]
        assert (await public.put("/api/estat/subscriptions/00200524")).status_code == 401

        mark = await ps.outbox_mark()
        title = f"人口推計 新着通知テスト {ps.uid()}"
        table = await ps.publish(title)
        key = f"db:{table['stats_data_id']}"
        # subscribed after the publication (before the consumer saw it): that table is not news to b
        assert (await b_client.put("/api/estat/subscriptions/00200524", headers=b["headers"])).status_code == 200
        consumer = ReleaseConsumer()
        assert await ps.feed(consumer, mark) >= 2  # scheduled, published (and registered)
        assert (await release(key))["status"] == "published"
        assert await ps.feed(consumer, mark) == 0  # redelivered: dropped by event id

        await run_worker()
        mails = mailbox.to(a["email"])
        assert len(mails) == 1 and mailbox.to(b["email"]) == []
        m = mails[0]
        assert title in m["Subject"] and "人口推計" in m["Subject"]
        body = m.get_content()
        assert f"/estat/tables/{table['stats_data_id']}" in body and "/estat/mypage" in body
        assert "出典：政府統計の総合窓口(e-Stat)" in body

        # the same job again (a duplicate enqueue, a direct second run, the sweep): still one e-mail
        await notify.enqueue_many([(a["id"], key)])
        await notify.enqueue_many([(a["id"], key)], suffix=":again")
        assert (
            await notify.deliver(JobContext({}), notify.NotifyArgs(job_id="again", owner_id=a["id"], release_key=key))
            == "skipped"
        )
        await run_worker()
        assert len(mailbox.to(a["email"])) == 1
        async with UnitOfWork(ps.SYSTEM) as uow:
            n = await uow.fetchrow(
                "SELECT status, attempts, sent_at FROM estat_notification WHERE release_key = $1", key
            )
        assert (n["status"], n["attempts"]) == ("sent", 1) and n["sent_at"] is not None

        page = await a_client.get("/estat/mypage")
        assert page.status_code == 200 and title in page.text and "送信済" in page.text
        assert title not in (await b_client.get("/estat/mypage")).text  # one user never sees another's
        cal = await public.get("/estat/calendar")
        assert f'href="/estat/tables/{table["stats_data_id"]}"' in cal.text
        arrivals = await public.get("/estat/new")
        assert f'data-id="{table["stats_data_id"]}"' in arrivals.text

        assert (await a_client.delete("/api/estat/subscriptions/00200524", headers=a["headers"])).json()[
            "subscribed"
        ] is False
        await b_client.delete("/api/estat/subscriptions/00200524", headers=b["headers"])
        assert (await a_client.get("/api/estat/subscriptions")).json() == []


async def test_a_failed_delivery_is_retried_and_sent_once(app, mailbox, monkeypatch):
    monkeypatch.setattr(notify, "RETRY_BASE_SECONDS", 0.2)
    async with ps.client_from(app) as c:
        user = await ps.registered_user(c)
        await c.put("/api/estat/subscriptions/00200524", headers=user["headers"])
        real_send, calls = notify.send_mail, []

        async def flaky(message):
            calls.append(message["To"])
            if calls.count(message["To"]) == 1 and message["To"] == user["email"]:
                raise OSError("connection refused (the mail server is restarting)")
            await real_send(message)

        monkeypatch.setattr(notify, "send_mail", flaky)
        mark = await ps.outbox_mark()
        await ps.publish(f"人口推計 再送テスト {ps.uid()}")
        await ps.feed(ReleaseConsumer(), mark)
        await run_worker()
        mine = [to for to in calls if to == user["email"]]
        assert mine == [user["email"], user["email"]] and len(mailbox.to(user["email"])) == 1  # failed, then sent
        async with UnitOfWork(ps.SYSTEM) as uow:
            row = await uow.fetchrow(
                "SELECT status, attempts, last_error FROM estat_notification WHERE owner_id = $1",
                uuid.UUID(str(user["id"])),
            )
        assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, "")
        await c.delete("/api/estat/subscriptions/00200524", headers=user["headers"])


async def test_a_table_file_and_its_database_table_are_one_publication(app, mailbox, public):
    from govstat.platform.subsystems.tables import service as files
    from govstat.platform.subsystems.tables.schemas import FileInfo

    async with ps.client_from(app) as c:
        user = await ps.registered_user(c)
        await c.put("/api/estat/subscriptions/00200524", headers=user["headers"])
        tag = ps.uid()
        o = await ps.owner()
        scope = ps.Scope.tenant(o.id, actor="test")
        mark = await ps.outbox_mark()
        async with UnitOfWork(scope) as uow:
            f = await files.register(
                uow,
                FileInfo(
                    gov_stat_code="00200524", table_no=f"F-{tag}", title=f"人口推計 ファイル {tag}", survey_date="2023"
                ),
                (ps.CSV, "suikei.csv"),
                (ps.params(f"人口推計 DB {tag}"), "suikei.params.yaml"),
            )
        async with UnitOfWork(scope) as uow:
            await files.finalise(uow, f.id)
        async with UnitOfWork(scope) as uow:
            await files.schedule(uow, f.id, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
        consumer = ReleaseConsumer()
        await ps.feed(consumer, mark)
        announced = await release(f"file:{f.id}")
        assert announced["status"] == "scheduled" and announced["title"] == f"人口推計 ファイル {tag}"
        sid = announced["stats_data_id"]
        assert sid and await release(f"db:{sid}") is None  # one announcement, not two
        assert f"file:{f.id}" not in str(await ps.search_ids(public, q=tag))
        assert (await public.get(f"/estat/files/{f.id}")).status_code == 404

        await asyncio.sleep(1.2)
        await ps.run_publish_jobs()
        await ps.feed(consumer, mark)
        assert (await release(f"file:{f.id}"))["status"] == "published"
        await run_worker()
        assert len(mailbox.to(user["email"])) == 1  # one e-mail for the file and its table

        found = await ps.search_ids(public, q=tag)
        assert set(found) == {sid, str(f.id)}
        assert str(f.id) in await ps.search_ids(public, q=tag, kind="file")
        download = await public.get(f"/estat/files/{f.id}")
        assert download.status_code == 200 and download.content == ps.CSV
        assert "suikei.csv" in download.headers["content-disposition"]

        async def counted():
            async with UnitOfWork(ps.SYSTEM) as uow:
                return await uow.fetchval("SELECT sum(downloads) FROM table_file_usage WHERE file_id = $1", f.id)

        assert await eventually(counted, timeout=10, message="file download counted") == 1
        await c.delete("/api/estat/subscriptions/00200524", headers=user["headers"])
