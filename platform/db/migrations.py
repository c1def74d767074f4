"""Migrations: Piccolo's migration runner with SQL steps written by hand.

Each app keeps `piccolo_migrations/<app>_NNNN_<what>.py` (file names are
global: Piccolo imports them by bare name). Steps are SQL so that constraints
Piccolo cannot express (composite keys, partial unique indexes, row-level
security) live in the same migration as the table. Migrations run as the owner
role; the app role then gets only the rights it needs.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

from govstat.platform.db.rls import APPEND_ONLY_MARK

APP_ROLE = "govstat_app"


def sql_migration(
    *, migration_id: str, app_name: str, description: str, up: str, down: str = ""
) -> Callable[[], Coroutine[Any, Any, MigrationManager]]:
    """Build the `forwards` coroutine of a migration module from SQL text."""

    async def forwards() -> MigrationManager:
        manager = MigrationManager(migration_id=migration_id, app_name=app_name, description=description)

        async def run() -> None:
            await _execute(up)

        async def run_back() -> None:
            if down:
                await _execute(down)

        manager.add_raw(run)
        manager.add_raw_backwards(run_back)
        return manager

    return forwards


async def _execute(sql: str) -> None:
    engine = engine_finder()
    if not isinstance(engine, PostgresEngine):
        raise RuntimeError(f"migrations run on piccolo_conf's PostgresEngine, found {engine!r}")
    tx = engine.current_transaction.get()
    if tx is not None:
        await tx.connection.execute(sql)  # execute() allows several statements
    else:
        conn = await engine.get_new_connection()
        try:
            await conn.execute(sql)
        finally:
            await conn.close()


GRANTS = f"""
GRANT USAGE ON SCHEMA public TO {APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
REVOKE ALL ON TABLE migration FROM {APP_ROLE};
DO $$ DECLARE r record; BEGIN
  -- the grant above covers every table: take change and removal back from append-only ones
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND obj_description(c.oid, 'pg_class') = '{APPEND_ONLY_MARK}' LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM {APP_ROLE}', r.relname);
  END LOOP;
  -- views are the parts' read interfaces (docs/decisions/0010): read only
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind = 'v' LOOP
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I FROM {APP_ROLE}', r.relname);
  END LOOP;
END $$;
"""
