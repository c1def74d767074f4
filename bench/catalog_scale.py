"""A catalogue at e-Stat's scale (issue 14 section 5): registration cost and search at 100,000 tables.

1. Registers --samples small tables (2 items x 20 areas x 1 year = 40 cells) through the real path
   (`statdb.service.register`: parameter file, CSV, classes, observations through
   statdb_load_observations, audit, event), timing each: "the first".
2. Generates --tables published tables in bulk (SQL, as the owner: stat_table, classes, 12
   observations each in the shared partition), with varied Japanese titles.
3. Registers --samples tables again through the real path: "table 100,001". Prints both medians
   and the ratio (goal <= 1.5).
4. getStatsData on a generated table and on a registered one (they answer their rows).
5. getStatsList (searchWord, with and without other conditions) and the portal's keyword search,
   --queries each over the catalogue: p95 and the ratio to the goal (100 ms).

The generated tables belong to a tenant of their own and are deleted at the end (unless --keep).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too
from bench.statdb_ingest import bench_tenant
from bench.summary import figure

SUBJECTS = [
    "人口",
    "世帯",
    "就業者",
    "事業所",
    "農業経営体",
    "出生",
    "死亡",
    "婚姻",
    "賃金",
    "消費者物価指数",
    "家計消費支出",
    "住宅",
    "製造品出荷額",
    "商業販売額",
    "学校",
    "医療施設",
    "観光客",
    "漁獲量",
]
BREAKDOWNS = [
    "都道府県別",
    "市区町村別",
    "年齢（5歳階級）別",
    "男女別",
    "産業（大分類）別",
    "職業別",
    "世帯人員別",
    "配偶関係別",
    "国籍別",
    "月別",
]
KEYWORDS = [
    "人口",
    "世帯",
    "賃金 都道府県別",
    "物価",
    "事業所 OR 学校",
    "就業者 男女別",
    "ｼﾞﾝｺｳ",
    "漁獲量",
    "婚姻",
    "観光客 市区町村別",
]


def params(n: int) -> bytes:
    return f"""format: 1
table: {{gov_stat_code: "00200521", title: 規模試験表 {n}, table_no: S-{n}, survey_date: "2020"}}
data:
  skip_rows: 1
  columns: {{area: {{code: 1, name: 2}}, time: {{code: 3}}}}
  values: [{{column: 4, cat01: "001"}}, {{column: 5, cat01: "002"}}]
dimensions:
  cat01:
    name: 項目
    items: [{{code: "001", name: 人口, unit: 人}}, {{code: "002", name: 世帯数, unit: 世帯}}]
  area: {{name: 地域, items: data}}
  time: {{name: 時間軸, items: data}}
""".encode()


def csv(rows: int = 20) -> bytes:
    lines = ["地域コード,地域名,年,人口,世帯数"] + [f"{i:05d},地域{i},2020,{1000 + i},{400 + i}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


async def register_samples(tenant_id, count: int, start: int) -> tuple[list[float], list[int]]:
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.statdb import service

    scope = Scope.tenant(tenant_id, role="agency", actor="bench")
    times, ids = [], []
    for n in range(start, start + count):
        upload = service.Upload(params(n), csv(), f"s{n}.csv")
        t0 = time.perf_counter()
        async with UnitOfWork(scope) as uow:
            row = await service.register(uow, upload)
        times.append(time.perf_counter() - t0)
        ids.append(row.id)
    return times, ids


GENERATE = """
INSERT INTO stat_table (tenant_id, gov_stat_code, table_no, title, statistics_name, cycle, survey_date, status,
                        publish_at, published_at, total_number, params, params_sha256, data_sha256, created_by, search_text)
SELECT $1::uuid, '00200521', 'G-' || n, title, '規模試験統計', '年次', year, 'published', now() - interval '1 day', now(),
       12, '\\x', repeat('0', 64), repeat('0', 64), 'bench', search
FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS g(n, title, year, search)
"""


def titles(first: int, count: int) -> tuple[list[int], list[str], list[str], list[str]]:
    """Varied titles (subject x breakdown x year) and their search text, analysed once per title."""
    ns, out, years, search = [], [], [], []
    for n in range(first, first + count):
        year = str(1990 + n % 35)
        title = f"{SUBJECTS[n % len(SUBJECTS)]} {BREAKDOWNS[(n // 7) % len(BREAKDOWNS)]}（{year}年）"
        ns.append(n)
        out.append(title)
        years.append(year)
        search.append(_analysed(title))
    return ns, out, years, search


_SEEN: dict[str, str] = {}


def _analysed(title: str) -> str:
    from govstat.platform.text.japanese import index_text

    if title not in _SEEN:
        _SEEN[title] = index_text(title, "規模試験統計", "")
    return _SEEN[title]


CLASSES = """
INSERT INTO class_obj (table_id, tenant_id, obj_id, name, position, source, indexed)
SELECT t.id, t.tenant_id, o.obj_id, o.name, o.pos, 'items', false
FROM stat_table t, (VALUES ('cat01', '項目', 1), ('area', '地域', 2), ('time', '時間軸', 3)) o(obj_id, name, pos)
WHERE t.created_by = 'bench' AND t.table_no LIKE 'G-%';
INSERT INTO class_item (table_id, tenant_id, obj_id, code, name, level, unit, parent_code, position)
SELECT t.id, t.tenant_id, i.obj_id, i.code, i.name, 1, i.unit, NULL, i.pos
FROM stat_table t, (VALUES ('cat01', '001', '人口', '人', 1), ('cat01', '002', '世帯数', '世帯', 2),
  ('area', '00000', '全国', NULL, 1), ('area', '13000', '東京都', NULL, 2), ('area', '27000', '大阪府', NULL, 3),
  ('time', '2019000000', '2019年', NULL, 1), ('time', '2020000000', '2020年', NULL, 2)) i(obj_id, code, name, unit, pos)
WHERE t.created_by = 'bench' AND t.table_no LIKE 'G-%';
INSERT INTO observation (table_id, tenant_id, seq, cat01, area, time, unit, value, raw, annotation, indexed, part)
SELECT t.id, t.tenant_id, row_number() OVER (PARTITION BY t.id ORDER BY c.code, a.code, y.code), c.code, a.code,
       y.code, c.unit, (t.id % 1000) + 7, NULL, NULL, 0, 0
FROM stat_table t, (VALUES ('001', '人'), ('002', '世帯')) c(code, unit),
     (VALUES ('00000'), ('13000'), ('27000')) a(code), (VALUES ('2019000000'), ('2020000000')) y(code)
WHERE t.created_by = 'bench' AND t.table_no LIKE 'G-%';
"""


async def generate(dsn: str, tenant_id, count: int) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        done = 0
        while done < count:
            n = min(20_000, count - done)
            async with conn.transaction():
                await conn.execute("SELECT set_config('app.role', 'system', true)")
                await conn.execute(GENERATE, tenant_id, *titles(done + 1, n))
            done += n
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.role', 'system', true)")
            await conn.execute(CLASSES)
        # what follows a bulk load: without it, autovacuum works through the new rows while the
        # registrations after it are timed
        for table in ("stat_table", "class_obj", "class_item", "observation", "statdb_partition.stat_table_search"):
            await conn.execute(f"VACUUM (ANALYZE) {table}")
    finally:
        await conn.close()


async def stats_data_rows(stats_data_id: str) -> int:
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.estat.api import stats_data

    async with UnitOfWork(Scope()) as uow:
        body = await stats_data.get_stats_data(uow, {"appId": "bench", "statsDataId": stats_data_id}, units=[])
    return len(body["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]["VALUE"])


async def search_times(queries: int) -> tuple[list[float], list[float], dict[str, int]]:
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.estat.api import stats_list
    from govstat.platform.subsystems.estat.portal import search as portal

    api, page, found = [], [], {}
    for n in range(queries):
        word = KEYWORDS[n % len(KEYWORDS)]
        q = {"appId": "bench", "searchWord": word, "limit": "100"}
        if n % 3 == 1:
            q["surveyYears"] = "2000-2010"
        t0 = time.perf_counter()
        async with UnitOfWork(Scope()) as uow:
            body = await stats_list.get_stats_list(uow, q, units=[])
        api.append(time.perf_counter() - t0)
        found[word] = int(body["GET_STATS_LIST"]["DATALIST_INF"]["NUMBER"])
        t0 = time.perf_counter()
        async with UnitOfWork(Scope()) as uow:
            result = await portal.search(uow, portal.Conditions(q=word))
        page.append(time.perf_counter() - t0)
        assert not result.error and result.total >= 0
    return api, page, found


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


async def main(args: argparse.Namespace) -> None:
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.settings import get_settings

    settings = get_settings()
    await start_pool()
    if args.search_only:  # the catalogue a run with --keep left: time the searches only
        try:
            api, page, found = await search_times(args.queries)
        finally:
            await close_pool()
        print(f"getStatsList searchWord p95: {p95(api) * 1000:7.1f} ms over {len(api)} queries (goal 100 ms)")
        print(f"portal keyword search p95:   {p95(page) * 1000:7.1f} ms over {len(page)} queries (goal 100 ms)")
        print("found: " + ", ".join(f"{w}={n}" for w, n in found.items()))
        return
    tenant_id = await bench_tenant()
    try:
        await register_samples(tenant_id, 3, 0)  # warm-up: imports, caches, prepared statements
        first, _ = await register_samples(tenant_id, args.samples, 100)
        t0 = time.perf_counter()
        await generate(settings.migration_database_url, tenant_id, args.tables)
        print(f"generated {args.tables:,} published tables in {time.perf_counter() - t0:.1f} s", flush=True)
        later, ids = await register_samples(tenant_id, args.samples, 200)
        async with UnitOfWork(Scope.system("bench")) as uow:
            total = await uow.fetchval("SELECT count(*) FROM stat_table")
            generated = await uow.fetchval(
                "SELECT stats_data_id FROM stat_table WHERE table_no = $1", f"G-{args.tables // 2}"
            )
            await uow.execute(
                "UPDATE stat_table SET status = 'published', publish_at = now() - interval '1 minute',"
                " published_at = now() WHERE id = $1",
                ids[-1],
            )
            mine = await uow.fetchval("SELECT stats_data_id FROM stat_table WHERE id = $1", ids[-1])
        assert await stats_data_rows(generated) == 12
        assert await stats_data_rows(mine) == 40
        api, page, found = await search_times(args.queries)
    finally:
        if not args.keep:
            async with UnitOfWork(Scope.system("bench")) as uow:
                await uow.execute("DELETE FROM stat_table WHERE tenant_id = $1", tenant_id)
        await close_pool()
    med = statistics.median
    ratio = med(later) / med(first)
    print(f"catalogue: {total:,} tables; getStatsData answers on a generated and a registered table")
    print(f"register a small table, first:        {med(first) * 1000:7.1f} ms (median of {len(first)})")
    print(f"register a small table, at {total:,}: {med(later) * 1000:7.1f} ms (median of {len(later)})")
    print(f"ratio = {ratio:.2f} (goal <= 1.5)")
    print(f"getStatsList searchWord p95: {p95(api) * 1000:7.1f} ms over {len(api)} queries (goal 100 ms)")
    print(f"portal keyword search p95:   {p95(page) * 1000:7.1f} ms over {len(page)} queries (goal 100 ms)")
    print("found: " + ", ".join(f"{w}={n}" for w, n in found.items()))
    figure("catalog", f"register at {total:,} / first", ratio, "x", "<= 1.5")
    figure("catalog", "getStatsList p95 / 100 ms", p95(api) / 0.1, "x", "<= 1.0")
    figure("catalog", "portal search p95 / 100 ms", p95(page) / 0.1, "x", "<= 1.0")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--search-only", action="store_true", help="only the searches, on a catalogue kept by --keep")
    asyncio.run(main(parser.parse_args()))
