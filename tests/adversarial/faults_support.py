"""Helpers of the fault tests: a metered load against real app processes, and reads of the private
stack's database and metrics."""

from __future__ import annotations

import asyncio
import collections
import json
import re
import secrets
import subprocess
import sys
import time

import asyncpg
import httpx

from tests.support.private_stack import PrivateStack
from tests.support.services import ROOT


def setup_tenant(stack: PrivateStack) -> dict:
    """An approved body on a priced plan with an admin API key, made in the private stack."""
    import os

    # the session's settings (the secret key that hashes API keys), pointed at the private stack
    out = subprocess.run(
        [sys.executable, "-m", "tests.support.fault_setup"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **stack.env()},
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


class Load:
    """Metered calls with an API key: reads of area codes (each with an idempotency key, 1 billed unit)
    and every `write_every`-th call a write (a new API key: an audit event through the outbox)."""

    def __init__(
        self, urls: list[str], tenant: dict, *, workers: int = 4, pause: float = 0.03, write_every: int = 10
    ) -> None:
        self.urls, self.tenant, self.workers, self.pause, self.write_every = urls, tenant, workers, pause, write_every
        self.tag = secrets.token_hex(4)
        self.answered: list[str] = []  # idempotency keys of reads answered 2xx
        self.written: list[str] = []  # ids of API keys created (2xx)
        self.unsure: list[str] = []  # keys of reads with no answer (connection lost): maybe served
        self.outcomes: collections.Counter = collections.Counter()
        self.sent = 0
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._worker(n)) for n in range(self.workers)]

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)

    async def _worker(self, n: int) -> None:
        headers = {"x-api-key": self.tenant["token"]}
        async with httpx.AsyncClient(timeout=10, headers=headers) as client:
            while not self._stop.is_set():
                i = self.sent
                self.sent += 1
                url = self.urls[i % len(self.urls)]
                await self._one(client, url, i)
                await asyncio.sleep(self.pause)

    async def _one(self, client: httpx.AsyncClient, url: str, i: int) -> None:
        key = f"{self.tag}-{i}"
        try:
            if i % self.write_every == 0:
                r = await client.post(
                    f"{url}/api/auth/tenants/{self.tenant['tenant_id']}/api-keys",
                    json={"name": f"load-{key}", "roles": ["agency_staff"]},
                )
                if r.status_code < 300:
                    self.written.append(r.json()["id"])
            else:
                r = await client.get(f"{url}/api/area/codes", params={"limit": 1}, headers={"idempotency-key": key})
                if r.status_code < 300:
                    self.answered.append(key)
            self.outcomes[r.status_code] += 1
        except httpx.HTTPError as exc:
            self.outcomes[type(exc).__name__] += 1
            if i % self.write_every:
                self.unsure.append(key)

    def snapshot(self) -> dict:
        return {
            "sent": self.sent,
            "answered": len(self.answered) + len(self.written),
            **{str(k): v for k, v in sorted(self.outcomes.items(), key=lambda kv: str(kv[0]))},
        }


async def connect(stack: PrivateStack) -> asyncpg.Connection:
    conn = await asyncpg.connect(stack.owner_url)
    await conn.execute("SELECT set_config('app.role', 'system', false)")
    return conn


async def db_ready(stack: PrivateStack, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = await connect(stack)
            await conn.close()
            return
        except (OSError, asyncpg.PostgresError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


def metric(text: str, name: str, **labels: str) -> float:
    """The sum of a Prometheus sample's values over the series that have these labels."""
    total = 0.0
    for line in text.splitlines():
        m = re.match(rf"^{name}(\{{[^}}]*\}})? ([0-9.e+-]+)$", line)
        if m and all(f'{k}="{v}"' in (m.group(1) or "") for k, v in labels.items()):
            total += float(m.group(2))
    return total


def error_lines(path) -> list[str]:
    return [
        line
        for line in path.read_text(errors="replace").splitlines()
        if '"level":"ERROR"' in line or line.startswith("ERROR") or " ERROR " in line
    ]
