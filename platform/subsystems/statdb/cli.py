"""`govstat statdb ...`: register a database table from the command line (with a progress bar)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from govstat.platform.subsystems.statdb.rows import StatTableRow


@click.group()
def group() -> None:
    """統計情報データベース / statistical database."""


@group.command("ingest")
@click.option(
    "--params",
    "params_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="parameter file (YAML, see PARAMS.md)",
)
@click.option(
    "--data",
    "data_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="data file (CSV or XLSX)",
)
@click.option("--tenant", "tenant_code", required=True, help="the owning tenant's code (e.g. mic)")
@click.option("--test-mode/--no-test-mode", default=False, show_default=True, help="register as a test-mode preview")
def ingest(params_path: Path, data_path: Path, tenant_code: str, test_mode: bool) -> None:
    """Validate and register one table for a tenant; errors name the line and field."""
    from govstat.platform.errors import GovstatError

    try:
        row = asyncio.run(_ingest(params_path, data_path, tenant_code, test_mode))
    except GovstatError as exc:
        for e in exc.errors:
            click.echo(f"  {e.field}: {e.message}", err=True)
        raise click.ClickException(exc.detail) from None
    click.echo(
        f"registered {row.stats_data_id}: {row.title} ({row.total_number:,} cells,"
        f" {'test mode' if row.test_mode else row.status})"
    )


async def _ingest(params_path: Path, data_path: Path, tenant_code: str, test_mode: bool) -> StatTableRow:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from govstat.platform import directory
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.errors import NotFound
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.statdb import service

    await start_pool()
    try:
        async with UnitOfWork(Scope(role="operator", actor="cli")) as uow:
            tenant_id = await directory.tenant_id(uow, tenant_code)
        if tenant_id is None:
            raise NotFound(f"利用機関 {tenant_code} がありません / no tenant {tenant_code}")
        upload = service.Upload(params_path.read_bytes(), data_path.read_bytes(), data_path.name)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns) as bar:
            task = bar.add_task("読込 / reading", total=None)

            def progress(stage: str, n: int) -> None:
                if stage == "total":  # cells counted: from now on the bar has an end
                    bar.update(task, total=n, completed=0)
                    return
                labels = {"read": "読込 / reading", "stage": "転送 / staging", "stored": "格納 / stored"}
                bar.update(task, description=labels.get(stage, stage), completed=n)

            async with UnitOfWork(Scope.tenant(tenant_id, role="agency", actor="cli")) as uow:
                registered = await service.register(uow, upload, test_mode=test_mode, progress=progress)
                return await service.get(uow, registered.stats_data_id)
    finally:
        await close_pool()
