"""The maintenance job: a run's file applied in chunks, each chunk one transaction that also moves
the run's progress on, so the operator's page shows it; the report and the errors at the end."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from typing import Any

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit, emit
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.security import Scope
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.classification import published as classification
from govstat.platform.subsystems.frame.events import RegisterMaintained
from govstat.platform.subsystems.frame.maintenance import apply, inputs

CHUNK = 200
log = logging.getLogger("govstat.frame")


class MaintainArgs(JobArgs):
    run_id: uuid.UUID


async def run(ctx: JobContext, args: MaintainArgs) -> dict[str, Any]:
    scope = Scope.system(f"job:{args.job_id}")
    async with UnitOfWork(scope) as uow:
        r = await uow.fetchrow(
            "SELECT kind, source, effective_on, created_by FROM frame_run WHERE id = $1", args.run_id
        )
        if r is None:
            return {}
        kind, day, by = r["kind"], r["effective_on"], r["created_by"]
        checks = inputs.Checks(
            areas=set((await area.valid_on(uow, day)).keys()),
            jsic={i.code for i in await classification.items_at_level(uow, "jsic-14", 4)},
        )
        records = list(inputs.rows(kind, bytes(r["source"] or b""), checks))
        await uow.execute(
            "UPDATE frame_run SET status = 'running', total = $2 WHERE id = $1", args.run_id, len(records)
        )
    report: Counter[str] = Counter()
    reason = f"{'経済センサス' if kind == 'census' else '法人番号'}ファイル（run {str(args.run_id)[:8]}）"
    try:
        for start in range(0, len(records), CHUNK):
            async with UnitOfWork(scope) as uow:
                await uow.act_as(by or scope.actor)
                for line, rec in records[start : start + CHUNK]:
                    await apply.one(uow, kind, line, rec, day, report, checks, reason)
                await uow.execute(
                    "UPDATE frame_run SET done = $2 WHERE id = $1",
                    args.run_id,
                    start + len(records[start : start + CHUNK]),
                )
    except Exception as exc:
        async with UnitOfWork(scope) as uow:
            await uow.execute("UPDATE frame_run SET status = 'failed', errors = $2::jsonb, finished_at = now() WHERE id = $1",
                              args.run_id, msgspec.json.encode([{"line": 0, "field": "", "message": str(exc)[:500]}]).decode())  # fmt: skip
        raise
    errors = sorted(checks.errors, key=lambda e: e["line"])
    async with UnitOfWork(scope) as uow:
        await uow.execute("UPDATE frame_run SET status = 'done', report = $2::jsonb, errors = $3::jsonb, finished_at = now()"
                          " WHERE id = $1", args.run_id, msgspec.json.encode(dict(report)).decode(),
                          msgspec.json.encode(errors).decode())  # fmt: skip
        await audit(uow, "frame.register.maintained", tenant_id=None, target_type="frame_run", target_id=args.run_id,
                    module="frame", kind=kind, errors=len(errors), report=dict(report))  # fmt: skip
        await emit(
            uow, RegisterMaintained(run_id=args.run_id, run_kind=kind, changed=sum(report.values()), errors=len(errors))
        )
    log.info("frame run %s: %s, %d errors", args.run_id, dict(report), len(errors))
    return {"report": dict(report), "errors": len(errors)}


MAINTAIN_JOB = JobSpec(name="frame.maintain", fn=run, args_type=MaintainArgs, scope="system", timeout_seconds=3600)
