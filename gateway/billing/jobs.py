"""The invoice run as an arq job, on a schedule and on the operator's request.

The schedule runs at 02:00 JST on days 1..5 for the previous month: the first runs write
drafts (late usage still arrives), the first run after the grace period finalises, and the
later ones change nothing. Enqueueing is idempotent by job id.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

import msgspec

from govstat.gateway.billing.invoicing import run_invoices
from govstat.gateway.billing.periods import JST, Period, parse_now, previous_period
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec, enqueue

log = logging.getLogger("govstat.billing")
JOB_NAME = "gateway.invoice_run"


class InvoiceRunArgs(JobArgs):
    period: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    now: str = ""  # ISO datetime; empty: the time the job runs
    requested_by: str = "schedule"


async def invoice_run_job(ctx: JobContext, args: InvoiceRunArgs) -> dict[str, int]:
    report = await run_invoices(Period.parse(args.period), parse_now(args.now), actor=f"job:{args.job_id}")
    counts = report.counts()
    log.info("invoice run %s (%s): %s", args.period, "final" if report.finalising else "draft", counts)
    if report.errors:
        # Every other tenant is done; failing the job makes the missing ones visible (the next run retries them).
        raise RuntimeError(
            f"invoice run {args.period}: {len(report.errors)} tenants failed: "
            + ", ".join(f"{r.code}: {r.error}" for r in report.errors[:5])
        )
    return counts


def scheduled_args(now: dt.datetime | None = None) -> InvoiceRunArgs:
    now = (now or dt.datetime.now(JST)).astimezone(JST)
    period = previous_period(now)
    return InvoiceRunArgs(job_id=f"{JOB_NAME}:{period}:{now:%Y-%m-%d}", period=str(period))


INVOICE_RUN = JobSpec(
    name=JOB_NAME,
    fn=invoice_run_job,
    args_type=InvoiceRunArgs,
    cron={"day": {1, 2, 3, 4, 5}, "hour": {2}, "minute": {0}},
    cron_args=scheduled_args,
    timeout_seconds=3600,
    scope="system",
)


async def enqueue_run(period: Period, requested_by: str) -> str:
    """At most one requested run per period and minute: a double click enqueues once."""
    from govstat.platform.jobs.queue import job_pool

    job_id = f"{JOB_NAME}:{period}:{dt.datetime.now(JST):%Y%m%dT%H%M}"
    await enqueue(
        await job_pool(), INVOICE_RUN, InvoiceRunArgs(job_id=job_id, period=str(period), requested_by=requested_by)
    )
    return job_id
