"""`govstat billing run` as the operator runs it, and the scheduled arq job."""

import datetime as dt
import uuid

import pytest

from govstat.gateway.billing.jobs import INVOICE_RUN, InvoiceRunArgs, scheduled_args
from govstat.platform.jobs.queue import job_pool
from govstat.platform.jobs.spec import enqueue
from govstat.platform.root.catalog import CATALOG
from govstat.platform.root.processes import worker_settings
from govstat.platform.settings import get_settings
from tests.support.billing_factories import (
    apply_usage,
    invoice_of,
    jst,
    make_approved_body,
    make_constituent,
    make_plan,
    summary,
    usage,
)
from tests.support.queued_jobs import run_worker
from tests.support.services import govstat_cli


async def test_billing_run_command_drafts_then_finalises():
    ministry = await make_constituent(annual_fee_yen=600_000)
    plan = await make_plan(10_000, {("area", "area.search"): ("3", 0)})
    body = await make_approved_body(plan)
    await apply_usage(usage(body.id, "area.search", 7, jst(2026, 8, 9)))

    out = govstat_cli("billing", "run", "--period", "2026-08", "--now", "2026-09-02T02:00:00+09:00").stdout
    assert "period=2026-08 mode=draft" in out and "created=" in out
    assert (await invoice_of(ministry, "2026-08"))["status"] == "draft"
    assert summary(await invoice_of(body, "2026-08")) == [("base_fee", "", 1, 10_000), ("usage", "area.search", 7, 21)]

    out = govstat_cli(
        "billing",
        "run",
        "--period",
        "2026-08",
        "--now",
        "2026-09-04T02:00:00",  # JST without offset
        "--tenant",
        ministry.code,
        "--tenant",
        body.code,
    ).stdout
    assert "mode=final" in out and "finalised=2" in out and "10,021" in out
    assert (await invoice_of(ministry, "2026-08"))["total_yen"] == 50_000
    again = govstat_cli(
        "billing", "run", "--period", "2026-08", "--now", "2026-09-05T02:00:00", "--tenant", body.code
    ).stdout
    assert "final=1" in again and (await invoice_of(body, "2026-08"))["status"] == "final"


def test_billing_run_command_refuses_bad_input():
    with pytest.raises(RuntimeError, match="YYYY-MM"):
        govstat_cli("billing", "run", "--period", "2026-8")
    with pytest.raises(RuntimeError, match="unknown tenants"):
        govstat_cli("billing", "run", "--period", "2026-08", "--tenant", "no-such-tenant")


def test_the_schedule_invoices_the_previous_month_at_two_in_the_morning():
    args = scheduled_args(dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))))
    assert (args.period, args.job_id) == ("2026-11", "gateway.invoice_run:2026-11:2026-12-01")
    assert scheduled_args(jst(2027, 1, 3, 2)).period == "2026-12"
    assert INVOICE_RUN.cron == {"day": {1, 2, 3, 4, 5}, "hour": {2}, "minute": {0}}
    crons = {c.name: c for c in worker_settings(get_settings(), CATALOG)["cron_jobs"]}
    assert "cron:gateway.invoice_run" in crons


async def test_the_job_runs_in_the_worker_and_is_enqueued_once():
    body = await make_approved_body(await make_plan(7_000, {}))
    job_id = f"gateway.invoice_run:test:{uuid.uuid4().hex}"
    args = InvoiceRunArgs(job_id=job_id, period="2026-07", now="2026-08-04T02:00:00+09:00", requested_by="test")
    pool = await job_pool()
    first, second = await enqueue(pool, INVOICE_RUN, args), await enqueue(pool, INVOICE_RUN, args)
    assert first is not None and second is None
    await run_worker()
    counts = await first.result(timeout=10)
    assert counts.get("finalised", 0) >= 1
    assert summary(await invoice_of(body, "2026-07")) == [("base_fee", "", 1, 7_000)]
