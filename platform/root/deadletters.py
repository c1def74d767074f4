"""`govstat deadletters ...`: the operator's look at dead letters and their replay (events/replay.py).

govstat deadletters list [--consumer NAME] [--all]      the open dead letters (--all: replayed too)
govstat deadletters replay ID                           put one back
govstat deadletters replay --consumer NAME              put back a consumer's open ones, oldest first
"""

from __future__ import annotations

import asyncio
import getpass
from collections import Counter
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import click

from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import ConfigError, GovstatError
from govstat.platform.security import Scope


@click.group()
def group() -> None:
    """デッドレター / dead letters: events set aside after repeated failures."""


@group.command("list")
@click.option("--consumer", default=None, help="one consumer's (relay, or a read model's name)")
@click.option("--all", "everything", is_flag=True, help="also the replayed ones")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def list_cmd(consumer: str | None, everything: bool, limit: int) -> None:
    """The latest dead letters, newest first."""
    from govstat.platform.events.health import latest_dead_letters

    async def run() -> None:
        async with _uow() as uow:
            rows = await latest_dead_letters(uow, limit, consumer=consumer, replayed=everything)
        for r in rows:
            state = (
                f"replayed {r.replayed_at:%Y-%m-%d %H:%M:%S} by {r.replayed_by} ({r.outcome})"
                if r.replayed_at
                else "open"
            )
            if r.replayed_at is None and r.outcome == "failed":
                state = "open (replay failed)"
            click.echo(
                f"{r.id}\t{r.created_at:%Y-%m-%d %H:%M:%S}\t{r.consumer}\t{r.topic}\tattempts={r.attempts}\t{state}"
            )
            click.echo(f"\t{r.event_id}\t{r.error}")
        click.echo(f"{len(rows)} dead letter(s)")

    _run(run())


@group.command("replay")
@click.argument("dead_letter_id", type=int, required=False)
@click.option("--consumer", default=None, help="replay this consumer's open dead letters instead of one")
@click.option("--limit", type=click.IntRange(1, 10_000), default=500, show_default=True)
@click.pass_obj
def replay_cmd(catalog: Catalog, dead_letter_id: int | None, consumer: str | None, limit: int) -> None:
    """Put a dead letter back once its cause is fixed (one, by ID, or all of --consumer)."""
    if (dead_letter_id is None) == (consumer is None):
        raise click.UsageError("give either a dead letter ID or --consumer NAME")
    from govstat.platform.events.replay import Replayer

    by = _actor()

    async def run() -> None:
        replayer = Replayer.of(catalog)
        async with _uow() as uow:
            if dead_letter_id is not None:
                done = [await replayer.one(uow, dead_letter_id, by=by)]
            else:
                done = await replayer.consumer(uow, str(consumer), by=by, limit=limit)
        for r in done:
            click.echo(f"{r.id}\t{r.consumer}\t{r.event_id}\t{r.outcome}" + (f"\t{r.error}" if r.error else ""))
        counts = Counter(r.outcome for r in done)
        click.echo(", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "nothing to replay / 対象なし")

    _run(run())


@asynccontextmanager
async def _uow() -> AsyncIterator[UnitOfWork]:
    """The operator's unit of work (cross-tenant, as on /ops), on a pool of this command's own."""
    from govstat.platform.db.engine import close_pool, start_pool

    await start_pool()
    try:
        async with UnitOfWork(Scope(role="operator", actor=_actor())) as uow:
            yield uow
    finally:
        await close_pool()


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _run(work: Coroutine[Any, Any, None]) -> None:
    from govstat.platform.events.replay import AlreadyReplayed
    from govstat.platform.settings import load_settings, set_settings

    try:
        set_settings(load_settings())
    except ConfigError as exc:
        raise click.ClickException(f"設定エラー / configuration error: {exc.detail}") from None
    try:
        asyncio.run(work)
    except AlreadyReplayed as exc:  # a no-op, and says so
        click.echo(exc.detail)
    except GovstatError as exc:  # refused: no such dead letter, or its event still dated ahead
        raise click.ClickException(exc.detail) from None
