"""A large wide XLSX upload (`data.header`, merged header cells) read and converted: time and peak
RSS of the header read alone (`transform.rows` reads the header rows before it returns the data
rows' iterator) and of the whole read and convert (`transform.convert_rows`, what `ingest.prepare`
runs in its worker thread), each in a fresh process, for a small and a large workbook.

  .venv/bin/python bench/statdb_ingest_xlsx.py --rows 30000 --years 10   # 300,000 observations

With --write (a migrated and seeded database: `bench/run_all.py` makes one), the large workbook is
then registered the two-step way (`ingest.prepare`, then `ingest.write`) and both steps timed: what
copying while reading (`streamed.py`) could hide is the shorter of the two."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too
from bench.summary import figure

CATEGORIES = 100


def params(years: int) -> bytes:
    items = "\n".join(f'      - {{code: "C{c:03d}", name: 項目{c}}}' for c in range(CATEGORIES))
    times = "\n".join(f'      - {{code: "{2000 + y}000000", name: {2000 + y}年}}' for y in range(years))
    return f"""format: 1
table: {{gov_stat_code: "00200521", title: XLSXベンチマーク, table_no: xlsx}}
data:
  skip_rows: 2
  columns: {{cat01: 1, area: {{code: 2, name: 3}}}}
  header:
    rows: {{1: tab, 2: time}}
    columns: 4-
dimensions:
  tab: {{name: 表章項目, items: [{{code: "01", name: 人口, unit: 人}}]}}
  cat01:
    name: 項目
    items:
{items}
  area: {{name: 地域, items: data}}
  time:
    name: 時間軸
    items:
{times}
special: {{"-": 該当なし}}
""".encode()


def workbook(rows: int, years: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()  # shared strings and the sheet's dimension, as Excel writes them
    sheet = book.active
    sheet.title = "表"
    sheet.append(["項目", "地域コード", "地域名", "人口"])
    sheet.append([None, None, None, *(f"{2000 + y}年" for y in range(years))])
    sheet.merge_cells(f"D1:{openpyxl.utils.get_column_letter(3 + years)}1")  # 人口 over the years
    for r in range(rows):
        area = r // CATEGORIES
        sheet.append([f"C{r % CATEGORIES:03d}", f"A{area:05d}", f"地域{area}", *(r * 7 + y for y in range(years))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rss_kib() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() // 1024


def measure(mode: str, path: str, years: int) -> dict[str, float]:
    from govstat.platform.subsystems.statdb import transform
    from govstat.platform.subsystems.statdb.params import parse
    from govstat.platform.subsystems.statdb.problems import Problems

    data = Path(path).read_bytes()
    p = Problems()
    prepared = parse(params(years), p)
    assert prepared is not None, p.errors
    base = rss_kib()
    t0, c0 = time.perf_counter(), time.process_time()
    if mode == "header":
        transform.rows(prepared, "t.xlsx", data, p, transform.Context())
        count = len(prepared.layout.values)
    else:
        count = transform.convert_rows(prepared, "t.xlsx", data, p, transform.Context()).total
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert not p, p.errors[:3]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": round(seconds, 2),
        "cpu": round(cpu, 2),
        "peak_mib_over_start": round((peak - base) / 1024, 1),
        "count": count,
    }


async def write_phase(path: Path, years: int) -> None:
    from bench.statdb_ingest import _check_migrated, bench_tenant, ingest_once
    from govstat.platform.db.engine import close_pool, start_pool

    await start_pool()
    try:
        await _check_migrated()
        tenant = await bench_tenant()
        for _ in range(2):
            prepare, write, records, _ = await ingest_once(tenant, params(years), path.read_bytes())
            print(f"two steps, {len(records):,} observations: prepare {prepare:.2f} s, write {write:.2f} s")
        figure("statdb", f"wide XLSX prepare / write ({len(records):,} observations)", prepare / write, "x")
    finally:
        await close_pool()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=30_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--write", action="store_true", help="then register it (needs the bench database)")
    ap.add_argument("--measure", nargs=3, metavar=("MODE", "PATH", "YEARS"))
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], args.measure[1], int(args.measure[2]))))
        return
    peaks = []
    for rows in (args.rows // 10, args.rows):
        path = Path(f"/tmp/statdb_ingest_xlsx_{rows}_{args.years}_v2.xlsx")
        if not path.exists():
            path.write_bytes(workbook(rows, args.years))
        size = path.stat().st_size / 1e6
        for mode in ("header", "convert"):
            cmd = [sys.executable, __file__, "--measure", mode, str(path), str(args.years)]
            got = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            print(f"{rows * args.years:>9,} observations ({size:.1f} MB) {mode:>8}: {got}")
            if mode == "header":
                peaks.append(got["peak_mib_over_start"])
            else:
                figure("statdb", f"wide XLSX read+convert, {rows * args.years:,} observations", got["seconds"], "s")
    figure("statdb", "wide XLSX header peak RSS, 10x rows / 1x", peaks[1] / max(peaks[0], 0.1), "x", "<= 1.2")
    if args.write:
        asyncio.run(write_phase(path, args.years))


if __name__ == "__main__":
    main()
