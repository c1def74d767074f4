"""Helpers of the regional statistics tests: the demo seed's tables (every test session seeds the
demo), a small earlier-year table registered through statdb, and reading the shipped census file."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.region.rows import Source
from govstat.platform.subsystems.region.seed import upsert_items
from govstat.platform.subsystems.statdb import service
from tests.platform.subsystems.statdb.statdb_support import CENSUS_CSV, agency, run_publish_jobs

ROOT = Path(__file__).resolve().parents[4]
PREF_CSV = ROOT / "platform/subsystems/region/data/census-timeseries-pref-1920-2020.csv"


def census_rows() -> list[tuple[str, str, Decimal | None]]:
    """(code, name, 総数) of the shipped 2020 census file, in its order."""
    lines = CENSUS_CSV.read_text(encoding="utf-8").splitlines()[13:]
    out = []
    for r in csv.reader(lines):
        total = r[5].replace(",", "")
        out.append((r[2], r[3], Decimal(total) if total.isdigit() else None))
    return out


def parts_listed_after(code: str) -> list[tuple[str, str, Decimal | None]]:
    """The 「（旧：…）」 rows e-Stat lists right after a present municipality."""
    rows = census_rows()
    i = next(n for n, r in enumerate(rows) if r[0] == code)
    out = []
    for r in rows[i + 1 :]:
        if not r[1].startswith("（旧："):
            break
        out.append(r)
    return out


def pref_value(name: str, year: int) -> str:
    for r in csv.DictReader(io.StringIO(PREF_CSV.read_text(encoding="utf-8"))):
        if r["地域_時系列"] == name and r["時間軸(調査年)"] == f"{year}年":
            return r["value"]
    raise KeyError((name, year))


EARLIER = b"""format: 1
table:
  gov_stat_code: 00200521
  title: "test: population on the 2000 boundaries"
  table_no: T-2000
  survey_date: 200010
data:
  format: csv
  skip_rows: 1
  columns:
    area: {code: 1, name: 2}
    time: {code: 3, name: 4}
  values:
    - {column: 5}
dimensions:
  tab:
    name: items
    fixed: "01"
    items:
      - {code: "01", name: population, unit: persons}
  area:
    name: areas
    items: data
  time:
    name: year
    items: data
"""


async def earlier_table(values: dict[str, int], indicator: str) -> str:
    """A published table of the year 2000 with `values` by the codes of that day, and an item
    `indicator` drawn from it; answers the statsDataId."""
    owner = await agency()
    text = "code,name,time,year,value\n" + "".join(f"{c},{c},2000000000,2000,{v}\n" for c, v in values.items())
    async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
        table = await service.register(uow, service.Upload(EARLIER, text.encode(), "t2000.csv"))
    async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
        await service.schedule(uow, table.stats_data_id, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    await asyncio.sleep(1.2)
    await run_publish_jobs()
    async with UnitOfWork(Scope.system("test")) as uow:
        census = await uow.fetchval("SELECT sources->1->>'table' FROM region_indicator WHERE code = 'A1101'")
        item = {"code": indicator, "name_ja": "テスト人口", "name_en": "test", "definition": "", "unit": "人"}
        sources = [Source(table=table.stats_data_id), Source(table=census, select={"cat01": "0"})]
        await upsert_items(uow, [{**item, "kind": "base", "sources": sources}], "test")
        await uow.execute("UPDATE region_indicator SET position = 100 WHERE code = $1", indicator)
    return table.stats_data_id
