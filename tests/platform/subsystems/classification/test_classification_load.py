"""The loader job and `govstat classification load` replace the data with the same counts."""

from __future__ import annotations

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.reload import ReloadArgs
from govstat.platform.jobs.spec import JobContext
from govstat.platform.security import Scope
from govstat.platform.subsystems.classification.jobs import RELOAD
from tests.support.services import govstat_cli

EXPECTED = {"classifications": 2, "versions": 3, "items": 2109 + 2128 + 415, "correspondence": 2131}


async def _counts() -> dict[str, int]:
    async with UnitOfWork(Scope.system()) as uow:
        return {
            t: await uow.fetchval(f"SELECT count(*) FROM {t}")
            for t in (
                "classification",
                "classification_version",
                "classification_item",
                "classification_correspondence",
            )
        }


async def test_job_reloads_the_same_data():
    assert RELOAD.job.name == "classification.load"
    counts = await RELOAD.job.fn(JobContext(raw={}), ReloadArgs(job_id="test-classification-load"))
    assert counts == EXPECTED
    assert await _counts() == {
        "classification": 2,
        "classification_version": 3,
        "classification_item": 4652,
        "classification_correspondence": 2131,
    }


def test_cli_loads_with_progress():
    result = govstat_cli("classification", "load")
    assert result.returncode == 0, result.stderr
    assert "'items': 4652" in result.stdout and "'correspondence': 2131" in result.stdout


async def test_app_role_cannot_change_shared_classifications():
    async with UnitOfWork(Scope.tenant(uuid.uuid4())) as uow:
        assert await uow.fetchval("SELECT count(*) FROM classification_item") == 4652  # everyone reads
        assert await uow.execute("DELETE FROM classification_item") == "DELETE 0"  # nobody but the operator writes
