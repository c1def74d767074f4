"""Jobs: declared by modules, serialised with msgspec, idempotent by job id, run by the arq worker."""

import uuid

import msgspec

from govstat.ops.jobs import OUTBOX_CLEANUP, CleanupArgs
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.queue import job_pool
from govstat.platform.jobs.spec import deserialize, enqueue, serialize
from govstat.platform.root.catalog import CATALOG
from govstat.platform.root.processes import worker_settings
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.queued_jobs import run_worker


def test_jobs_serialise_with_msgspec_not_pickle():
    args = CleanupArgs(job_id="x", tenant_id=uuid.uuid4(), keep_days=3)
    data = serialize({"a": [msgspec.to_builtins(args)]})
    assert not data.startswith(b"\x80")  # not a pickle
    back = msgspec.convert(deserialize(data)["a"][0], CleanupArgs)
    assert back == args


def test_worker_collects_jobs_from_modules():
    names = {f.name for f in worker_settings(get_settings(), CATALOG)["functions"]}
    assert {"area.load", "ops.outbox_cleanup"} <= names
    assert "cron:ops.outbox_cleanup" in {c.name for c in worker_settings(get_settings(), CATALOG)["cron_jobs"]}


async def test_enqueue_is_idempotent_and_the_worker_runs_the_job():
    async with UnitOfWork(Scope.system()) as uow:
        await uow.execute(
            "INSERT INTO outbox (id, kind, topic_suffix, payload, published_at)"
            " VALUES (gen_random_uuid(), 'audit', 'audit', '\\x00', now() - interval '30 days')"
        )
    pool = await job_pool()
    job_id = f"ops.outbox_cleanup:{uuid.uuid4().hex}"
    first = await enqueue(pool, OUTBOX_CLEANUP, CleanupArgs(job_id=job_id, keep_days=7))
    second = await enqueue(pool, OUTBOX_CLEANUP, CleanupArgs(job_id=job_id, keep_days=7))
    assert first is not None and second is None  # same id: queued once

    worker = await run_worker()
    assert worker.jobs_complete >= 1 and worker.jobs_failed == 0
    assert await first.result(timeout=5) >= 1
    async with UnitOfWork(Scope.system()) as uow:
        assert await uow.fetchval("SELECT count(*) FROM outbox WHERE published_at < now() - interval '8 days'") == 0
