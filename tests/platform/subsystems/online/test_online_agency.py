"""ONLINE-3: the reception dashboard counts submissions live from Kafka (outbox -> relay -> Kafka ->
the reception consumer's read model); the agency API lists non-respondents and streams the raw
answers with provenance (audited); after the deadline the answers are aggregated by the definition's
columns into a statdb table in test mode; past the retention date the data key is destroyed."""

import asyncio
import csv
import io
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.relay import run_relay
from govstat.platform.jobs.spec import JobContext
from govstat.platform.root.events import event_decoder
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.online import handoff, jobs
from govstat.platform.subsystems.online.reception.consumers import ReceptionConsumer
from tests.platform.subsystems.online.online_support import (
    first_unit,
    good_answers,
    household_survey,
    respondent_signed_in,
)
from tests.support.eventually import eventually
from tests.support.factories import OPERATOR, another_client, audit_events


async def test_reception_export_handoff_and_retention(client, app):
    t, h, s, letters, p = await household_survey(client, n=3, agency_code="00200", gov_stat_code="00200521")
    async with another_client(app) as resp:
        csrf = await respondent_signed_in(resp, letters[0])
        unit = await first_unit(resp)
        body = {
            **good_answers(p),
            f"{p}hh_name": "奈良 太郎1",
            "_csrf": csrf,
            "_action": "submit",
            "_base_version": "0",
        }
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(run_relay(get_settings(), stop)),
            asyncio.create_task(ReceptionConsumer().run(get_settings(), stop, event_decoder())),
        ]
        try:
            assert (await resp.post(f"/online/units/{unit}", data=body)).status_code == 200

            async def counted():
                r = (await client.get(f"/api/online/surveys/{s['id']}/reception", headers=h)).json()
                return r if r["received"] == 1 else None

            r = await eventually(counted, timeout=90, message="the submission counted through Kafka")
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
    assert r["units"] == 3 and r["rate"] == 33.3 and r["areas"][0]["area_name"] == "奈良市"
    async with another_client(app) as staff:
        from tests.support.factories import sign_in

        await sign_in(staff, t.staff_login)
        page = await staff.get(f"/online/manage/{s['id']}")
        assert page.status_code == 200 and 'id="total-received">1<' in page.text and "33.3%" in page.text
    missing = (await client.get(f"/api/online/surveys/{s['id']}/status?submitted=false", headers=h)).json()
    assert missing["total"] == 2 and {m["respondent_code"] for m in missing["items"]} == {"H002", "H003"}

    mark = len(await audit_events(tenant_id=t.id, prefix="gateway.call"))
    r = await client.get(f"/api/online/surveys/{s['id']}/answers.csv", headers=h)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = {row["item_id"]: row for row in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))}
    assert lines[f"{p}hh_name"]["value"] == "奈良 太郎1" and lines[f"{p}hh_name"]["provenance"] == "preprinted"
    assert lines[f"{p}head_birth"]["value"] == "1980-04-01" and lines[f"{p}hh_members"]["provenance"] == "edited"
    assert len(await audit_events(tenant_id=t.id, prefix="gateway.call")) == mark + 1  # the read is audited

    # the hand-off: refused before the deadline, then a statdb table in test mode, by area
    async with UnitOfWork(Scope.tenant(t.id, actor="test")) as uow:
        try:
            await handoff.run(uow, uuid.UUID(s["id"]))
            raise AssertionError("handed off before the deadline")
        except Exception as exc:
            assert "締切前" in str(exc)
    async with UnitOfWork(OPERATOR) as uow:
        await uow.execute(
            "UPDATE online_survey SET deadline_at = now() - interval '1 minute' WHERE id = $1", uuid.UUID(s["id"])
        )
    assert len(await jobs.hand_off_due(JobContext({}), jobs.CronArgs(job_id="test"))) >= 1
    survey = (await client.get(f"/api/online/surveys/{s['id']}", headers=h)).json()
    sid = survey["stats_data_id"]
    async with UnitOfWork(Scope.system("test")) as uow:
        table = await uow.fetchrow("SELECT id, status, test_mode, title FROM stat_table WHERE stats_data_id = $1", sid)
        cells = {
            (r["cat01"], r["area"]): r["value"]
            for r in await uow.fetch(f"SELECT cat01, area, value FROM observation WHERE table_id = {table['id']}")
        }
        names = {
            r["code"]: r["name"]
            for r in await uow.fetch(
                f"SELECT code, name FROM class_item WHERE table_id = {table['id']} AND obj_id = 'cat01'"
            )
        }
    assert table["test_mode"] and table["status"] == "registered" and "回答集計" in table["title"]
    code = {v: k for k, v in names.items()}
    assert cells[(code["回答数"], "29201")] == 1 and cells[(code["世帯員数 合計"], "29201")] == 3
    assert cells[(code["世帯主の男女：男"], "29201")] == 1 and cells[(code["世帯主の男女：女"], "29201")] == 0

    # retention: the data key goes, the answers become unreadable
    async with UnitOfWork(OPERATOR) as uow:
        await uow.execute(
            "UPDATE online_survey SET retention_until = current_date - 1 WHERE id = $1", uuid.UUID(s["id"])
        )
    assert await jobs.enforce_retention(JobContext({}), jobs.CronArgs(job_id="test")) >= 1
    r = await client.get(f"/api/online/surveys/{s['id']}/answers.csv", headers=h)
    assert r.status_code == 410 and "消去" in r.json()["detail"] and r.json()["type"].endswith("/erased")
    async with UnitOfWork(Scope.system("test")) as uow:
        assert (
            await uow.fetchval("SELECT count(*) FROM online_survey_key WHERE survey_id = $1", uuid.UUID(s["id"])) == 0
        )
