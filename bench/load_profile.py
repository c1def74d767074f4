"""A whole-system load profile (issue 15 §4): app, worker, relay and monitor started on the
benchmark database, locust (headless, loopback, bounded in time) playing bench/locustfile.py's
mix at a few user counts; per kind of call: requests/s, p50/p95/p99, failures; per process (ours,
and PostgreSQL, Redis and Kafka, whose figures include the other work of a shared machine): CPU
and peak RSS. Goal: the app stays under 300 MB RSS.

    python bench/load_profile.py [--users 5,10,20,30] [--seconds 20]   (bench/run_all.py's env)
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.gateway_overhead import ROOT, _bench_tenant, _free_port, _wait
from bench.summary import figure

TICK = os.sysconf("SC_CLK_TCK")
SERVICES = {"postgresql": "postgres", "redis": "redis-server", "kafka": "java"}


def _proc(pid: int) -> tuple[float, float]:
    """(CPU seconds, RSS MB) of one process."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / TICK, int(stat[21]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _pids(groups: dict[str, list[int]]) -> dict[str, list[int]]:
    out = {name: list(pids) for name, pids in groups.items()}
    for path in Path("/proc").iterdir():
        if path.name.isdigit():
            try:
                comm = (path / "comm").read_text().strip()
            except OSError:
                continue
            for name, want in SERVICES.items():
                if comm == want:
                    out.setdefault(name, []).append(int(path.name))
    return out


class Sampler(threading.Thread):
    """CPU % and peak RSS per process group, sampled every second while a level runs."""

    def __init__(self, groups: dict[str, list[int]]) -> None:
        super().__init__(daemon=True)
        self.groups, self.stop = _pids(groups), threading.Event()
        self.cpu: dict[str, float] = {}
        self.rss: dict[str, float] = dict.fromkeys(self.groups, 0.0)

    def _read(self) -> dict[str, tuple[float, float]]:
        out = {}
        for name, pids in self.groups.items():
            cpu = rss = 0.0
            for pid in pids:
                try:
                    c, r = _proc(pid)
                except OSError:
                    continue
                cpu, rss = cpu + c, rss + r
            out[name] = (cpu, rss)
        return out

    def run(self) -> None:
        first, t0 = self._read(), time.monotonic()
        last = first
        while not self.stop.wait(1.0):
            last = self._read()
            for name, (_, rss) in last.items():
                self.rss[name] = max(self.rss[name], rss)
        elapsed = time.monotonic() - t0
        self.cpu = {name: 100 * (last[name][0] - first[name][0]) / elapsed for name in last}


def _start(env: dict[str, str], port: int) -> dict[str, subprocess.Popen]:
    exe = [sys.executable, "-m", "govstat.platform.root"]
    commands = {"app": [*exe, "serve", "--port", str(port)], "worker": [*exe, "worker"]}
    commands |= {"relay": [*exe, "relay"], "monitor": [*exe, "monitor"]}
    return {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in commands.items()}


async def _census_id() -> str:
    """The published census table; and the anonymous and public plans widened, as the test session
    does: every simulated visitor calls from 127.0.0.1, which would otherwise be one rate-limited caller."""
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope

    await start_pool()
    async with UnitOfWork(Scope.system("bench")) as uow:
        sid = await uow.fetchval("SELECT stats_data_id FROM stat_table WHERE status = 'published' LIMIT 1")
        await uow.execute(
            "UPDATE fee_plan SET rate_quota = 1000000, rate_burst = 100000 WHERE code IN ('anonymous', 'public')"
        )
    await close_pool()
    return str(sid)


def _stats(prefix: str) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main() -> None:
    from govstat.platform.root.seed import demo_password

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="5,10,20,30")
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    port = _free_port()
    env = {**os.environ, "GOVSTAT_PORT": str(port), "GOVSTAT_LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)}
    env["GOVSTAT_BASE_URL"] = f"http://127.0.0.1:{port}"  # the SLA probes call this app
    env |= {
        "LOAD_API_KEY": asyncio.run(_bench_tenant()),
        "LOAD_STATS_DATA_ID": asyncio.run(_census_id()),
        "LOAD_OPERATOR_PASSWORD": demo_password("operator"),
    }
    procs = _start(env, port)
    out = Path(tempfile.mkdtemp())
    try:
        _wait(f"http://127.0.0.1:{port}/healthz")
        for users in (int(u) for u in args.users.split(",")):
            sampler = Sampler({name: [p.pid] for name, p in procs.items()})
            sampler.start()
            prefix = str(out / f"u{users}")
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "bench/locustfile.py"),
                    "--headless",
                    "-u",
                    str(users),
                    "-r",
                    str(users),
                    "-t",
                    f"{args.seconds}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "ERROR",
                ],
                cwd=ROOT,
                env=env,
                check=False,
                capture_output=True,
            )
            sampler.stop.set()
            sampler.join()
            _report(users, _stats(prefix), sampler)
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            p.wait(30)


def _report(users: int, rows: list[dict[str, str]], sampler: Sampler) -> None:
    print(f"\n-- {users} users")
    print(f"{'kind':28}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'failed':>8}")
    for r in rows:
        print(
            f"{r['Name'][:28]:28}{float(r['Requests/s']):>8.1f}{r['50%']:>8}{r['95%']:>8}{r['99%']:>8}{r['Failure Count']:>8}"
        )
    print("process      CPU %   peak RSS MB")
    for name in sampler.groups:
        print(f"{name:12}{sampler.cpu.get(name, 0):>6.0f}{sampler.rss[name]:>14.0f}")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    figure("load", f"{users} users: req/s (failed)", float(total["Requests/s"]), f"({total['Failure Count']} failed)")
    figure("load", f"{users} users: p99 ms, all kinds", float(total["99%"]), "ms")
    figure("load", f"{users} users: app peak RSS", sampler.rss["app"], "MB", "< 300")


if __name__ == "__main__":
    main()
