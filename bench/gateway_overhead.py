"""Gateway overhead: one cheap module route served bare and through the full gateway.

Both servers run in this one invocation (one uvicorn process each, on loopback);
the load comes from a second process (wrk). The gateway run authenticates by API
key, checks the subscription and role, rate-limits in Redis (a plan whose limit
the load never reaches) and meters every call into the Redis stream.

Measured on a shared, loaded machine, so: many short rounds (2 s), the servers in turn and the
order reversed every other round (bare, gateway, gateway, bare, ...); each pair of adjacent rounds
gives one ratio, and the figures are the medians of those ratios (with their quartiles). Beside
throughput, the server's CPU time per answered request (/proc/<pid>/stat around each round): what
else runs on the machine changes throughput a lot and CPU per request little, so bare / gateway CPU
per request is the honest overhead (the throughput ratio a core of its own would give).
Goal: >= 0.85 and at most 3 ms more at p99.

Two kinds of rounds. Saturated (wrk, 32 connections, as fast as the server answers): throughput
and CPU per request; their p99 is queueing in front of a full server, not the gateway's cost.
Paced (`--paced`, a fraction of the bare route's saturated throughput in this run, offered to
both servers alike; 0.3 by default, well below what either server can take): each connection
waits an exponentially distributed time between its requests (wrk's `delay()`), so arrivals are
close to Poisson at the offered rate; p99 added is read there, per pair of rounds, and reported
with its spread. The gateway's own time per call (gateway/owntime.py: its code before the handler
and on the answer, the handler and downstream excluded), read from its server's /metrics before
and after each phase, is printed as p50/p95/p99 beside them: a figure a busy core blurs less. On two cores, `--pin` puts the servers on one core and wrk on the other
(taskset): without it wrk's own bursts run on the server's core and land in the p99 of whichever
server is measured at that moment.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too
from bench.summary import figure

ROOT = Path(__file__).resolve().parents[1]
ROUTE = "/api/area/codes/13101"


# `--pin`: the servers on one core, the load generator on the other (taskset), so that wrk's own
# work does not run on the server's core between a request's arrival and its answer. PostgreSQL and
# Redis stay where the scheduler puts them (shared services).
PIN: dict[str, list[str]] = {"server": [], "wrk": []}


def _serve(factory: str, port: int, checkout: Path = ROOT) -> subprocess.Popen:
    """One uvicorn process serving `factory` from `checkout` (another checkout: with its own .venv)."""
    python = sys.executable if checkout == ROOT else str(checkout / ".venv/bin/python")
    return subprocess.Popen(
        [
            *PIN["server"],
            python,
            "-m",
            "uvicorn",
            "--factory",
            factory,
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=checkout,
        env={**os.environ, "PYTHONPATH": str(checkout), "GOVSTAT_LOG_LEVEL": "WARNING"},
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str) -> None:
    for _ in range(100):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measured(
    proc: subprocess.Popen, url: str, seconds: int, connections: int, header: str | None, rate: float | None = None
) -> dict[str, float]:
    """A wrk run, plus the server's CPU time per answered request: on a loaded machine, throughput
    depends on what else runs, while the CPU a request costs the server much less so."""
    cpu = _cpu_seconds(proc.pid)
    result = _wrk(url, seconds, connections, header, rate)
    result["cpu_ms"] = (_cpu_seconds(proc.pid) - cpu) * 1000 / max(result["requests"], 1)
    return result


# wrk's delay(): milliseconds to wait before a connection's next request (exponential, mean from env)
PACED_LUA = """
local mean = tonumber(os.getenv("GW_MEAN_DELAY_MS"))
function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function delay() return -math.log(1 - math.random()) * mean end
"""


def _wrk(url: str, seconds: int, connections: int, header: str | None, rate: float | None = None) -> dict[str, float]:
    cmd = [*PIN["wrk"], "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    env = None
    if rate:  # paced: each connection offers rate/connections requests per second
        script = Path(tempfile.gettempdir()) / "govstat_paced.lua"
        script.write_text(PACED_LUA)
        cmd[cmd.index("wrk") + 1 : cmd.index("wrk") + 1] = ["-s", str(script)]
        env = {**os.environ, "GW_MEAN_DELAY_MS": f"{connections * 1000 / rate:.3f}"}
    if header:
        cmd[cmd.index("wrk") + 1 : cmd.index("wrk") + 1] = ["-H", header]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "requests": requests,
        "p50": _ms(out, "50%"),
        "p99": _ms(out, "99%"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def _ms(out: str, pct: str) -> float:
    value, unit = re.search(rf"{pct}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


async def _bench_tenant() -> str:
    """An active tenant on an unlimited-for-the-bench plan, subscribed to area, with an API key."""
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.tenants import admission, schemas, subscriptions, users

    await start_pool()
    op = Scope(role="operator", actor="bench")
    code = f"bench{int(time.time()) % 10**6}"
    async with UnitOfWork(op) as uow:
        await uow.execute(
            "INSERT INTO fee_plan (code, name_ja, rate_quota, rate_window_seconds, rate_burst)"
            " VALUES ('bench', 'ベンチマーク', 10000000, 60, 1000000) ON CONFLICT DO NOTHING"
        )
        bulk = await uow.fetchval("SELECT id FROM bulk_contract ORDER BY fiscal_year DESC LIMIT 1")
        contacts = schemas.ContactsIn(
            primary=schemas.ContactIn(role="primary", name="主", email="p@bench.example.jp"),
            deputy=schemas.ContactIn(role="deputy", name="副", email="d@bench.example.jp"),
        )
        row = await admission.create_constituent(
            uow, schemas.ConstituentIn(code=code, name_ja="ベンチ省", bulk_contract_id=bulk), contacts
        )
        await uow.execute("UPDATE tenant SET plan = 'bench' WHERE id = $1", row.id)
        await subscriptions.subscribe(uow, row.id, schemas.SubscriptionIn(module_key="area"), {"area"})
        key = await users.create_api_key(uow, row.id, schemas.ApiKeyIn(name="bench", roles=["agency_staff"]), "bench")
    await close_pool()
    return key.token


OWN_SERIES = {  # the name in this report: (histogram, its `part` label or "")
    "own": ("govstat_gateway_own_seconds", ""),
    "code": ("govstat_gateway_own_part_seconds", "code"),
    "lookups": ("govstat_gateway_own_part_seconds", "lookups"),
    "redis_wait": ("govstat_gateway_own_part_seconds", "redis_wait"),
}
_BUCKET = re.compile(r'^(\w+)_bucket\{le="([^"]+)"(?:,part="(\w+)")?\} ([0-9.e+]+)$', re.M)


def _own_histograms(url: str) -> dict[str, list[tuple[float, float]]]:
    """The gateway's own-time histograms from a server's /metrics: (upper bound, cumulative count)
    per series; empty where the server has none (a checkout from before them)."""
    text = httpx.get(url.split("/api/", 1)[0] + "/metrics", timeout=10).text
    out: dict[str, list[tuple[float, float]]] = {}
    for name, le, part, value in _BUCKET.findall(text):
        for series, (histogram, label) in OWN_SERIES.items():
            if name == histogram and part == label:
                out.setdefault(series, []).append((float(le), float(value)))
    return {series: sorted(rows) for series, rows in out.items()}


def _quantile(before: list[tuple[float, float]], after: list[tuple[float, float]], q: float) -> float:
    """histogram_quantile over the values added between two reads (linear within a bucket), in ms."""
    cumulative = [(bound, a - b) for (bound, a), (_, b) in zip(after, before, strict=True)]
    total = cumulative[-1][1]
    if not total:
        return float("nan")
    rank, lower, below = q * total, 0.0, 0.0
    for bound, count in cumulative:
        if count >= rank:
            if bound == float("inf"):
                return lower * 1000  # above the highest bound: the bound is all that is known
            return (lower + (bound - lower) * (rank - below) / max(count - below, 1e-12)) * 1000
        lower, below = bound, count
    return lower * 1000


def _report_own(server: str, phase: str, before: dict, after: dict) -> None:
    if not before or not after:
        return
    n = after["own"][-1][1] - before["own"][-1][1]
    parts = []
    for name in OWN_SERIES:
        if name in before and name in after:
            p50, p95, p99 = (_quantile(before[name], after[name], q) for q in (0.5, 0.95, 0.99))
            parts.append(f"{name} p50 {p50:.3f} / p95 {p95:.3f} / p99 {p99:.3f} ms")
    print(f"{server}: its own time per call, {phase} ({n:.0f} calls): " + "; ".join(parts))
    if phase == "paced" and server == "gateway":
        figure(
            "gateway",
            "gateway's own time p99, paced (not end-to-end)",
            _quantile(before["own"], after["own"], 0.99),
            "ms",
        )
        figure("gateway", "gateway's own time p50, paced", _quantile(before["own"], after["own"], 0.5), "ms")


def _pairs(a: list[dict[str, float]], b: list[dict[str, float]], key: str) -> list[float]:
    """b/a of `key` for each pair of adjacent rounds (a round where either answered nothing is left out)."""
    return [y[key] / x[key] for x, y in zip(a, b, strict=True) if x["requests"] and y["requests"] and x[key] and y[key]]


def _quartiles(values: list[float], unit: str = "") -> str:
    if len(values) < 4:
        return ", ".join(f"{v:.2f}" for v in values)
    q = statistics.quantiles(values, n=4)
    return f"quartiles {q[0]:.2f} / {q[1]:.2f} / {q[2]:.2f}{unit and ' ' + unit} of {len(values)} pairs"


def _alternating(
    servers: dict[str, tuple[subprocess.Popen, str, str | None]],
    rounds: int,
    seconds: int,
    connections: int,
    rate: float | None = None,
) -> dict[str, list[dict[str, float]]]:
    """Many short rounds, the servers in turn and the order reversed every other round (A B, B A, ...):
    a busy moment of the shared machine, or a trend over the run, falls on all alike, and each pair of
    adjacent rounds gives one ratio; the figures are the medians of those ratios."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
    names = list(servers)
    for i in range(rounds):
        # two servers: A B, B A, ... Three or more: rotated (A B C, B C A, C A B, ...), since A B C,
        # C B A ran the ends twice in a row and the middle one never: it alone began every round with
        # its 2 s caches expired (every call in flight missing them), a cost the others paid half as often
        order = (
            (names if i % 2 == 0 else names[::-1])
            if len(names) < 3
            else names[i % len(names) :] + names[: i % len(names)]
        )
        for name in order:
            proc, url, header = servers[name]
            runs[name].append(_measured(proc, url, seconds, connections, header, rate))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=2, help="length of one round")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=12, help="saturated rounds per server")
    parser.add_argument("--two-trips", action="store_true", help="also the gateway as it was before (2 Redis trips)")
    parser.add_argument(
        "--paced",
        type=float,
        default=0.3,
        help="paced rounds at this fraction of the bare route's throughput (0: none)",
    )
    parser.add_argument(
        "--before", type=Path, help="also the gateway of this checkout (e.g. /work/main), in the same rounds"
    )
    parser.add_argument("--paced-rounds", type=int, default=10)
    parser.add_argument("--paced-seconds", type=int, default=4)
    parser.add_argument(
        "--pin", action="store_true", help="servers on the last core, wrk on the first (taskset; 2+ cores)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    if args.pin and (os.cpu_count() or 1) > 1 and shutil.which("taskset"):
        last = (os.cpu_count() or 2) - 1
        PIN["server"], PIN["wrk"] = ["taskset", "-c", str(last)], ["taskset", "-c", "0"]
    token = asyncio.run(_bench_tenant())
    apps = {"bare": ("bench.apps:bare_app", None), "gateway": ("bench.apps:gateway_app", f"X-API-Key: {token}")}
    if args.two_trips:  # the design before issue 15, beside the others
        apps["2-trip gw"] = ("bench.apps:two_trip_gateway_app", f"X-API-Key: {token}")
    servers = {}
    for name, (factory, header) in apps.items():
        port = _free_port()
        servers[name] = (_serve(factory, port), f"http://127.0.0.1:{port}{ROUTE}", header)
    if args.before:
        port = _free_port()
        servers["gw before"] = (
            _serve("bench.apps:gateway_app", port, args.before.resolve()),
            f"http://127.0.0.1:{port}{ROUTE}",
            f"X-API-Key: {token}",
        )
    load = os.getloadavg()[0]
    try:
        for _, url, header in servers.values():
            _wait(url)
            _wrk(url, 2, args.connections, header)  # warm-up
        gateways = [name for name in ("gateway", "gw before") if name in servers]
        own = [{name: _own_histograms(servers[name][1]) for name in gateways}]
        runs = _alternating(servers, args.rounds, args.seconds, args.connections)
        own.append({name: _own_histograms(servers[name][1]) for name in gateways})
        rate = args.paced * statistics.median(r["rps"] for r in runs["bare"])
        paced_servers = {name: servers[name] for name in ("bare", "gateway", "gw before") if name in servers}
        paced = (
            _alternating(paced_servers, args.paced_rounds, args.paced_seconds, args.connections, rate)
            if args.paced
            else {}
        )
        own.append({name: _own_histograms(servers[name][1]) for name in gateways})
    finally:
        for proc, _, _ in servers.values():
            proc.terminate()
            proc.wait(10)
    load = max(load, os.getloadavg()[0])
    _report(runs, load)
    for name in own[0]:
        _report_own(name, "saturated", own[0][name], own[1][name])
    if paced:
        _report_paced(paced, rate, args.paced)
        for name in own[0]:
            _report_own(name, "paced", own[1][name], own[2][name])


def _report(runs: dict[str, list[dict[str, float]]], load: float) -> None:
    results = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    print(f"{len(runs['bare'])} saturated rounds per server, alternating; load average up to {load:.1f}")
    print(f"{'':10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>10}{'CPU ms/req':>12}  (medians of rounds)")
    for name, r in results.items():
        print(f"{name:10}{r['rps']:>10.0f}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['errors']:>10.0f}{r['cpu_ms']:>12.3f}")
    ratios = _pairs(runs["bare"], runs["gateway"], "rps")
    cpu = [1 / c for c in _pairs(runs["bare"], runs["gateway"], "cpu_ms")]  # bare / gateway CPU per request
    print("per-pair throughput ratios: " + ", ".join(f"{r:.2f}" for r in ratios))
    print("per-pair bare/gateway CPU:  " + ", ".join(f"{r:.2f}" for r in cpu))
    ratio, cpu_ratio = statistics.median(ratios), statistics.median(cpu)
    print(f"gateway/bare throughput ratio: {ratio:.2f} ({_quartiles(ratios)}; goal >= 0.85)")
    print(
        f"bare / gateway CPU per request (the throughput ratio a core of its own would give): {cpu_ratio:.2f}"
        f" ({_quartiles(cpu)}); CPU ms/req bare {results['bare']['cpu_ms']:.3f}, gateway {results['gateway']['cpu_ms']:.3f}"
    )
    figure("gateway", "bare CPU ms/request", results["bare"]["cpu_ms"], "ms")
    figure("gateway", "gateway CPU ms/request", results["gateway"]["cpu_ms"], "ms")
    figure("gateway", "bare / gateway server CPU per request", cpu_ratio, "x", ">= 0.85")
    if "2-trip gw" in runs:
        old = statistics.median(_pairs(runs["bare"], runs["2-trip gw"], "rps"))
        old_cpu = statistics.median(1 / c for c in _pairs(runs["bare"], runs["2-trip gw"], "cpu_ms"))
        print(f"two-round-trip gateway (before issue 15), same run: throughput {old:.2f}, CPU {old_cpu:.2f}")
        figure("gateway", "two-trip gateway / bare (before)", old, "x")
        figure("gateway", "same, two-trip gateway (before)", old_cpu, "x")
    if "gw before" in runs:
        before = statistics.median(_pairs(runs["bare"], runs["gw before"], "rps"))
        before_cpu = statistics.median(1 / c for c in _pairs(runs["bare"], runs["gw before"], "cpu_ms"))
        print(f"the other checkout's gateway, same run: throughput {before:.2f}, CPU {before_cpu:.2f}")
    figure("gateway", "bare req/s", results["bare"]["rps"])
    figure("gateway", "gateway req/s", results["gateway"]["rps"])
    figure("gateway", "gateway / bare throughput", ratio, "x", ">= 0.85")
    figure("gateway", "p99 added at saturation (queueing)", results["gateway"]["p99"] - results["bare"]["p99"], "ms")


def _report_paced(paced: dict[str, list[dict[str, float]]], rate: float, fraction: float) -> None:
    print(f"paced rounds: {rate:.0f} req/s offered ({fraction:.0%} of the bare route's saturated throughput)")
    print(f"{'':10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>10}{'CPU ms/req':>12}")
    for name, rs in paced.items():
        for r in rs:
            print(
                f"{name:10}{r['rps']:>10.0f}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['errors']:>10.0f}{r['cpu_ms']:>12.3f}"
            )
    # a round where either side answered nothing (the machine stalled it) says nothing: left out
    pairs = [(b, g) for b, g in zip(paced["bare"], paced["gateway"], strict=True) if b["requests"] and g["requests"]]
    if not pairs:
        print("no paced round with answers on both sides")
        return
    added = [g["p99"] - b["p99"] for b, g in pairs]
    p50 = [g["p50"] - b["p50"] for b, g in pairs]
    cpu = [b["cpu_ms"] / g["cpu_ms"] for b, g in pairs if g["cpu_ms"]]
    print(
        "p99 added per pair (ms): "
        + ", ".join(f"{a:.2f}" for a in added)
        + f"; p50 added: {statistics.median(p50):.2f}"
    )
    bare_p99 = [b["p99"] for b, _ in pairs]
    print(
        f"p99 added: median {statistics.median(added):.2f} ms ({_quartiles(added, 'ms')}; min {min(added):.2f},"
        f" max {max(added):.2f}); bare p99 itself: median {statistics.median(bare_p99):.2f} ms"
        f" ({_quartiles(bare_p99, 'ms')})"
    )
    if "gw before" in paced:
        old_added = [
            o["p99"] - b["p99"]
            for b, o in zip(paced["bare"], paced["gw before"], strict=True)
            if b["requests"] and o["requests"]
        ]
        if old_added:
            print(
                f"the other checkout's p99 added: median {statistics.median(old_added):.2f} ms ({_quartiles(old_added, 'ms')})"
            )
    print(f"bare / gateway CPU per request at the paced rate: {statistics.median(cpu):.2f} ({_quartiles(cpu)})")
    if "gw before" in paced:
        old = [1 / c for c in _pairs(paced["bare"], paced["gw before"], "cpu_ms")]
        print(
            f"the other checkout's gateway at the paced rate: bare / gateway CPU {statistics.median(old):.2f} ({_quartiles(old)})"
        )
    figure("gateway", "p99 added at the paced rate", statistics.median(added), "ms", "<= 3")
    figure("gateway", "bare / gateway CPU per request, paced", statistics.median(cpu), "x", ">= 0.85")


if __name__ == "__main__":
    main()
