"""A private PostgreSQL, Redis and Kafka on their own ports and data directory, for tests that
kill them (kill -9) without disturbing the shared services other sessions use.

The stack is started with the ordinary ops/services scripts (GOVSTAT_DATA_DIR, GOVSTAT_*_PORT),
migrated and seeded with `govstat migrate` / `govstat seed --demo`, and removed at the end.
PostgreSQL runs with fsync on (no GOVSTAT_PG_FAST): a killed server must keep what it committed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.server import free_port
from tests.support.services import ROOT, SERVICES

SERVICE_NAMES = ("postgres", "redis", "kafka")


class PrivateStack:
    def __init__(self) -> None:
        # Under /var/tmp: the OS user postgres must reach it.
        self.data_dir = Path(f"/var/tmp/govstat-faults-{secrets.token_hex(4)}")
        self.pg_port, self.redis_port = free_port(), free_port()
        self.kafka_port, self.controller_port = free_port(), free_port()
        self.db = "govstat"
        self.prefix = f"faults{secrets.token_hex(3)}."

    def service_env(self) -> dict[str, str]:
        return {
            "GOVSTAT_DATA_DIR": str(self.data_dir),
            "GOVSTAT_PG_PORT": str(self.pg_port),
            "GOVSTAT_REDIS_PORT": str(self.redis_port),
            "GOVSTAT_KAFKA_PORT": str(self.kafka_port),
            "GOVSTAT_KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "GOVSTAT_PG_FAST": "0",
            "GOVSTAT_KAFKA_HEAP_OPTS": "-Xmx384m -Xms64m",
            **self.env(),
        }

    @property
    def database_url(self) -> str:
        return f"postgresql://govstat_app:govstat_app@127.0.0.1:{self.pg_port}/{self.db}"

    @property
    def owner_url(self) -> str:
        return f"postgresql://govstat_owner:govstat_owner@127.0.0.1:{self.pg_port}/{self.db}"

    def env(self, **extra: str) -> dict[str, str]:
        """The settings of govstat processes that use this stack."""
        return {
            "GOVSTAT_DATABASE_URL": self.database_url,
            "GOVSTAT_MIGRATION_DATABASE_URL": self.owner_url,
            "GOVSTAT_REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "GOVSTAT_KAFKA_BOOTSTRAP": f"127.0.0.1:{self.kafka_port}",
            "GOVSTAT_KAFKA_TOPIC_PREFIX": self.prefix,
            "GOVSTAT_KAFKA_PARTITIONS": "2",
            "GOVSTAT_DB_POOL_MIN": "1",
            "GOVSTAT_DB_POOL_MAX": "8",
            **extra,
        }

    def _script(self, service: str, action: str, timeout: int = 180) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSTAT_") or k in ("GOVSTAT_CACHE_DIR",)}
        result = subprocess.run(
            [str(SERVICES / f"{service}.sh"), action],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**env, **self.service_env()},
        )
        if result.returncode != 0:
            raise RuntimeError(f"{service}.sh {action} failed:\n{result.stdout}\n{result.stderr}")

    def start(self, *services: str) -> None:
        for service in services or SERVICE_NAMES:
            self._script(service, "start")

    def govstat(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        # the session's settings (e.g. the secret key that hashes API keys), pointed at this stack
        result = subprocess.run(
            [sys.executable, "-m", "govstat.platform.root", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **self.env()},
        )
        if result.returncode != 0:
            raise RuntimeError(f"govstat {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def up(self) -> PrivateStack:
        self.data_dir.mkdir(parents=True)
        os.chmod(self.data_dir, 0o755)
        self.start()
        self.govstat("migrate")
        self.govstat("seed", "--demo")
        return self

    def pid(self, service: str) -> int:
        path = {
            "postgres": self.data_dir / "postgres/pgdata/postmaster.pid",
            "redis": self.data_dir / "redis/redis.pid",
            "kafka": self.data_dir / "kafka/kafka.pid",
        }[service]
        return int(path.read_text().split()[0])

    def kill9(self, service: str) -> None:
        """kill -9 the server (and, for PostgreSQL, its backends: a crash of the whole server)."""
        pid = self.pid(service)
        victims = [pid] + (_children(pid) if service == "postgres" else [])
        for victim in victims:
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(v) for v in victims):
            time.sleep(0.1)

    def keep_logs(self, dest: Path) -> None:
        """Copy the servers' logs (before down() removes the data directory)."""
        dest.mkdir(parents=True, exist_ok=True)
        for src in ("postgres/postgres.log", "redis/redis.log", "kafka/logs/server.log"):
            if (self.data_dir / src).exists():
                shutil.copy(self.data_dir / src, dest / Path(src).name)

    def down(self) -> None:
        for service in reversed(SERVICE_NAMES):
            try:
                self._script(service, "stop", timeout=90)
            except Exception:
                try:
                    self.kill9(service)
                except Exception:
                    pass
        shutil.rmtree(self.data_dir, ignore_errors=True)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"
