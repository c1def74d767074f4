"""Helpers that drive the real local services and the govstat CLI from tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "ops/services"


def run(cmd: list[str], timeout: int = 180, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def recreate_test_database(name: str) -> None:
    run([str(SERVICES / "postgres.sh"), "recreatedb", name])


def govstat_cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "govstat.platform.root", *args], timeout=timeout)


def kafka(action: str) -> None:
    run([str(SERVICES / "kafka.sh"), action], timeout=120)


async def as_owner(sql: str, *args: object) -> None:
    """One statement as the database's owner (GOVSTAT_MIGRATION_DATABASE_URL) in the platform's
    system role (app.role), committed: for rows no API makes, such as fee plans of the tests' own."""
    import asyncpg

    conn = await asyncpg.connect(os.environ["GOVSTAT_MIGRATION_DATABASE_URL"])
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.role', 'system', true)")
            await conn.execute(sql, *args)
    finally:
        await conn.close()
