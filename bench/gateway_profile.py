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

STEPS = {  # (file fragment, function): what the row means (the names as of issue 15's third pass)
    ("gateway/pipeline.py", "handle"): "gateway middleware, all of it (route included)",
    ("gateway/authn.py", "authenticate"): "authentication (API key, cached)",
    ("gateway/credentials.py", "principal_for_api_key"): "of which the key's lookup (cache, one HMAC)",
    ("gateway/pipeline.py", "_admit"): "subscription, role, plan and the Redis script",
    ("gateway/subscriptions.py", "tenant_profile"): "of which the tenant's profile (cached)",
    ("gateway/pipeline.py", "_limit"): "of which the limit: plan, the script call, headers",
    ("gateway/ratelimit.py", "check"): "the Redis script call (limit + open record): one round trip",
    ("gateway/wire.py", "call"): "commands packed (hiredis) and queued on the gateway's connection",
    ("gateway/wire.py", "_flush"): "one socket write per loop turn (admissions + completions)",
    ("gateway/wire.py", "data_received"): "replies parsed (hiredis) and handed to their callers",
    ("gateway/pipeline.py", "__init__"): "the usage event as admitted (_Call: msgspec structs, id)",
    ("gateway/event_ids.py", "next_id"): "of which the event id",
    ("platform/events/envelope.py", "encode"): "usage events encoded (msgspec JSON)",
    ("gateway/pipeline.py", "metered_send"): "the wrapped send (bytes, status, headers)",
    ("gateway/pipeline.py", "_meter"): "the full usage event completed and queued",
    ("gateway/completions.py", "_send"): "completions: one script call per loop turn's batch",
    ("gateway/security_events.py", "record_denial"): "denials (none expected)",
    ("platform/web/audited.py", "begin_call"): "call audit bookkeeping",
    ("platform/db/uow.py", "__aenter__"): "the route's unit of work begun (both apps)",
    ("platform/db/begin.py", "scope_sql"): "the scope's set_config text (both apps)",
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


GROUPS = (  # (fragment of the function's key, group), first match wins
    ("gateway/", "govstat gateway's own Python"),
    ("tenants/apikeys", "API key check (tenants/apikeys.py, HMAC)"),
    ("hmac", "API key check (tenants/apikeys.py, HMAC)"),
    ("hiredis", "hiredis (packing, parsing)"),
    ("opentelemetry", "OpenTelemetry (both apps; more headers, more work)"),
    ("asgi/__init__", "OpenTelemetry (both apps; more headers, more work)"),
    ("telemetry.py", "OpenTelemetry (both apps; more headers, more work)"),
    ("uuid", "uuid (event id text, the scope's tenant id)"),
    ("db/", "govstat's unit of work and scope (both apps)"),
    ("asyncpg", "asyncpg (the route's queries, both apps)"),
    ("piccolo", "asyncpg (the route's queries, both apps)"),
    ("msgspec", "msgspec (usage events, answer)"),
    ("encode", "msgspec (usage events, answer)"),
    ("litestar", "Litestar"),
    ("asyncio", "event loop (asyncio / uvloop)"),
    ("uvloop", "event loop (asyncio / uvloop)"),
    ("uvicorn", "uvicorn"),
)


def _by_group(own: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, us in own.items():
        group = next((g for frag, g in GROUPS if frag in key), "other (builtins, stdlib)")
        out[group] = out.get(group, 0.0) + us
    return out


def _steps(stats: pstats.Stats, requests: float) -> dict[tuple[str, str, str], float]:
    """Cumulative time per request (us; `requests` 1: seconds in all) of each step of STEPS found."""
    out: dict[tuple[str, str, str], float] = {}
    for (path, _, name), (_, _, _, ct, _) in stats.stats.items():  # type: ignore[attr-defined]
        for (frag, fn), what in STEPS.items():
            if path.endswith(frag) and name == fn:
                key = (frag, fn, what)
                out[key] = out.get(key, 0.0) + (ct / requests * 1e6 if requests != 1 else ct)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    token = asyncio.run(_bench_tenant())
    bare, bare_n = _profile("bench.apps:bare_app", None, args.seconds)
    stats, requests = _profile("bench.apps:gateway_app", f"X-API-Key: {token}", args.seconds)
    total = max(t for (_, _, _, ct, _) in stats.stats.values() for t in [ct])  # type: ignore[attr-defined]
    bare_steps = _steps(bare, bare_n)
    print(f"{requests:.0f} requests; shares of the gateway process's profiled time (cumulative), us/req (bare app):")
    for (frag, fn, what), ct in _steps(stats, 1).items():
        bare_us = f"({bare_steps[(frag, fn, what)]:.0f})" if (frag, fn, what) in bare_steps else ""
        print(f"{100 * ct / total:6.1f}%  {ct / requests * 1e6:7.0f} us/req {bare_us:>7}  {frag}:{fn}  {what}")
    g, b = _by_function(stats, requests), _by_function(bare, bare_n)
    print(f"profiled own time per request: bare {sum(b.values()):.0f} us, gateway {sum(g.values()):.0f} us")
    print("the difference by where the code lives (own time, us/req: gateway - bare):")
    gb, bb = _by_group(g), _by_group(b)
    for group in sorted(gb.keys() | bb.keys(), key=lambda k: -(gb.get(k, 0.0) - bb.get(k, 0.0))):
        print(f"{gb.get(group, 0.0) - bb.get(group, 0.0):8.1f}  {group}")
    print("functions whose own time per request grows most with the gateway (us/req: gateway - bare):")
    for key in sorted(g, key=lambda k: -(g[k] - b.get(k, 0.0)))[: args.top]:
        print(f"{g[key] - b.get(key, 0.0):8.1f}  {key}")


if __name__ == "__main__":
    main()
