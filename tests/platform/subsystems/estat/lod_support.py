"""Helpers of the linked-data tests: a small table with suppressed cells ("x" 秘匿, "-" 該当なし),
published through statdb's use cases as the worker would publish it."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import service
from tests.platform.subsystems.estat import portal_support as ps
from tests.platform.subsystems.statdb.statdb_support import run_publish_jobs


def params(title: str) -> bytes:
    return f"""format: 1
table:
  gov_stat_code: "00200524"
  title: "{title}"
  table_no: "L-{secrets.token_hex(3)}"
  survey_date: "2023"
data:
  format: csv
  skip_rows: 1
  columns:
    area: {{code: 1, name: 2}}
    time: {{code: 3}}
  values:
    - {{column: 4, cat01: "000"}}
    - {{column: 5, cat01: "001"}}
    - {{column: 6, cat01: "002"}}
dimensions:
  cat01:
    name: 男女
    items:
      - {{code: "000", name: 総数, level: 1, unit: 千人}}
      - {{code: "001", name: 男, level: 2, parent: "000", unit: 千人}}
      - {{code: "002", name: 女, level: 2, parent: "000", unit: 千人}}
  area:
    name: 全国・都道府県
    items: data
  time:
    name: 時間軸（年）
    items: data
special:
  "x": 秘匿
  "-": 該当数値なし
""".encode()


CSV = (
    "地域コード,地域名,年,総数,男,女\n"
    "00000,全国,2023,124352.5,60492.5,63860\n"
    "13000,東京都,2023,x,6897,x\n"
    "29000,奈良県,2023,1298,-,684\n"
).encode()


async def register(title: str) -> dict:
    o = await ps.owner()
    async with UnitOfWork(Scope.tenant(o.id, actor="test")) as uow:
        row = await service.register(uow, service.Upload(params(title), CSV, "lod.csv"))
    return msgspec.structs.asdict(row)


_shared: dict | None = None


async def shared_table() -> dict:
    """One published table for the tests that only read it (publishing takes seconds)."""
    global _shared
    if _shared is None:
        _shared = await publish(f"リンクトデータ表 {uid()}")
    return _shared


async def publish(title: str) -> dict:
    """Registered, scheduled a moment ahead and published by the publish jobs."""
    table = await register(title)
    o = await ps.owner()
    async with UnitOfWork(Scope.tenant(o.id, actor="test")) as uow:
        when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.5)
        await service.schedule(uow, table["stats_data_id"], when)
    await asyncio.sleep(0.7)
    await run_publish_jobs()
    return table


def uid() -> str:
    return secrets.token_hex(4)
