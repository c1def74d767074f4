"""A job runs in its tenant's scope: the worker opens the job's tenant unit of work and hands it in,
so row-level security and the repositories keep the job to its tenant's rows. System jobs declare
scope="system" in their JobSpec."""

import uuid

import pytest
from arq.worker import Worker

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.jobs.queue import job_pool
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.jobs.worker import build_worker_settings
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from govstat.tenants.tables import ApiKey
from tests.support.factories import api_key, make_tenant

QUEUE = "test:job-scope"


class PeekArgs(JobArgs):
    other_key: uuid.UUID


async def peek(ctx: JobContext, args: PeekArgs) -> dict:
    """Tries to read and change another tenant's API key, by SQL and through a repository."""
    uow = ctx.uow
    seen = await uow.fetchval("SELECT count(*) FROM api_key WHERE id = $1", args.other_key)
    status = await uow.execute("UPDATE api_key SET name = 'hijacked by a job' WHERE id = $1", args.other_key)
    try:
        await uow.repo(ApiKey).get(args.other_key)
        repo = "found"
    except NotFound:
        repo = "not found"
    own = await uow.fetchval("SELECT count(*) FROM api_key")
    return {
        "role": ctx.scope.role,
        "tenant": str(ctx.scope.tenant_id),
        "seen": seen,
        "updated": status,
        "repo": repo,
        "own": own,
    }


async def peek_as_system(ctx: JobContext, args: PeekArgs) -> int:
    async with ctx.unit_of_work() as uow:
        return await uow.fetchval("SELECT count(*) FROM api_key WHERE id = $1", args.other_key)


TENANT_PEEK = JobSpec(name="test.tenant_peek", fn=peek, args_type=PeekArgs)
SYSTEM_PEEK = JobSpec(name="test.system_peek", fn=peek_as_system, args_type=PeekArgs, scope="system")


async def _run(*jobs: tuple[JobSpec, PeekArgs]) -> list:
    pool = await job_pool()
    queued = [
        await pool.enqueue_job(spec.name, _plain(args), _job_id=args.job_id, _queue_name=QUEUE) for spec, args in jobs
    ]
    settings = build_worker_settings(get_settings(), [TENANT_PEEK, SYSTEM_PEEK])
    settings.update(burst=True, poll_delay=0.05, queue_name=QUEUE, max_tries=1)
    worker = Worker(**settings, handle_signals=False)
    await worker.main()
    await worker.close()
    results = []
    for job in queued:
        try:
            results.append(await job.result(timeout=10))
        except Exception as exc:
            results.append(exc)
    return results


def _plain(args):
    import msgspec

    return msgspec.to_builtins(args)


async def test_a_tenant_job_cannot_touch_another_tenants_rows():
    mine, other = await make_tenant(), await make_tenant()
    await api_key(mine.id)
    await api_key(other.id)
    async with UnitOfWork(Scope.system()) as uow:
        other_key = await uow.fetchval("SELECT id FROM api_key WHERE tenant_id = $1", other.id)
    tag = uuid.uuid4().hex[:8]
    tenant_run, system_run = await _run(
        (TENANT_PEEK, PeekArgs(job_id=f"peek:{tag}", tenant_id=mine.id, other_key=other_key)),
        (SYSTEM_PEEK, PeekArgs(job_id=f"peek-system:{tag}", other_key=other_key)),
    )
    assert tenant_run == {
        "role": "agency",
        "tenant": str(mine.id),
        "seen": 0,
        "updated": "UPDATE 0",
        "repo": "not found",
        "own": 1,
    }
    assert system_run == 1  # the row is there: only the tenant scope hid it
    async with UnitOfWork(Scope.system()) as uow:
        assert await uow.fetchval("SELECT name FROM api_key WHERE id = $1", other_key) != "hijacked by a job"


async def test_a_tenant_job_without_a_tenant_is_refused():
    other = await make_tenant()
    (result,) = await _run((TENANT_PEEK, PeekArgs(job_id=f"peek-none:{uuid.uuid4().hex[:8]}", other_key=other.id)))
    assert isinstance(result, Exception) and "ValueError: test.tenant_peek is a tenant job" in str(result)


@pytest.mark.parametrize("spec", [s for s in CATALOG.jobs if s.cron], ids=lambda s: s.name)
def test_scheduled_jobs_declare_the_system_scope(spec):
    """A schedule has no tenant: it must say so, or the worker would refuse it."""
    assert spec.scope == "system"
