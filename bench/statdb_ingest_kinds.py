"""Which kinds of data file a large upload streams, and what it gains: `statdb.service.register`
of the same 1,000,000 observations written four ways, each timed streamed (as an upload now goes)
and the way it went before (`streamed.register` answering None: prepare, then write), in
alternating rounds, beside a bare COPY of the same rows for scale:

  long UTF-8    one value column (the kind streamed since issue 14: the baseline)
  long cp932    the same file in cp932 (Shift_JIS): the two steps read it row by row until
                2026-12-02, column-wise since (columnar.py transcodes it whole)
  wide UTF-8    ten value columns, one per year (each fixing the time code), 100,000 rows
  wide cp932    the same in cp932

Prints per kind the median wall time of each way, their ratio (before / streamed) and streamed /
COPY, with the client's and the backend's CPU, and the load average. --categories scales the file
(100 = 1,000,000 observations)."""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too
from bench.statdb_ingest import (
    AREAS,
    LONG,
    YEARS,
    _check_migrated,
    bench_tenant,
    copy_once,
    figure_of,
    observations,
    params_file,
    register_once,
)
from bench.summary import figure


def files(categories: int) -> dict[str, tuple[bytes, bytes]]:
    years = ", ".join(f'{{code: "{2010 + y}000000", name: {2010 + y}年}}' for y in range(YEARS))
    wide_values = ", ".join(f'{{column: {4 + y}, time: "{2010 + y}000000"}}' for y in range(YEARS))
    wide_layout = f"  columns: {{cat01: 1, area: {{code: 2, name: 3}}}}\n  values: [{wide_values}]"
    long, wide = io.StringIO(), io.StringIO()
    long.write("項目,地域コード,地域名,年,値\n")
    wide.write("項目,地域コード,地域名," + ",".join(f"{2010 + y}年" for y in range(YEARS)) + "\n")
    cells: list[str] = []
    for n, c, a, time_code in observations(categories):
        value = "-" if n % 50 == 0 else "x" if n % 97 == 0 else f'"{figure_of(n):,}"'
        long.write(f"C{c:03d},{a:05d},奈良県髙取町{a},{time_code},{value}\n")
        cells.append(value)
        if len(cells) == YEARS:  # the area's last year: its wide row
            wide.write(f"C{c:03d},{a:05d},奈良県髙取町{a},{','.join(cells)}\n")
            cells = []
    out = {}
    for kind, layout, text, time_ in (
        ("long", LONG, long.getvalue(), "items: data"),
        ("wide", wide_layout, wide.getvalue(), f"items: [{years}]"),
    ):
        for encoding in ("utf-8", "cp932"):
            params = params_file(
                "種類別ベンチマーク",
                "kinds",
                categories=categories,
                encoding=encoding,
                layout=layout,
                times=time_,
                special='"-": 該当なし, "x": 秘匿',
            )
            out[f"{kind} {'UTF-8' if encoding == 'utf-8' else encoding}"] = (params, text.encode(encoding))
    return out


async def before_once(tenant_id, params: bytes, data: bytes) -> tuple[float, float, float, int]:
    """The same registration the way it went before this kind was streamed: prepare, then write."""
    from govstat.platform.subsystems.statdb import streamed

    real = streamed.register

    async def refuse(*_a: object, **_k: object) -> None:
        return None

    streamed.register = refuse  # type: ignore[assignment]
    try:
        return await register_once(tenant_id, params, data)
    finally:
        streamed.register = real


async def main(rounds: int, categories: int) -> None:
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.settings import get_settings
    from govstat.platform.subsystems.statdb import streamed

    settings = get_settings()
    await start_pool()
    used: list[str] = []
    real = streamed.register

    async def spy(*a: object, **k: object) -> object:
        row = await real(*a, **k)  # type: ignore[arg-type]
        used.append("streamed" if row is not None else "two steps")
        return row

    streamed.register = spy  # type: ignore[assignment]
    try:
        await _check_migrated()
        kinds = files(categories)
        tenant_id = await bench_tenant()
        rows = _copy_rows(categories, tenant_id)
        now: dict[str, list] = {k: [] for k in kinds}
        then: dict[str, list] = {k: [] for k in kinds}
        copies: list[float] = []
        loads: list[float] = []
        for r in range(rounds):  # alternating: which way goes first changes every round
            copies.append(await copy_once(settings.migration_database_url, rows, indexed=[]))
            for kind, (params, data) in kinds.items():
                ways = [("now", now), ("then", then)] if r % 2 == 0 else [("then", then), ("now", now)]
                for way, into in ways:
                    used.clear()
                    got = await (register_once if way == "now" else before_once)(tenant_id, params, data)
                    assert got[3] == categories * AREAS * YEARS, (kind, got)
                    assert way == "then" or used == ["streamed"], (kind, used)
                    into[kind].append(got)
            loads.append(os.getloadavg()[0])
    finally:
        streamed.register = real
        await close_pool()
    med = statistics.median
    copy = med(copies)
    print(f"observations: {categories * AREAS * YEARS:,}; {rounds} alternating rounds; bare COPY {copy:.2f} s")
    print(f"load average (1 min) after each round: {' '.join(f'{x:.1f}' for x in loads)} on {os.cpu_count()} cores")
    print(
        "kind         | file MB | before s | streamed s | before / streamed | streamed / COPY | CPU client / server streamed (before)"
    )
    for kind, (_p, data) in kinds.items():
        a, b = med(x[0] for x in then[kind]), med(x[0] for x in now[kind])
        cpu = (
            f"{med(x[1] for x in now[kind]):.2f} / {med(x[2] for x in now[kind]):.2f}"
            f" ({med(x[1] for x in then[kind]):.2f} / {med(x[2] for x in then[kind]):.2f})"
        )
        print(f"{kind:12} | {len(data) / 1e6:7.1f} | {a:8.2f} | {b:10.2f} | {a / b:17.2f} | {b / copy:15.2f} | {cpu}")
        figure("statdb", f"register {kind} / COPY (1M observations)", b / copy, "x", "<= 2.0")


def _copy_rows(categories: int, tenant_id: object) -> bytes:
    """The observations as the bare COPY's CSV (the same number of rows and columns)."""
    out = io.StringIO()
    for n, c, a, time_code in observations(categories):
        value = "" if n % 50 == 0 or n % 97 == 0 else str(figure_of(n))
        raw = "-" if n % 50 == 0 else "x" if n % 97 == 0 else ""
        out.write(f"1,{tenant_id},{n},01,C{c:03d},{a:05d},{time_code},人,{value},{raw},\n")
    return out.getvalue().encode()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--categories", type=int, default=100)
    opts = parser.parse_args()
    t0 = time.perf_counter()
    asyncio.run(main(opts.rounds, opts.categories))
    print(f"({time.perf_counter() - t0:.0f} s)")
