"""`make bench`: every benchmark on a database of its own, then one summary table.

Self-contained on a fresh clone: like the test suite's session set-up, it (re)creates a
database (GOVSTAT_BENCH_DB, default govstat_bench) on the local PostgreSQL, migrates and
seeds it (`govstat migrate`, `govstat seed --demo --no-history`), and uses a Redis database
(GOVSTAT_BENCH_REDIS_DB, default 14) and a Kafka topic prefix of its own; `make run` is not
needed and the development database is never touched. Each benchmark prints its own detail;
the figures it marks (bench/summary.py) are gathered into the table printed at the end.

    python bench/run_all.py [--only gateway_overhead.py,...] [--seconds N] [--keep-db]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.summary import parse  # noqa: E402

BENCHES = {
    # many short alternating rounds; paced rounds with the servers and wrk on cores of their own
    "gateway_overhead.py": ["--seconds", "2", "--rounds", "12", "--two-trips", "--pin"],
    "statdb_ingest.py": ["--repeat", "1"],
    "statdb_ingest_kinds.py": ["--rounds", "2"],  # cp932 and several value columns, streamed or not
    "statdb_ingest_xlsx.py": ["--write"],  # a wide XLSX (merged header cells): read, convert, write
    "events_pipeline.py": [],
    "load_profile.py": ["--step-seconds", "{seconds}", "--seconds", "{seconds}"],
    "scaling.py": ["--seconds", "{seconds}"],  # 1 vs 2 app processes (docs/scaling.md)
    "gis_mesh.py": [],
    "gis_tiles.py": [],
    "online_deadline.py": [],
    "onsite_aggregate.py": [],
    "catalog_scale.py": [],
}


def bench_env() -> dict[str, str]:
    db = os.environ.get("GOVSTAT_BENCH_DB", "govstat_bench")
    redis_db = os.environ.get("GOVSTAT_BENCH_REDIS_DB", "14")
    pg = os.environ.get("GOVSTAT_PG_PORT", "5432")
    redis = os.environ.get("GOVSTAT_REDIS_PORT", "6379")
    kafka = os.environ.get("GOVSTAT_KAFKA_PORT", "9092")
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("GOVSTAT_BENCH_")}  # settings refuse unknowns
    return {
        **inherited,
        "GOVSTAT_ENV": "test",
        "GOVSTAT_DATABASE_URL": f"postgresql://govstat_app:govstat_app@127.0.0.1:{pg}/{db}",
        "GOVSTAT_MIGRATION_DATABASE_URL": f"postgresql://govstat_owner:govstat_owner@127.0.0.1:{pg}/{db}",
        "GOVSTAT_REDIS_URL": f"redis://127.0.0.1:{redis}/{redis_db}",
        "GOVSTAT_KAFKA_BOOTSTRAP": f"127.0.0.1:{kafka}",
        "GOVSTAT_KAFKA_TOPIC_PREFIX": f"bench{int(time.time())}.",
        "GOVSTAT_LOG_LEVEL": "WARNING",
        "GOVSTAT_SECRET_KEY": os.environ.get("GOVSTAT_SECRET_KEY", "bench-secret-key-0123456789abcdef"),
        "PYTHONPATH": str(ROOT),
    }


def prepare(env: dict[str, str]) -> None:
    """A fresh database, migrated and seeded, and an empty Redis database."""
    db = env["GOVSTAT_DATABASE_URL"].rsplit("/", 1)[1]
    steps = [
        [str(ROOT / "ops/services/postgres.sh"), "recreatedb", db],
        [sys.executable, "-m", "govstat.platform.root", "migrate"],
        [sys.executable, "-m", "govstat.platform.root", "seed", "--demo", "--no-history"],
        [sys.executable, "-c", "import redis, os; redis.Redis.from_url(os.environ['GOVSTAT_REDIS_URL']).flushdb()"],
    ]
    for cmd in steps:
        print("$ " + " ".join(cmd[-3:]), flush=True)
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"bench set-up failed: {' '.join(cmd)}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


def run(name: str, args: list[str], env: dict[str, str]) -> tuple[list[dict], int]:
    print(f"== {name}", flush=True)
    proc = subprocess.Popen(
        [sys.executable, str(HERE / name), *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    rows = []
    assert proc.stdout is not None
    for line in proc.stdout:
        row = parse(line)
        if row is None:
            print(line, end="", flush=True)
        else:
            rows.append(row)
    return rows, proc.wait()


def table(rows: list[dict], failed: list[str]) -> str:
    head = ("benchmark", "figure", "value", "goal")
    body = [(r["bench"], r["name"], f"{r['value']:,.2f} {r['unit']}".strip(), r["goal"]) for r in rows]
    body += [(name, "FAILED", "", "") for name in failed]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=False)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(head), line(["-" * w for w in widths]), *(line(b) for b in body)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated benchmark files")
    parser.add_argument("--seconds", type=int, default=8, help="load time per server in the HTTP benchmarks")
    parser.add_argument("--keep-db", action="store_true", help="reuse the benchmark database as it is")
    opts = parser.parse_args()
    env = bench_env()
    if not opts.keep_db:
        prepare(env)
    chosen = [n for n in BENCHES if not opts.only or n in opts.only.split(",")]
    rows: list[dict] = []
    failed = []
    started = time.monotonic()
    for name in chosen:
        got, code = run(name, [a.format(seconds=opts.seconds) for a in BENCHES[name]], env)
        rows += got
        if code != 0:
            failed.append(name)
    load = os.getloadavg()[0]
    print(f"\n== summary ({time.monotonic() - started:.0f} s; load average {load:.1f} on {os.cpu_count()} cores)")
    print(table(rows, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
