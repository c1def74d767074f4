"""A small published table for the SDMX tests: 人口 and 世帯数 of three areas in 2019 and 2020,
with a confidential cell ("x" 秘匿) and a "-" (該当なし), registered and published through statdb."""

from __future__ import annotations

import asyncio
import datetime as dt

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import service
from tests.platform.subsystems.statdb.statdb_support import agency, run_publish_jobs, small_params

ROWS = [
    ("29000", "奈良県", "2019000000", "1330123", "530001"),
    ("29000", "奈良県", "2020000000", "1324473", "534001"),
    ("29201", "奈良市", "2019000000", "355000", "160100"),
    ("29201", "奈良市", "2020000000", "354630", "161600"),
    ("29202", "大和高田市", "2019000000", "64000", "-"),
    ("29202", "大和高田市", "2020000000", "63976", "x"),
]
_small: dict | None = None


def csv_bytes() -> bytes:
    lines = ["地域コード,地域名,年,人口,世帯数", *(",".join(r) for r in ROWS)]
    return ("\n".join(lines) + "\n").encode()


async def published_small() -> dict:
    """{stats_data_id, agency_code, id}: made and published once per session."""
    global _small
    if _small is None:
        owner = await agency()
        params = small_params(9001, extra='  "x": 秘匿\n')
        async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
            table = await service.register(uow, service.Upload(params, csv_bytes(), "small.csv"))
        async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
            await service.schedule(uow, table.stats_data_id, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
        await asyncio.sleep(1.2)
        await run_publish_jobs()
        _small = {"stats_data_id": table.stats_data_id, "id": table.id}
    return _small


def expected(area: str, year: str, cat: str) -> str:
    """The data file's text of one cell ("001" 人口, "002" 世帯数)."""
    row = next(r for r in ROWS if r[0] == area and r[2].startswith(year))
    return row[3] if cat == "001" else row[4]
