"""The figures docs/scaling.md decides by: app processes (1 vs N behind one address) and replica lag.

1. `govstat serve --workers 1` and `--workers N` (one address: uvicorn shares the listening socket),
   both up all along, loaded in interleaved rounds by wrk on one read (an area code), called
   anonymously (a public GET: a read-only unit of work) and with an agency's API key (subscription,
   role, Redis rate limit, metering). Prints requests/s, p99 and the servers' CPU per request of
   each, and the speed-up N processes give (on a machine busy with other work the speed-up cannot
   show: read the CPU per request, which stays put if nothing is serialised between processes).
2. With --replica URL (a hot-standby replica of the database GOVSTAT_DATABASE_URL names, e.g. the
   one `ops/services/postgres-replica.sh start` runs): the time from a commit on the primary to the
   row being readable on the replica, over many commits (p50/p99), as the app's read-only units of
   work would see it; and how fast lag-aware routing acts and what read-your-writes costs
   (bench/replica_rotation.py).

    python bench/scaling.py [--workers 2] [--seconds 8] [--rounds 3] [--replica URL] [--commits 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too
from bench.gateway_overhead import ROOT, ROUTE, _bench_tenant, _cpu_seconds, _free_port, _wait, _wrk
from bench.summary import figure

PUBLIC = ROUTE  # the same read, anonymous: a public GET, so a read-only unit of work


def _serve(workers: int, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "govstat.platform.root", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
    )


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its children (uvicorn's workers)."""
    total = _cpu_seconds(pid)
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += _tree_cpu(int(child))
    return total


def processes(workers: int, seconds: int, rounds: int, connections: int) -> None:
    token = asyncio.run(_bench_tenant())
    kinds = {"public read": (PUBLIC, None), "gateway API": (ROUTE, f"X-API-Key: {token}")}
    servers = {n: (_serve(n, port := _free_port()), f"http://127.0.0.1:{port}") for n in (1, workers)}
    runs: dict[tuple[int, str], list[dict[str, float]]] = {(n, k): [] for n in servers for k in kinds}
    try:
        for _, base in servers.values():
            _wait(base + "/healthz")
            for path, header in kinds.values():
                _wrk(base + path, 2, connections, header)  # warm-up
        for _ in range(rounds):  # interleaved: a busy moment of the machine falls on both alike
            for n, (_, base) in servers.items():
                for kind, (path, header) in kinds.items():
                    cpu = _tree_cpu(servers[n][0].pid)
                    run = _wrk(base + path, seconds, connections, header)
                    run["cpu_ms"] = (_tree_cpu(servers[n][0].pid) - cpu) * 1000 / max(run["requests"], 1)
                    runs[(n, kind)].append(run)
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(20)
    print(f"{'':28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>10}{'CPU ms/req':>12}")
    for (n, kind), rs in runs.items():
        r = {k: statistics.median(x[k] for x in rs) for k in rs[0]}
        row = f"{r['rps']:>10.0f}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['errors']:>10.0f}{r['cpu_ms']:>12.2f}"
        print(f"{kind + f', {n} process(es)':28}" + row)
        figure("scaling", f"{kind}, {n} process(es): server CPU per request", r["cpu_ms"], "ms")
    for kind in kinds:
        one = statistics.median(x["rps"] for x in runs[(1, kind)])
        many = statistics.median(x["rps"] for x in runs[(workers, kind)])
        print(f"{kind}: {workers} processes / 1 = {many / one:.2f}")
        figure("scaling", f"{kind} req/s, 1 process", one)
        figure("scaling", f"{kind} req/s, {workers} processes", many)
        figure("scaling", f"{kind}: {workers} processes / 1", many / one, "x")


async def replica_lag(replica: str, commits: int, primary_url: str) -> None:
    import asyncpg

    from govstat.platform.settings import get_settings

    primary = await asyncpg.connect(primary_url or get_settings().migration_database_url)
    standby = await asyncpg.connect(replica)
    try:
        assert await standby.fetchval("SELECT pg_is_in_recovery()"), f"{replica} is not a hot standby"
        await primary.execute("CREATE TABLE IF NOT EXISTS bench_replica_lag (n int PRIMARY KEY, at timestamptz)")
        await primary.execute("TRUNCATE bench_replica_lag")
        while not await standby.fetchval("SELECT to_regclass('bench_replica_lag') IS NOT NULL"):
            await asyncio.sleep(0.01)
        lags = []
        for n in range(commits):
            await primary.execute("INSERT INTO bench_replica_lag VALUES ($1, now())", n)
            t0 = time.perf_counter()
            while not await standby.fetchval("SELECT EXISTS (SELECT FROM bench_replica_lag WHERE n = $1)", n):
                await asyncio.sleep(0.0005)
            lags.append((time.perf_counter() - t0) * 1000)
        await primary.execute("DROP TABLE bench_replica_lag")
    finally:
        await primary.close()
        await standby.close()
    lags.sort()
    p50, p99 = statistics.median(lags), lags[int(len(lags) * 0.99) - 1]
    print(f"replica lag over {commits} commits: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {lags[-1]:.2f} ms")
    figure("scaling", "replica lag p50", p50, "ms")
    figure("scaling", "replica lag p99", p99, "ms", "< 1000")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--replica", default="", help="a hot standby's URL (superuser or owner), for the lag")
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--primary", default="", help="the primary's URL, same database (default: the owner's)")
    parser.add_argument("--no-processes", action="store_true")
    args = parser.parse_args()
    if not args.no_processes:
        processes(args.workers, args.seconds, args.rounds, args.connections)
    if args.replica:
        from bench.replica_rotation import rotation

        asyncio.run(replica_lag(args.replica, args.commits, args.primary))
        asyncio.run(rotation(args.replica, args.primary))


if __name__ == "__main__":
    main()
