"""`govstat classification ...`: operator commands of the classification module."""

from __future__ import annotations

import asyncio

import click


@click.group()
def group() -> None:
    """統計分類 / statistical classifications."""


@group.command("load")
def load() -> None:
    """Load the shipped classifications and recompute the correspondences (replaces the previous load)."""
    from rich.progress import Progress

    from govstat.platform.db.engine import start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.classification.loader import load_into
    from govstat.platform.subsystems.classification.parsing import CORRESPONDENCES, load_all

    async def run() -> dict:
        await start_pool()
        with Progress() as progress:
            task = progress.add_task("統計分類読込 / loading classifications", total=None)
            data = load_all()
            # cleared, classifications+versions, one step per version's items, one per correspondence
            progress.update(task, total=3 + len(data.versions) + len(CORRESPONDENCES), completed=1)
            async with UnitOfWork(Scope.system("cli")) as uow:
                counts = await load_into(
                    uow,
                    data,
                    lambda stage, n: progress.update(
                        task, advance=1, description=f"統計分類読込 / loading classifications: {stage}"
                    ),
                )
        return counts

    counts = asyncio.run(run())
    click.echo(f"loaded: {counts}")
