"""Issue 10 §7: exactly one first submission per issued ID and unit, enforced on the server. A hundred
parallel submissions with one credential against the real app (gateway, pool, row lock) give one
accepted version 1; every other answer is a conflict (409), never a second first version."""

import asyncio
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.online.online_support import (
    first_unit,
    good_answers,
    household_survey,
    respondent_signed_in,
    roomy_plan,
)


async def test_a_hundred_parallel_first_submissions_make_one_version_1(client):
    _, _, _, letters, p = await household_survey(client, n=1, plan=await roomy_plan())
    csrf = await respondent_signed_in(client, letters[0])
    unit = await first_unit(client)
    body = {**good_answers(p), f"{p}hh_name": "奈良 太郎1", "_csrf": csrf, "_action": "submit", "_base_version": "0"}

    async def one():
        return (await client.post(f"/online/units/{unit}", data=body)).status_code

    statuses = await asyncio.gather(*(one() for _ in range(100)))
    assert statuses.count(200) == 1 and statuses.count(409) == 99, sorted(set(statuses))
    async with UnitOfWork(Scope.system("test")) as uow:
        versions = await uow.fetch("SELECT version_no FROM online_submission WHERE unit_id = $1", uuid.UUID(unit))
        events = await uow.fetchval(
            "SELECT count(*) FROM outbox WHERE convert_from(payload, 'UTF8') LIKE $1", f"%online.submitted%{unit}%"
        )
    assert [v["version_no"] for v in versions] == [1] and events == 1
