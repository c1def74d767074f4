"""The job that builds a streamed upload's dimension indexes after its commit (statdb_0016, issue 14 §5)."""

from __future__ import annotations

import logging

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.security import Scope

log = logging.getLogger("govstat.statdb")


class IndexArgs(JobArgs):
    pass


async def index_partitions_job(ctx: JobContext, args: IndexArgs) -> list[int]:
    """The dimension indexes a streamed upload left to after its commit (statdb_0016): one
    partition per transaction until none is missing (at most 100 a run; the next minute goes on).
    Idempotent: an index that exists is not built again, and a worker that dies mid-build leaves
    nothing (CREATE INDEX is transactional); reads are correct meanwhile, only slower when narrowed."""
    built: list[int] = []
    while len(built) < 100:
        async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
            await uow.long_running()
            table_id = await uow.fetchval("SELECT statdb_index_next()")
        if table_id is None:
            break
        built.append(table_id)
    if built:
        log.info("statdb: dimension indexes built for tables %s", built)
    return built


INDEX_JOB = JobSpec(
    name="statdb.index_partitions",
    fn=index_partitions_job,
    args_type=IndexArgs,
    cron={"second": {30}},
    cron_args=lambda: IndexArgs(job_id="statdb.index_partitions:cron"),
    scope="system",
)
