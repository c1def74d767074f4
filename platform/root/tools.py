"""Operator tools behind the CLI."""

from __future__ import annotations

from rich.progress import Progress

from govstat.platform.db.engine import start_pool
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.settings import Settings


async def verify_audit(settings: Settings) -> int | None:
    from govstat.ops.auditlog import verify_chain

    await start_pool()
    async with UnitOfWork(Scope.system("audit-verify")) as uow:
        total = await uow.fetchval("SELECT count(*) FROM audit_log")
        with Progress() as progress:
            task = progress.add_task("監査ログ検証 / verifying audit chain", total=total)
            return await verify_chain(uow, progress=lambda: progress.advance(task))


async def outbox_status(settings: Settings) -> str:
    await start_pool()
    async with UnitOfWork(Scope.system("cli")) as uow:
        row = await uow.fetchrow(
            "SELECT count(*) FILTER (WHERE published_at IS NULL) AS pending,"
            " count(*) AS total, min(created_at) FILTER (WHERE published_at IS NULL) AS oldest"
            " FROM outbox"
        )
    assert row is not None  # an aggregate answers one row
    return f"pending={row['pending']} total={row['total']} oldest_pending={row['oldest']}"
