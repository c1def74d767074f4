"""Reloading a data set the platform ships (area codes, classifications), one way for every subsystem
that ships one: a system job the operator starts from the API (audited; one per minute at most) and
a `govstat <module> load` command with a progress bar. A subsystem declares a `Reload` in its
jobs.py and takes the job, the enqueueing and the command from it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec, enqueue
from govstat.platform.security import Scope

if TYPE_CHECKING:
    import click

Progress = Callable[[str, int], None]  # (stage, rows): told once per step of the load

log = logging.getLogger("govstat.jobs.reload")


class ReloadArgs(JobArgs):
    requested_by: str = "system"


@dataclass(frozen=True)
class Reload:
    module: str  # "area": the job is "area.load", its audit action "area.reloaded"
    label: str  # the progress bar's ("標準地域コード読込 / loading area codes")
    about: str  # the command's help
    target: tuple[str, str]  # the audit event's (target_type, target_id)
    read: Callable[[], Any]  # parses the shipped files
    load: Callable[[UnitOfWork, Any, Progress | None], Awaitable[dict[str, int]]]  # replaces the rows: counts
    steps: Callable[[Any], int]  # how many times `load` tells progress for the data `read` gave
    job: JobSpec[Any] = field(init=False)

    def __post_init__(self) -> None:
        job = JobSpec(name=f"{self.module}.load", fn=self.run_job, args_type=ReloadArgs, scope="system")
        object.__setattr__(self, "job", job)

    async def run_job(self, ctx: JobContext, args: ReloadArgs) -> dict[str, int]:
        async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
            counts = await self.load(uow, self.read(), None)
            detail: dict[str, Any] = {"requested_by": args.requested_by, **counts}
            await audit(
                uow,
                f"{self.module}.reloaded",
                tenant_id=None,
                target_type=self.target[0],
                target_id=self.target[1],
                module=self.module,
                **detail,
            )
        log.info("%s loaded: %s", self.module, counts)
        return counts

    async def enqueue(self, requested_by: str = "operator") -> str:
        from govstat.platform.jobs.queue import job_pool

        # One reload per minute at most: the job id is the minute, so a double click enqueues once.
        job_id = f"{self.job.name}:" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M")
        await enqueue(await job_pool(), self.job, ReloadArgs(job_id=job_id, requested_by=requested_by))
        return job_id

    async def run_with_progress(self) -> dict[str, int]:
        """The command's load: in this process, with a progress bar (reading the files is the first step)."""
        from rich.progress import Progress as Bar

        from govstat.platform.db.engine import start_pool

        await start_pool()
        with Bar() as bar:
            task = bar.add_task(self.label, total=None)
            data = self.read()
            bar.update(task, total=1 + self.steps(data), completed=1)
            async with UnitOfWork(Scope.system("cli")) as uow:
                return await self.load(
                    uow, data, lambda stage, n: bar.update(task, advance=1, description=f"{self.label}: {stage}")
                )

    def command(self) -> click.Command:
        """`govstat <module> load`."""
        import asyncio

        import click

        @click.command("load", help=self.about)
        def load() -> None:
            click.echo(f"loaded: {asyncio.run(self.run_with_progress())}")

        return load
