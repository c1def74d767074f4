"""Where the gateway's time goes: the gateway app under cProfile, loaded by wrk, then the
cumulative CPU of the pipeline's steps as a share of the whole process (docs/performance.md).

    python bench/gateway_profile.py [--seconds 10]   (on the benchmark database: bench/run_all.py's env)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.gateway_overhead import ROOT, ROUTE, _bench_tenant, _free_port, _wait, _wrk

STEPS = {  # (file fragment, function): what the row means
    ("gateway/pipeline.py", "handle"): "gateway middleware, all of it (route included)",
    ("gateway/authn.py", "authenticate"): "authentication (API key, cached)",
    ("gateway/pipeline.py", "_admit"): "subscription, role, plan and the Redis script",
    ("gateway/ratelimit.py", "check"): "the Redis script (limit + open record): one round trip",
    ("gateway/ratelimit.py", "_send_queued"): "the checks of one loop turn, pipelined (own task)",
    ("gateway/pipeline.py", "_meter"): "usage event built and handed to the writer",
    ("gateway/metering.py", "_flush"): "completions written (pipelined, after the answers)",
    ("gateway/pipeline.py", "_admitted"): "usage event as admitted (msgspec)",
    ("gateway/security_events.py", "record_denial"): "denials (none expected)",
    ("platform/web/audited.py", "begin_call"): "call audit bookkeeping",
}


# The server: cProfile switched on (SIGUSR1) and off and written (SIGUSR2) around the measured
# window only, so that start-up (imports, the app's construction) stays out of the figures.
SERVER = """
import cProfile, signal, sys, time, uvicorn
prof = cProfile.Profile(time.process_time)  # CPU time: waiting for a busy machine is not cost
signal.signal(signal.SIGUSR1, lambda *_: prof.enable())
def done(*_):
    prof.disable()
    prof.dump_stats(sys.argv[3])
signal.signal(signal.SIGUSR2, done)
uvicorn.run(sys.argv[1], factory=True, port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def _profile(factory: str, header: str | None, seconds: int) -> tuple[pstats.Stats, float]:
    port = _free_port()
    out = Path(tempfile.mkdtemp()) / "app.prof"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GOVSTAT_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "-c", SERVER, factory, str(port), str(out)], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}{ROUTE}"
    try:
        _wait(url)
        _wrk(url, 2, 32, header)  # warm-up
        proc.send_signal(signal.SIGUSR1)
        requests = _wrk(url, seconds, 32, header)["requests"]
        proc.send_signal(signal.SIGUSR2)
        for _ in range(100):
            if out.exists():
                break
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
    return pstats.Stats(str(out)), requests


def _by_function(stats: pstats.Stats, requests: float) -> dict[str, float]:
    """Own time (tottime) per request in us, by function."""
    out: dict[str, float] = {}
    for (path, line, name), (_, _, tt, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        key = f"{'/'.join(path.split('/')[-2:])}:{line}:{name}"
        out[key] = out.get(key, 0.0) + tt / requests * 1e6
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    token = asyncio.run(_bench_tenant())
    bare, bare_n = _profile("bench.apps:bare_app", None, args.seconds)
    stats, requests = _profile("bench.apps:gateway_app", f"X-API-Key: {token}", args.seconds)
    total = max(t for (_, _, _, ct, _) in stats.stats.values() for t in [ct])  # type: ignore[attr-defined]
    print(f"{requests:.0f} requests; shares of the process's profiled time (cumulative):")
    for (path, _, name), (_, _, _, ct, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][3]):  # type: ignore[attr-defined]
        for (frag, fn), what in STEPS.items():
            if path.endswith(frag) and name == fn:
                print(f"{100 * ct / total:6.1f}%  {ct / requests * 1e6:7.0f} us/req  {frag}:{fn}  {what}")
    g, b = _by_function(stats, requests), _by_function(bare, bare_n)
    print(f"profiled own time per request: bare {sum(b.values()):.0f} us, gateway {sum(g.values()):.0f} us")
    print("functions whose own time per request grows most with the gateway (us/req: gateway - bare):")
    for key in sorted(g, key=lambda k: -(g[k] - b.get(k, 0.0)))[: args.top]:
        print(f"{g[key] - b.get(key, 0.0):8.1f}  {key}")


if __name__ == "__main__":
    main()
