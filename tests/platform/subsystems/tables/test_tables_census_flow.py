"""TABLES-2/3 with STATDB: the census table from upload to publication through the API.

An agency signs in, uploads the e-Stat CSV with its parameter file, finalises (the hand-off to the
statistical database), schedules; before publish_at neither the public nor another tenant sees a
row (row-level security, even if the status said published); the publish job, run by the real arq
worker, publishes the file and its database table together at the announced time."""

import asyncio
import datetime as dt
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.queue import job_pool
from govstat.platform.jobs.spec import enqueue
from govstat.platform.security import Scope
from govstat.platform.subsystems.tables.jobs import PUBLISH_JOB, PublishArgs
from tests.platform.subsystems.statdb.statdb_support import CENSUS_CSV, CENSUS_PARAMS, agency
from tests.support.factories import sign_in
from tests.support.outbox import decode, name_of
from tests.support.queued_jobs import run_worker

PUBLIC_COUNTS = """SELECT (SELECT count(*) FROM table_file WHERE id = $1) AS files,
  (SELECT count(*) FROM table_file_blob WHERE file_id = $1) AS blobs,
  (SELECT count(*) FROM stat_table WHERE source_file_id = $1) AS tables,
  (SELECT count(*) FROM observation o JOIN stat_table t ON t.id = o.table_id WHERE t.source_file_id = $1) AS cells"""


async def _seen(scope: Scope, file_id) -> dict:
    async with UnitOfWork(scope) as uow:
        return dict(await uow.fetchrow(PUBLIC_COUNTS, file_id))


async def _outbox_actions(since: dt.datetime) -> list[str]:
    async with UnitOfWork(Scope.system()) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE created_at >= $1 ORDER BY seq", since)
    # audit events carry an action, domain events a name; other events (a probe's usage written meanwhile) neither
    return [name_of(decode(r["payload"]).payload) for r in rows]


async def test_census_table_from_upload_to_publication(client):
    owner, other = await agency(), await agency()
    since = dt.datetime.now(dt.UTC)
    csrf = await sign_in(client, owner.staff_login)
    h = {"x-csrf-token": csrf}
    r = await client.post(
        "/api/tables/files",
        headers=h,
        data={
            "gov_stat_code": "00200521",
            "table_no": "1-1-1",
            "survey_date": "202010",
            "title": "男女別人口－全国，都道府県，市区町村",
            "notes": "令和2年国勢調査 人口等基本集計",
        },
        files={
            "file": (CENSUS_CSV.name, CENSUS_CSV.read_bytes(), "text/csv"),
            "params": (CENSUS_PARAMS.name, CENSUS_PARAMS.read_bytes(), "application/yaml"),
        },
    )
    assert r.status_code == 201, r.text
    f = r.json()
    file_id = uuid.UUID(f["id"])
    assert f["status"] == "draft" and f["format"] == "csv" and f["has_params"] and len(f["sha256"]) == 64
    got = await client.get(f"/api/tables/files/{file_id}/content")
    assert got.content == CENSUS_CSV.read_bytes() and got.headers["x-content-sha256"] == f["sha256"]

    r = await client.post(f"/api/tables/files/{file_id}/finalise", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "finalised", r.text
    sid = (await client.get(f"/api/tables/files/{file_id}")).json()["stats_data_id"]
    assert sid and len(sid) == 10
    table = (await client.get(f"/api/statdb/tables/{sid}")).json()
    assert table["total_number"] == 12258 and table["status"] == "registered"
    assert (
        await client.post(
            f"/api/statdb/tables/{sid}/schedule", headers=h, json={"publish_at": "2099-01-01T00:00:00+09:00"}
        )
    ).status_code == 409

    publish_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=4)
    r = await client.post(
        f"/api/tables/files/{file_id}/schedule", headers=h, json={"publish_at": publish_at.isoformat()}
    )
    assert r.status_code == 200 and r.json()["status"] == "scheduled", r.text

    nothing = {"files": 0, "blobs": 0, "tables": 0, "cells": 0}
    assert await _seen(Scope(), file_id) == nothing  # anonymous, public scope
    assert await _seen(Scope.tenant(other.id), file_id) == nothing  # another agency
    assert (await _seen(Scope.tenant(owner.id), file_id))["cells"] == 12258
    # Row-level security itself holds back what is not due, whatever the status says.
    async with UnitOfWork(Scope.system("test")) as uow:
        await uow.execute("UPDATE table_file SET status = 'published' WHERE id = $1", file_id)
        await uow.execute("UPDATE stat_table SET status = 'published' WHERE source_file_id = $1", file_id)
    assert await _seen(Scope(), file_id) == nothing
    async with UnitOfWork(Scope.system("test")) as uow:
        await uow.execute("UPDATE table_file SET status = 'scheduled' WHERE id = $1", file_id)
        await uow.execute("UPDATE stat_table SET status = 'scheduled' WHERE source_file_id = $1", file_id)

    pool = await job_pool()
    await enqueue(pool, PUBLISH_JOB, PublishArgs(job_id=f"tables.publish_due:early:{file_id}"))
    assert (await run_worker(poll_delay=0.05)).jobs_failed == 0
    assert (await client.get(f"/api/tables/files/{file_id}")).json()["status"] == "scheduled"  # not a second early
    assert await _seen(Scope(), file_id) == nothing

    await asyncio.sleep(max(0.0, (publish_at - dt.datetime.now(dt.UTC)).total_seconds()) + 0.2)
    await enqueue(pool, PUBLISH_JOB, PublishArgs(job_id=f"tables.publish_due:due:{file_id}"))
    assert (await run_worker(poll_delay=0.05)).jobs_failed == 0
    f = (await client.get(f"/api/tables/files/{file_id}")).json()
    assert f["status"] == "published" and f["published_at"] >= f["publish_at"]
    assert (await client.get(f"/api/statdb/tables/{sid}")).json()["status"] == "published"
    public = {"files": 1, "blobs": 1, "tables": 1, "cells": 12258}  # the data file, not the parameter file
    assert await _seen(Scope(), file_id) == public
    assert await _seen(Scope.tenant(other.id), file_id) == public
    # the agency API stays the owner's: another tenant's id answers 404 even when published
    await sign_in(client, other.staff_login)
    assert (await client.get(f"/api/tables/files/{file_id}")).status_code == 404
    assert (await client.get(f"/api/statdb/tables/{sid}")).status_code == 404

    actions = await _outbox_actions(since)
    for expected in (
        "tables.file.registered",
        "tables.file.finalised",
        "statdb.table.registered",
        "tables.file.scheduled",
        "statdb.table.scheduled",
        "tables.file.published",
        "statdb.table.published",
        "tables.file_published",
        "statdb.table_published",
    ):
        assert expected in actions, expected


async def test_publish_job_is_idempotent_and_usage_is_counted(client):
    owner = await agency()
    csrf = await sign_in(client, owner.staff_login)
    h = {"x-csrf-token": csrf}
    r = await client.post(
        "/api/tables/files",
        headers=h,
        data={"gov_stat_code": "00200521", "table_no": "9-9", "survey_date": "2020", "title": "利用状況の確認"},
        files={"file": ("t.csv", b"a,b\n1,2\n", "text/csv")},
    )
    file_id = r.json()["id"]
    await client.post(f"/api/tables/files/{file_id}/finalise", headers=h)
    async with UnitOfWork(Scope.system("test")) as uow:  # scheduled a moment ago
        await uow.execute(
            "UPDATE table_file SET status = 'scheduled', publish_at = now() - interval '1 second' WHERE id = $1",
            file_id,
        )
    from tests.platform.subsystems.statdb.statdb_support import run_publish_jobs

    await run_publish_jobs()
    await run_publish_jobs()
    async with UnitOfWork(Scope.system("test")) as uow:
        payloads = await uow.fetch("SELECT payload FROM outbox WHERE tenant_id = $1", owner.id)
    actions = [getattr(decode(r["payload"]).payload, "action", "") for r in payloads]
    assert actions.count("tables.file.published") == 1
    await client.get(f"/api/tables/files/{file_id}")
    await client.get(f"/api/tables/files/{file_id}/content")
    await client.get(f"/api/tables/files/{file_id}/content")
    figures = (await client.get(f"/api/tables/files/{file_id}/usage")).json()
    assert figures["totals"] == {"views": 1, "downloads": 2}
