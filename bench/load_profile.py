"""A whole-system load profile (issue 15 §4): app, worker, relay and monitor started on the
benchmark database, locust (headless, loopback, bounded in time) playing bench/locustfile.py's mix.

Every simulated user offers --rate iterations a second (locust's constant_throughput), so a level's
offered load is users x rate whatever the answers' speed. First a short ramp finds the capacity:
steps of more users until throughput stops rising (a step gains under 10 %) or latency explodes
(p95 ten times the first step's); the capacity is the highest throughput a step reached. Then the
levels run at 25, 50, 100 and 150 % of it. Per kind of call: requests/s, p50/p95/p99, failures; per
process (ours, locust itself, and PostgreSQL, Redis and Kafka, whose figures include the other work
of a shared machine): CPU % and peak RSS. Goal: the app stays under 300 MB RSS.

    python bench/load_profile.py [--ramp 8,16,32,48,64,96] [--step-seconds 10] [--levels 25,50,100,150]
                                 [--seconds 20] [--rate 1]   (bench/run_all.py's env)
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

    def __init__(self, groups: dict[str, list[int]], with_services: bool = True) -> None:
        super().__init__(daemon=True)
        self.groups, self.stop = _pids(groups) if with_services else dict(groups), threading.Event()
        self.cpu: dict[str, float] = {}
        self.rss: dict[str, float] = dict.fromkeys(self.groups, 0.0)
        self.app_file_mb = 0.0  # at the app's peak

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

    def _app_file_mb(self) -> float:
        """The app's file-backed RSS (mapped files: the Sudachi dictionary's 75 MB, shared libraries):
        clean pages the kernel may drop and other processes share, inside the RSS figure."""
        try:
            status = Path(f"/proc/{self.groups['app'][0]}/status").read_text()
        except OSError:
            return 0.0
        return next((int(x.split()[1]) / 1024 for x in status.splitlines() if x.startswith("RssFile")), 0.0)

    def run(self) -> None:
        first, t0 = self._read(), time.monotonic()
        last = first
        while not self.stop.wait(1.0):
            last = self._read()
            for name, (_, rss) in last.items():
                if name == "app" and rss > self.rss[name]:
                    self.app_file_mb = self._app_file_mb()
                self.rss[name] = max(self.rss[name], rss)
        elapsed = time.monotonic() - t0
        self.cpu = {name: 100 * (last[name][0] - first[name][0]) / elapsed for name in last}


def _start(env: dict[str, str], port: int) -> dict[str, subprocess.Popen[bytes]]:
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


class Level:
    """One locust run: `users` each offering `rate` iterations a second for `seconds`."""

    def __init__(self, port: int, env: dict[str, str], out: Path, procs: dict[str, subprocess.Popen[bytes]]) -> None:
        self.port, self.env, self.out, self.procs = port, env, out, procs

    def run(self, users: int, seconds: int, rate: float, tag: str) -> tuple[list[dict[str, str]], Sampler]:
        prefix = str(self.out / f"{tag}-u{users}")
        command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/locustfile.py"), "--headless"]
        command += ["-u", str(users), "-r", str(max(1, users // 2)), "-t", f"{seconds}s"]  # all users in 2 s
        command += ["--host", f"http://127.0.0.1:{self.port}", "--csv", prefix, "--only-summary"]
        env = {**self.env, "LOAD_USER_RATE": str(rate)}
        log = open(f"{prefix}.log", "wb")  # noqa: SIM115  (locust's own summary and errors, kept out of the report)
        locust = subprocess.Popen([*command, "--loglevel", "ERROR"], cwd=ROOT, env=env, stdout=log, stderr=log)
        groups = {name: [p.pid] for name, p in self.procs.items()}
        sampler = Sampler({**groups, "locust": [locust.pid]}, with_services=tag != "ramp")
        sampler.start()
        locust.wait(seconds + 120)
        log.close()
        sampler.stop.set()
        sampler.join()
        return _stats(prefix), sampler


def _ms(value: str) -> float:
    return float(value) if value not in ("", "N/A") else float("inf")


def _total(rows: list[dict[str, str]]) -> dict[str, str]:
    return next(r for r in rows if r["Name"] == "Aggregated")


def capacity(level: Level, ramp: list[int], seconds: int, rate: float) -> float:
    """The highest throughput of a ramp of user counts, stopped at the knee."""
    print(f"-- capacity: a ramp of {ramp} users, {rate:g} iterations/s each, {seconds} s a step")
    print(f"{'users':>6}{'offered/s':>10}{'req/s':>8}{'p95 ms':>8}{'failed':>8}{'app CPU %':>10}")
    best, first_p95, last = 0.0, 0.0, 0.0
    for users in ramp:
        rows, sampler = level.run(users, seconds, rate, "ramp")
        total = _total(rows)
        got, p95 = float(total["Requests/s"]), _ms(total["95%"])
        print(f"{users:>6}{users * rate:>10.0f}{got:>8.1f}{p95:>8.0f}{total['Failure Count']:>8}", end="")
        print(f"{sampler.cpu.get('app', 0):>10.0f}", flush=True)
        best, first_p95 = max(best, got), first_p95 or p95
        if (last and got < last * 1.1) or p95 > 10 * max(first_p95, 50):
            break
        last = got
    return best


def main() -> None:
    from govstat.platform.root.seed import demo_password

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ramp", default="8,16,32,48,64,96")
    parser.add_argument("--step-seconds", type=int, default=10)
    parser.add_argument("--levels", default="25,50,100,150")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rate", type=float, default=1.0, help="iterations a second each simulated user offers")
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
    try:
        _wait(f"http://127.0.0.1:{port}/healthz")
        level = Level(port, env, Path(tempfile.mkdtemp()), procs)
        cap = capacity(level, [int(u) for u in args.ramp.split(",")], args.step_seconds, args.rate)
        print(f"capacity: {cap:.1f} req/s (load average {os.getloadavg()[0]:.1f})", flush=True)
        figure("load", "capacity (knee of the ramp)", cap, "req/s")
        for pct in (int(p) for p in args.levels.split(",")):
            users = max(1, round(pct / 100 * cap / args.rate))
            rows, sampler = level.run(users, args.seconds, args.rate, f"p{pct}")
            _report(pct, users, users * args.rate, rows, sampler)
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            p.wait(30)


def _report(pct: int, users: int, offered: float, rows: list[dict[str, str]], sampler: Sampler) -> None:
    print(f"\n-- {pct} % of capacity: {users} users offering {offered:.0f}/s (load average {os.getloadavg()[0]:.1f})")
    print(f"{'kind':28}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'failed':>8}")
    for r in rows:
        print(
            f"{r['Name'][:28]:28}{float(r['Requests/s']):>8.1f}{r['50%']:>8}{r['95%']:>8}{r['99%']:>8}{r['Failure Count']:>8}"
        )
    print("process      CPU %   peak RSS MB")
    for name in sampler.groups:
        print(f"{name:12}{sampler.cpu.get(name, 0):>6.0f}{sampler.rss[name]:>14.0f}")
    total = _total(rows)
    done = float(total["Requests/s"])
    cpu_ms = 10 * sampler.cpu.get("app", 0) / done if done else 0.0
    print(
        f"app: {cpu_ms:.1f} ms of CPU a request; at its peak {sampler.app_file_mb:.0f} MB of the RSS are mapped files"
    )
    name = f"{pct} % ({users} users)"
    figure("load", f"{name}: req/s (failed)", float(total["Requests/s"]), f"({total['Failure Count']} failed)")
    figure("load", f"{name}: p99 ms, all kinds", _ms(total["99%"]), "ms")
    figure("load", f"{name}: app peak RSS", sampler.rss["app"], "MB", "< 300")
    figure("load", f"{name}: app CPU a request", cpu_ms, "ms")


if __name__ == "__main__":
    main()
