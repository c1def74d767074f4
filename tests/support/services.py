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
