"""`govstat billing ...`: the operator's billing commands."""

from __future__ import annotations

import asyncio

import click


@click.group()
def group() -> None:
    """利用料金 / billing: invoice runs."""


@group.command("run")
@click.option("--period", required=True, help="対象月 / the month to invoice, YYYY-MM")
@click.option("--now", default=None, help="この時点として実行 / run as of this ISO datetime (JST if no offset)")
@click.option("--tenant", "tenants", multiple=True, help="機関コードで限定 / only these tenant codes (repeatable)")
def run(period: str, now: str | None, tenants: tuple[str, ...]) -> None:
    """Write or refresh the period's draft invoices, or finalise them after the grace period."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from govstat.gateway.billing.invoicing import run_invoices
    from govstat.gateway.billing.periods import Period, parse_now
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.errors import GovstatError
    from govstat.platform.security import Scope
    from govstat.tenants import directory

    console = Console()

    async def go():
        the_period, the_now = Period.parse(period), parse_now(now)
        await start_pool()
        try:
            ids = None
            if tenants:
                async with UnitOfWork(Scope.system("cli")) as uow:
                    rows = await directory.tenants_by_code(uow, list(tenants))
                missing = set(tenants) - {r.code for r in rows}
                if missing:
                    raise click.ClickException(f"機関が見つかりません / unknown tenants: {', '.join(sorted(missing))}")
                ids = [r.id for r in rows]
            with Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
            ) as progress:
                task = progress.add_task(f"請求書 {the_period} / invoices", total=None)
                return await run_invoices(
                    the_period,
                    the_now,
                    tenant_ids=ids,
                    actor="cli",
                    on_start=lambda n: progress.update(task, total=n),
                    on_tenant=lambda r: progress.update(task, advance=1, description=f"{the_period} {r.code}"),
                )
        finally:
            await close_pool()

    try:
        report = asyncio.run(go())
    except GovstatError as exc:
        raise click.ClickException(exc.detail) from None
    table = Table(title=f"{report.period} ({'確定 / final' if report.finalising else '下書き / draft'})")
    for column in ("tenant", "outcome", "status", "total_yen", "invoice"):
        table.add_column(column)
    for r in report.results:
        table.add_row(r.code, r.outcome, r.status, f"{r.total_yen:,}", str(r.invoice_id or r.error))
    console.print(table)
    counts = report.counts()
    click.echo(
        f"period={report.period} mode={'final' if report.finalising else 'draft'} tenants={len(report.results)} "
        + " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    )
    if report.errors:
        raise click.ClickException(
            f"{len(report.errors)} 機関で失敗 / tenants failed: " + ", ".join(r.code for r in report.errors)
        )
