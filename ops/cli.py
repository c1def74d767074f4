"""`govstat ops ...`: operator tools of the operations part.

govstat ops report --fy 2026 --out report.xlsx               the annual report to the liaison meeting
govstat ops report --kind mic --fy 2026 --out mic.csv         the report to MIC
govstat ops report --kind plan --fy 2027 --out plan.xlsx      the annual operation plan
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from govstat.platform.catalog import Catalog


@click.group()
def group() -> None:
    """運用管理 / operations: yearly reports and the operation plan."""


@group.command("report")
@click.option("--fy", type=click.IntRange(2000, 2100), default=None, help="fiscal year (April-March); the current one")
@click.option(
    "--kind",
    type=click.Choice(["annual", "mic", "plan"]),
    default="annual",
    show_default=True,
    help="annual: liaison meeting (GOV-13); mic: report to MIC; plan: operation plan (GOV-14)",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="file to write: .xlsx or .csv (UTF-8 with BOM)",
)
@click.pass_obj
def report_cmd(catalog: Catalog, fy: int | None, kind: str, out: Path) -> None:
    """Write a yearly report (the figures as they stand, not issued) to an XLSX or CSV file."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise click.BadParameter("the file must end in .xlsx or .csv", param_hint="--out")
    from govstat.ops.reports import periods

    year = fy if fy is not None else periods.current_fiscal_year() + (kind == "plan")
    data = asyncio.run(_gather(catalog, kind, year, fmt))
    out.write_bytes(data)
    click.echo(f"{out} ({len(data):,} bytes): {kind} FY{year}")


async def _gather(catalog: Catalog, kind: str, fy: int, fmt: str) -> bytes:
    from rich.progress import Progress

    from govstat.ops.reports.annual import figures as annual
    from govstat.ops.reports.files import render
    from govstat.ops.reports.mic import figures as mic
    from govstat.ops.reports.plan import figures as plan
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope

    module = {"annual": annual, "mic": mic, "plan": plan}[kind]
    await start_pool()
    try:
        with Progress() as progress:
            task = progress.add_task(f"集計中 / gathering FY{fy} {kind}", total=module.STEPS + 1)

            def step(name: str) -> None:
                progress.update(task, advance=1, description=f"{name}")

            async with UnitOfWork(Scope(role="operator", actor="cli")) as uow:
                await uow.execute("SET TRANSACTION READ ONLY")
                report = await module.build(uow, catalog, fy, step=step)
            data = render.render(report, fmt)
            progress.update(task, advance=1, description=f"{fmt.upper()} 作成 / written")
        return data
    finally:
        await close_pool()
