"""Crypto-shredding reaches every process (online/keys.py): the retention job, run by another process,
deletes a survey's key; this process, which still holds the key unwrapped, must then refuse every
use of it (submission, draft, page turn, the agency's export) with 410, and drop its copy. A
submission still costs the same statements, with the key kept or not."""

from __future__ import annotations

import asyncio
import sys
import uuid

from asyncpg.connection import LoggedQuery

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.online import context, keys, submissions
from tests.platform.subsystems.online.online_support import (
    first_unit,
    good_answers,
    household_survey,
    respondent_signed_in,
)
from tests.support.factories import OPERATOR, another_client
from tests.support.services import ROOT

# the retention job in a process of its own (another app process, as the worker would be)
SHRED = """
import asyncio
from govstat.platform.db.engine import close_pool, start_pool
from govstat.platform.jobs.spec import JobContext
from govstat.platform.subsystems.online import jobs

async def main():
    await start_pool()
    try:
        print(await jobs.enforce_retention(JobContext({}), jobs.CronArgs(job_id="test:shred")))
    finally:
        await close_pool()

asyncio.run(main())
"""


async def _shred_elsewhere(survey_id: uuid.UUID) -> None:
    async with UnitOfWork(OPERATOR) as uow:
        await uow.execute("UPDATE online_survey SET retention_until = current_date - 1 WHERE id = $1", survey_id)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SHRED, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, err.decode()
    assert int(out.split()[-1]) >= 1


def _erased(r) -> bool:
    return r.status_code == 410 and "消去" in r.text


async def test_a_key_shredded_in_another_process_is_refused_here(client, app):
    _, h, s, letters, p = await household_survey(client, n=2)
    survey_id = uuid.UUID(s["id"])
    async with another_client(app) as resp:
        csrf = await respondent_signed_in(resp, letters[0])
        unit = await first_unit(resp)
        body = {**good_answers(p), f"{p}hh_name": "奈良 太郎1", "_csrf": csrf, "_action": "submit"}
        assert (await resp.post(f"/online/units/{unit}", data={**body, "_base_version": "0"})).status_code == 200
        assert (await resp.get(f"/online/units/{unit}")).status_code == 200  # the submitted answers, decrypted
        assert survey_id in keys._open_keys  # this process holds the key unwrapped

        await _shred_elsewhere(survey_id)
        assert survey_id in keys._open_keys  # ... still: the job ran in the other process

        again = await resp.post(f"/online/units/{unit}", data={**body, "_base_version": "1"})
        assert _erased(again), again.text
        draft = await resp.post(f"/online/units/{unit}", data={**body, "_action": "draft"})
        assert _erased(draft), draft.text
        page = await resp.get(f"/online/units/{unit}")  # its last submission would be decrypted
        assert _erased(page), page.text
    export = await client.get(f"/api/online/surveys/{survey_id}/answers.csv", headers=h)
    assert export.status_code == 410 and export.json()["type"].endswith("/erased") and "消去" in export.json()["detail"]
    assert survey_id not in keys._open_keys  # the first refusal dropped this process's copy
    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval("SELECT count(*) FROM online_submission WHERE unit_id = $1", uuid.UUID(unit)) == 1
        assert await uow.fetchval("SELECT count(*) FROM online_draft WHERE unit_id = $1", uuid.UUID(unit)) == 0


async def test_a_submission_reads_the_key_in_its_context_statement(client, app):
    """The key row comes with the unit (context.load): no statement of its own, kept key or not."""
    t, _, s, _, p = await household_survey(client, n=1)
    survey_id = uuid.UUID(s["id"])
    async with UnitOfWork(Scope.system("test")) as uow:
        unit = await uow.fetchrow("SELECT id, respondent_id FROM online_unit WHERE survey_id = $1", survey_id)
    scope = Scope.tenant(t.id, role="respondent", actor=str(unit["respondent_id"]))
    answers = {**good_answers(p), f"{p}hh_name": "奈良 太郎1"}
    for version, kept in ((0, True), (1, False)):
        if not kept:
            keys.forget(survey_id)  # a process that has not opened it yet
        statements: list[str] = []

        def log(query: LoggedQuery, into: list[str] = statements) -> None:
            into.append(query.query)

        async with UnitOfWork(scope) as uow:
            uow.connection.add_query_logger(log)
            here = await context.load(uow, unit["id"], lock=True)
            done = await submissions.submit_to(uow, here, answers, base_version=version, locked=True)
            await asyncio.sleep(0)  # asyncpg calls query loggers soon after, not at once
            uow.connection.remove_query_logger(log)
        assert done.version_no == version + 1
        # the context (unit, survey, password flag, key, lock), the submission, its answers
        assert len(statements) == 3, statements
        assert [q for q in statements if "online_survey_key" in q] == statements[:1]
        assert survey_id in keys._open_keys
