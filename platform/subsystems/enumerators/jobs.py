"""The daily job that moves assignments through municipal mergers, for every tenant (system scope:
it reads and changes assignments and their change records, never the enumerators' personal data)."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.security import Scope


class FollowArgs(JobArgs):
    pass


async def follow_mergers(ctx: JobContext, args: FollowArgs) -> dict[str, int]:
    from govstat.platform.subsystems.enumerators.assignments import follow

    async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
        result = await follow(uow)
    return {"moved": result.moved, "review": result.review}


FOLLOW_JOB = JobSpec(
    name="enumerators.follow_mergers",
    fn=follow_mergers,
    args_type=FollowArgs,
    cron={"hour": {18}, "minute": {10}},  # 03:10 JST
    cron_args=lambda: FollowArgs(job_id="enumerators.follow_mergers:cron"),
    scope="system",
)
