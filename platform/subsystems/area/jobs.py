"""Jobs of the area module: (re)load the published e-Stat data."""

from __future__ import annotations

import datetime as dt
import logging

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec, enqueue
from govstat.platform.security import Scope

log = logging.getLogger("govstat.area")


class LoadArgs(JobArgs):
    requested_by: str = "system"


async def load_job(ctx: JobContext, args: LoadArgs) -> dict[str, int]:
    from govstat.platform.subsystems.area.loader import load_into

    async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
        counts = await load_into(uow)
        await audit(
            uow,
            "area.reloaded",
            tenant_id=None,
            target_type="area_data",
            target_id="e-stat",
            module="area",
            requested_by=args.requested_by,
            **counts,
        )
    log.info("area codes loaded: %s", counts)
    return counts


LOAD_JOB = JobSpec(name="area.load", fn=load_job, args_type=LoadArgs, scope="system")


async def enqueue_load(requested_by: str = "operator") -> str:
    from govstat.platform.jobs.queue import job_pool

    # One reload per minute at most: the job id is the minute, so a double click enqueues once.
    job_id = "area.load:" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M")
    await enqueue(await job_pool(), LOAD_JOB, LoadArgs(job_id=job_id, requested_by=requested_by))
    return job_id
