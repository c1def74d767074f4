"""`govstat migrate`: run every app's migrations as the owner role, then grant the app role."""

from __future__ import annotations

import asyncio
import contextlib
import io
from typing import Any

from govstat.platform.db.engine import DB, use_dsn
from govstat.platform.db.migrations import GRANTS
from govstat.platform.settings import Settings


async def migrate(settings: Settings, *, quiet: bool = False) -> list[str]:
    """Apply pending migrations; returns the ids applied."""
    from piccolo.apps.migrations.commands.forwards import run_forwards
    from piccolo.apps.migrations.tables import Migration

    use_dsn(settings.migration_database_url)
    try:
        before = set(await _applied(Migration))
        out = io.StringIO()
        with contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext():
            result = await run_forwards(app_name="all")
        if not result.success:
            raise RuntimeError(f"migration failed: {result.message}\n{out.getvalue()}")
        conn = await DB.get_new_connection()
        try:
            await conn.execute(GRANTS)
        finally:
            await conn.close()
        return sorted(set(await _applied(Migration)) - before)
    finally:
        use_dsn(settings.database_url)


async def _applied(Migration: type[Any]) -> list[str]:  # piccolo.apps.migrations.tables.Migration
    if not await Migration.table_exists():
        return []
    return [r["name"] for r in await Migration.select(Migration.name)]


def run(settings: Settings, quiet: bool = False) -> list[str]:
    return asyncio.run(migrate(settings, quiet=quiet))
