"""`govstat area ...`: operator commands of the area module."""

from __future__ import annotations

import asyncio

import click


@click.group()
def group() -> None:
    """標準地域コード / standard area codes."""


@group.command("load")
def load() -> None:
    """Load the shipped e-Stat area data (replaces the previous load), with progress."""
    from rich.progress import Progress

    from govstat.platform.db.engine import start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.area.history import load_all
    from govstat.platform.subsystems.area.loader import load_into

    async def run() -> dict:
        await start_pool()
        with Progress() as progress:
            task = progress.add_task("標準地域コード読込 / loading area codes", total=5)
            data = load_all()
            progress.advance(task)
            async with UnitOfWork(Scope.system("cli")) as uow:
                counts = await load_into(uow, data, lambda stage, n: progress.advance(task))
        return counts

    counts = asyncio.run(run())
    click.echo(f"loaded: {counts}")
