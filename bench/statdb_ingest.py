"""Ingestion speed of the statistical database: govstat's path against a bare PostgreSQL COPY.

Generates a table of >= 1,000,000 observations (100 categories x 1,000 areas x 10 years; 1 in 50
cells a special character '-') as a CSV data file and its parameter file, then times

  (a) govstat's ingestion: `convert` = parse the parameter file, read and check the CSV
      (pyarrow columns, statdb/columnar.py); `write` = stat_table, classes and observations inside
      one unit of work in the owning tenant's scope (the Arrow columns as CSV, COPY straight into the
      table's new partition of the row-level-secured `observation`, opened by
      statdb_partition_open(); statdb_load_partition() then builds its primary key and dimension
      indexes in bulk, analyses and attaches it), committed;
  (a2) the same file registered as an upload is (`statdb.service.register`): read in pieces, each
      copied while the next is parsed (statdb/streamed.py), with its audit entry and event: the end
      to end figure (wall, the client's CPU and the PostgreSQL backend's CPU from /proc);
  (b) COPY of the same rows (CSV text, parsed by PostgreSQL) into a plain scratch table with no
      index, as the owner role (GOVSTAT_MIGRATION_DATABASE_URL); and, for reference,
  (c) the same COPY into a scratch table with the indexes `observation` keeps for this table (its
      primary key and the dimensions with at least 16 codes: cat01 and area here), maintained row
      by row: what the indexes cost when they exist before the rows.

and then, on that table published,

  (d) getStatsData for 100,000 values through the e-Stat API's code (parameters, TABLE_INF,
      CLASS_INF, the narrowed fetch, VALUE rows, msgspec JSON) against
  (e) the floor: an asyncpg fetch of the same rows plus msgspec encoding of the same JSON.

Prints each time (median of --repeat runs) and the ratios; goals: write / COPY <= 3, end to end
(a2: parse + check + write) / COPY <= 2 (issue 14), getStatsData / floor <= 1.5, and the load average.
Scratch tables and the benchmark's table are removed afterwards. Needs a migrated, seeded database.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too
from bench.summary import figure

CATEGORIES, AREAS, YEARS = 100, 1000, 10
DIMS = ("tab", "cat01", "area", "time")


LONG = "  columns: {cat01: 1, area: {code: 2, name: 3}, time: 4}\n  values: [{column: 5}]"


def params_file(
    title: str,
    table_no: str,
    *,
    categories: int = CATEGORIES,
    encoding: str = "",
    layout: str = LONG,
    times: str = "items: data",
    special: str = '"-": 該当なし',
) -> bytes:
    """The benchmark table's params.yaml (here and in statdb_ingest_kinds.py): tab fixed, cat01's
    `categories` items C000.., area read from the data, time as `times` says."""
    items = "\n".join(f'      - {{code: "C{c:03d}", name: 項目{c}, unit: 人}}' for c in range(categories))
    declared = f"  encoding: {encoding}\n" if encoding else ""
    return f"""format: 1
table: {{gov_stat_code: "00200521", title: {title}, table_no: {table_no}}}
data:
{declared}  skip_rows: 1
{layout}
dimensions:
  tab: {{name: 表章項目, fixed: "01", items: [{{code: "01", name: 人口}}]}}
  cat01:
    name: 項目
    items:
{items}
  area: {{name: 地域, items: data}}
  time: {{name: 時間軸, {times}}}
special: {{{special}}}
""".encode()


def observations(categories: int = CATEGORIES) -> Iterator[tuple[int, int, int, str]]:
    """(n from 1, category, area, time code) of each observation in the files' order: category,
    then area, then year; observation n's figure is figure(n)."""
    n = 0
    for c in range(categories):
        for a in range(AREAS):
            for y in range(YEARS):
                n += 1
                yield n, c, a, f"{2010 + y}000000"


def figure_of(n: int) -> int:
    return (n * 7919) % 10_000_000


def generate() -> tuple[bytes, bytes]:
    params = params_file("ベンチマーク表", "bench")
    out = io.StringIO()
    out.write("項目,地域コード,地域,年,値\n")
    for n, c, a, time_code in observations():
        value = "-" if n % 50 == 0 else f"{figure_of(n):,}"
        out.write(f'C{c:03d},{a:05d},地域{a},{time_code},"{value}"\n')
    return params, out.getvalue().encode()


def warm_up(params: bytes, data: bytes) -> float:
    """Convert a tenth of the file once, untimed: a server process pays pyarrow's import and its
    memory pool's first growth once, at its first file, not at every ingestion."""
    from govstat.platform.subsystems.statdb import columnar
    from govstat.platform.subsystems.statdb.params import parse
    from govstat.platform.subsystems.statdb.problems import Problems

    t0 = time.perf_counter()
    parsed = parse(params, Problems())
    assert parsed is not None
    assert columnar.convert(parsed, "warm.csv", data[: data.index(b"\n", len(data) // 10) + 1]) is not None
    return time.perf_counter() - t0


async def bench_tenant():
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.tenants import admission, schemas

    code = f"bench-statdb{int(time.time()) % 10**6}"
    async with UnitOfWork(Scope(role="operator", actor="bench")) as uow:
        bulk = await uow.fetchval("SELECT id FROM bulk_contract ORDER BY fiscal_year DESC LIMIT 1")
        contacts = schemas.ContactsIn(
            primary=schemas.ContactIn(role="primary", name="主", email="p@bench.example.jp"),
            deputy=schemas.ContactIn(role="deputy", name="副", email="d@bench.example.jp"),
        )
        row = await admission.create_constituent(
            uow,
            schemas.ConstituentIn(code=code, name_ja="ベンチ省", agency_code="00200", bulk_contract_id=bulk),
            contacts,
        )
    return row.id


async def ingest_once(tenant_id, params: bytes, data: bytes) -> tuple[float, float, list[tuple], list[str]]:
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.statdb import ingest
    from govstat.platform.subsystems.statdb.problems import Problems

    scope = Scope.tenant(tenant_id, role="agency", actor="bench")
    t0 = time.perf_counter()
    async with UnitOfWork(scope) as uow:
        p = Problems()
        prep = await ingest.prepare(uow, params, data, "bench.csv", p)
        p.raise_if_any()
    t1 = time.perf_counter()
    async with UnitOfWork(scope) as uow:
        row = await ingest.write(uow, prep, test_mode=True)
    t2 = time.perf_counter()
    async with UnitOfWork(scope) as uow:
        await uow.execute("DELETE FROM stat_table WHERE id = $1", row.id)  # its partition goes with it
    indexed = [o for o, items in prep.converted.items.items() if len(items) >= ingest.INDEX_MIN_ITEMS]
    return t1 - t0, t2 - t1, prep.converted.records, indexed


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a PostgreSQL backend on this machine, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def register_once(tenant_id, params: bytes, data: bytes) -> tuple[float, float, float, int]:
    """(a2) what an upload does: `statdb.service.register`, the data file copied while it is read
    (statdb/streamed.py), with its audit entry and event, committed. (wall, client CPU, server CPU, total)"""
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.statdb import service

    scope = Scope.tenant(tenant_id, role="agency", actor="bench")
    t0, c0 = time.perf_counter(), time.process_time()
    async with UnitOfWork(scope) as uow:
        pid = await uow.fetchval("SELECT pg_backend_pid()")
        s0 = backend_cpu(pid)
        row = await service.register(uow, service.Upload(params, data, "bench.csv"), test_mode=True)
        server = backend_cpu(pid) - s0
    wall, client = time.perf_counter() - t0, time.process_time() - c0
    async with UnitOfWork(scope) as uow:
        await uow.execute("DELETE FROM stat_table WHERE id = $1", row.id)
    return wall, client, server, row.total_number


async def copy_once(dsn: str, csv_rows: bytes, indexed: list[str], cpu: list[float] | None = None) -> float:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    name = f"bench_copy_{uuid.uuid4().hex[:8]}"
    try:
        cols = ", ".join(f'{o} text COLLATE "C"' for o in DIMS)  # as in observation
        await conn.execute(
            f"CREATE TABLE {name} (table_id bigint, tenant_id uuid, seq integer, {cols}, unit text,"
            " value numeric, raw text, annotation text)"
        )
        if indexed:
            await conn.execute(
                f"ALTER TABLE {name} ADD PRIMARY KEY (table_id, seq);"
                + "".join(f"CREATE INDEX ON {name} (table_id, {o});" for o in indexed)
            )
        pid = conn.get_server_pid()
        t0, s0 = time.perf_counter(), backend_cpu(pid)
        await conn.copy_to_table(name, source=io.BytesIO(csv_rows), format="csv")
        took = time.perf_counter() - t0
        if cpu is not None:
            cpu.append(backend_cpu(pid) - s0)
        return took
    finally:
        await conn.execute(f"DROP TABLE IF EXISTS {name}")
        await conn.close()


async def main(repeat: int) -> None:
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.settings import get_settings

    settings = get_settings()
    await start_pool()
    try:
        await _check_migrated()
        params, data = generate()
        cold = warm_up(params, data)
        tenant_id = await bench_tenant()
        converts, writes, copies, indexed, registers, copy_cpu = [], [], [], [], [], []
        rows = b""
        for _ in range(repeat):  # interleaved, so that a busy moment of the machine hits them all alike
            c, w, records, dims_indexed = await ingest_once(tenant_id, params, data)
            converts.append(c)
            writes.append(w)
            rows = rows or _csv(records, tenant_id)
            copies.append(await copy_once(settings.migration_database_url, rows, indexed=[], cpu=copy_cpu))
            registers.append(await register_once(tenant_id, params, data))
            assert registers[-1][3] == len(records)
            indexed.append(await copy_once(settings.migration_database_url, rows, indexed=dims_indexed))
        api_times, floor_times = await stats_data_bench(tenant_id, params, data, repeat)
    finally:
        await close_pool()
    med = statistics.median
    n = len(records)
    print(f"observations: {n:,} (data file {len(data) / 1e6:.1f} MB), median of {repeat}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"(a) govstat convert (parse + check CSV: pyarrow columns, row by row on error): {med(converts):6.2f} s")
    print(f"    (the process's first file, a tenth of this one, untimed warm-up: {cold:.2f} s, pyarrow's import in it)")
    print(
        f"(a) govstat write (Arrow columns as CSV, COPY into own partition, bulk indexes): {med(writes):6.2f} s"
        f"  ({n / med(writes):,.0f} rows/s)"
    )
    print(f"(b) COPY into a plain table:                     {med(copies):6.2f} s  ({n / med(copies):,.0f} rows/s)")
    print(
        f"(c) COPY into a table with the same indexes:      {med(indexed):6.2f} s  (primary key, {', '.join(dims_indexed)})"
    )
    print(
        f"ratio write / COPY = {med(writes) / med(copies):.2f} (goal <= 3.0); "
        f"write / indexed COPY = {med(writes) / med(indexed):.2f}"
    )
    print(f"    bare COPY's server CPU: {med(copy_cpu):.2f} s")
    reg = med(r[0] for r in registers)
    print(
        f"(a2) govstat register, end to end (read in pieces, each copied while the next is parsed; audit, event,"
        f" commit): {reg:6.2f} s; CPU client {med(r[1] for r in registers):.2f} s, server {med(r[2] for r in registers):.2f} s"
    )
    print(
        f"two steps (prepare, then write) / COPY = {(med(converts) + med(writes)) / med(copies):.2f}; "
        f"end to end (register: parse + check + write) / COPY = {reg / med(copies):.2f} (goal <= 2.0)"
    )
    print(f"(d) getStatsData, 100,000 values (e-Stat API code, JSON): {med(api_times) * 1000:7.1f} ms")
    print(f"(e) floor: asyncpg fetch + msgspec encode of the same JSON: {med(floor_times) * 1000:7.1f} ms")
    print(f"ratio getStatsData / floor = {med(api_times) / med(floor_times):.2f} (goal <= 1.5)")
    figure("statdb", "write / COPY (1M observations)", med(writes) / med(copies), "x", "<= 3.0")
    figure("statdb", "parse + check + write / COPY (1M observations)", reg / med(copies), "x", "<= 2.0")
    figure("statdb", "getStatsData / floor (100k values)", med(api_times) / med(floor_times), "x", "<= 1.5")


async def stats_data_bench(tenant_id, params: bytes, data: bytes, repeat: int) -> tuple[list[float], list[float]]:
    """(d) and (e) on the benchmark table, published for the duration."""
    import msgspec

    from govstat.platform.db.engine import DB
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.estat.api import render, stats_data
    from govstat.platform.subsystems.statdb import ingest
    from govstat.platform.subsystems.statdb.problems import Problems

    scope = Scope.tenant(tenant_id, role="agency", actor="bench")
    async with UnitOfWork(scope) as uow:
        p = Problems()
        prep = await ingest.prepare(uow, params, data, "bench.csv", p)
        row = await ingest.write(uow, prep, test_mode=False)
    async with UnitOfWork(Scope.system("bench")) as uow:
        await uow.execute(
            "UPDATE stat_table SET status = 'published', publish_at = now() - interval '1 minute',"
            " published_at = now() WHERE id = $1",
            row.id,
        )
    sid = row.stats_data_id
    query = {"appId": "bench", "statsDataId": sid, "limit": "100000", "startPosition": "200001"}
    floor_sql = (
        "SELECT tab, cat01, area, time, unit, coalesce(value::text, raw) AS v FROM observation"
        f" WHERE table_id = {int(row.id)} AND seq >= 200001 ORDER BY seq LIMIT 100000"
    )
    encode = msgspec.json.Encoder().encode
    api_times, floor_times = [], []
    try:
        for _ in range(repeat):
            t0 = time.perf_counter()
            async with UnitOfWork(Scope()) as uow:  # the public's scope: published rows only
                body = await stats_data.get_stats_data(uow, query, units=[])
            payload = render.to_json(body)
            api_times.append(time.perf_counter() - t0)
            assert len(body["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["VALUE"]) == 100_000

            t0 = time.perf_counter()
            async with DB.pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT set_config('app.role', 'anonymous', true)")
                rows = await conn.fetch(floor_sql)
            values = [
                {"@tab": r[0], "@cat01": r[1], "@area": r[2], "@time": r[3], "@unit": r[4], "$": r[5]} for r in rows
            ]
            floor = encode({"GET_STATS_DATA": {"STATISTICAL_DATA": {"DATA_INF": {"VALUE": values}}}})
            floor_times.append(time.perf_counter() - t0)
            assert len(payload) > len(floor) > 0
    finally:
        async with UnitOfWork(scope) as uow:
            await uow.execute("DELETE FROM stat_table WHERE id = $1", row.id)
    return api_times, floor_times


async def _check_migrated() -> None:
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope

    async with UnitOfWork(Scope.system("bench")) as uow:
        if await uow.fetchval("SELECT to_regclass('observation')") is None:
            raise SystemExit("statdb tables missing: run `govstat migrate` and `govstat seed` first")


def _csv(records: list[tuple], tenant_id) -> bytes:
    """The converted rows as COPY CSV (an empty unquoted field is NULL)."""
    out = io.StringIO()
    for seq, tab, cat01, area, time_, unit, value, raw, _note in records:
        out.write(f"1,{tenant_id},{seq},{tab},{cat01},{area},{time_},{unit},{value or ''},{raw or ''},\n")
    return out.getvalue().encode()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    asyncio.run(main(parser.parse_args().repeat))
