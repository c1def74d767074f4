"""The gateway's cost in instructions per call, a figure a shared machine does not blur.

CPU time per request (bench/gateway_overhead.py) moves by 10-20 % between rounds on a machine whose
cores other work shares; the number of instructions a request executes hardly moves. Here each app
runs in a process of its own under valgrind's callgrind (instrumentation off while it starts and
warms up), driven in-process through ASGI (no uvicorn, no HTTP client: the app stack, PostgreSQL and
Redis only) by `--concurrency` tasks; instructions are counted over `--requests` answered calls.

    python bench/gateway_instructions.py [--before /work/main] [--requests 600]   (run_all.py's env; valgrind)

Under valgrind a request runs ~20 times slower, so the gateway's 2 s per-process caches (API key,
tenant profile, plan) would expire every few dozen calls instead of every thousand: they are set to
120 s in the measured processes, as a call natively sees them. `callgrind_annotate <file>` then tells
where the instructions went (C functions; Python's own show as the interpreter loop).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.gateway_overhead import ROOT, ROUTE, _bench_tenant

DRIVER = """
import asyncio, importlib, os, sys
import uvloop
factory, token, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3])
HEADERS = [(b"host", b"127.0.0.1"), (b"user-agent", b"bench"), (b"accept", b"*/*")]
HEADERS += [(b"x-api-key", token.encode())] if token != "-" else []

async def call(app):
    sent, status = [False], []
    async def receive():
        if not sent[0]:
            sent[0] = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()
    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])
    await app({"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
               "path": ROUTE, "raw_path": ROUTE.encode(), "query_string": b"", "root_path": "", "headers": HEADERS,
               "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000), "state": {}}, receive, send)
    return status[0]

async def main():
    module, name = factory.split(":")
    app = getattr(importlib.import_module(module), name)()
    import govstat.platform.cache as cache, govstat.gateway.plans as plans
    cache.local.ttl, plans.CACHE_SECONDS = 120.0, 120.0  # as natively: see the module's docstring
    async with app.lifespan():
        for line in sys.stdin:
            todo, failed = [int(line)], [0]
            async def worker():
                while todo[0] > 0:
                    todo[0] -= 1
                    failed[0] += await call(app) != 200
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            print(failed[0], flush=True)

uvloop.install()
asyncio.run(main())
""".replace("ROUTE", repr(ROUTE))


def _instructions(name: str, checkout: Path, token: str, args: argparse.Namespace, out: Path) -> float:
    """Instructions per answered call of one app (a process of its own under callgrind)."""
    driver = out / "driver.py"
    driver.write_text(DRIVER)
    data = out / f"callgrind.{name}"
    env = {**os.environ, "PYTHONPATH": str(checkout), "GOVSTAT_LOG_LEVEL": "WARNING"}
    factory = "bench.apps:bare_app" if name == "bare" else "bench.apps:gateway_app"
    valgrind = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={data}"]
    python = [str(checkout / ".venv/bin/python"), str(driver), factory]
    proc = subprocess.Popen(
        [*valgrind, *python, "-" if name == "bare" else token, str(args.concurrency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=checkout,
    )
    assert proc.stdin and proc.stdout

    def run(n: int) -> int:
        proc.stdin.write(f"{n}\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        return int(proc.stdout.readline())  # type: ignore[union-attr]

    run(args.warm)
    subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)
    failed = run(args.requests)
    subprocess.run(["callgrind_control", "-i", "off", str(proc.pid)], check=True, capture_output=True)
    proc.stdin.close()
    proc.wait(300)
    totals = subprocess.run(["callgrind_annotate", str(data)], capture_output=True, text=True, check=True).stdout
    line = next(x for x in totals.splitlines() if "PROGRAM TOTALS" in x)
    if failed:
        print(f"{name}: {failed} of {args.requests} calls did not answer 200 (counted all the same)")
    return int(line.split()[0].replace(",", "")) / args.requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--warm", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--before", type=Path, help="also the gateway of this checkout (its own .venv)")
    parser.add_argument("--keep", type=Path, help="keep callgrind's files here")
    args = parser.parse_args()
    token = asyncio.run(_bench_tenant())
    runs = {"bare": ROOT, "gateway": ROOT, **({"gw before": args.before.resolve()} if args.before else {})}
    out = args.keep or Path(tempfile.mkdtemp(prefix="govstat_instr_"))
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # one after another: each takes a core for 2-4 minutes
    per_call = {
        name: _instructions(name.replace(" ", "_"), checkout, token, args, out) for name, checkout in runs.items()
    }
    print(
        f"instructions per call ({args.requests} calls, {args.concurrency} at a time; {time.monotonic() - started:.0f} s):"
    )
    for name, value in per_call.items():
        ratio = per_call["bare"] / value
        print(
            f"{name:10} {value / 1e6:8.3f} M   bare / this {ratio:.3f}   +{(value - per_call['bare']) / 1e3:.0f} K over bare"
        )
    print(f"callgrind files: {out}")


if __name__ == "__main__":
    main()
