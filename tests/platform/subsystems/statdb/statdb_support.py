"""Helpers of the tables and statdb tests: an agency tenant that owns 国勢調査, the census files,
small generated tables, row counts, and running the publish jobs."""

from __future__ import annotations

from pathlib import Path

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import OPERATOR, make_tenant

ROOT = Path(__file__).resolve().parents[4]
DATA = ROOT / "platform/subsystems/statdb/data"
CENSUS_CSV = DATA / "FEH_00200521_240321113104.csv"
CENSUS_PARAMS = DATA / "census-2020-1-1-1.params.yaml"
TABLES = ("stat_table", "class_obj", "class_item", "observation", "table_file", "table_file_blob")


async def agency(agency_code: str = "00200"):
    """An agency tenant (総務省 by default, owner of 00200521) subscribed to tables and statdb."""
    t = await make_tenant(modules=("tables", "statdb"))
    async with UnitOfWork(OPERATOR) as uow:
        await uow.execute("UPDATE tenant SET agency_code = $2 WHERE id = $1", t.id, agency_code)
    return t


async def counts() -> dict[str, int]:
    async with UnitOfWork(Scope.system("test")) as uow:
        return {t: await uow.fetchval(f"SELECT count(*) FROM {t}") for t in TABLES}


def small_params(n: int, *, stat: str = "00200521", fmt: str = "csv", extra: str = "") -> bytes:
    return f"""format: 1
table:
  gov_stat_code: {stat}
  title: テスト表 {n}
  table_no: T-{n}
  survey_date: 2020
data:
  format: {fmt}
  skip_rows: 1
  columns:
    area: {{code: 1, name: 2}}
    time: {{code: 3}}
  values:
    - {{column: 4, cat01: "001"}}
    - {{column: 5, cat01: "002"}}
dimensions:
  cat01:
    name: 項目
    items:
      - {{code: "001", name: 人口, unit: 人}}
      - {{code: "002", name: 世帯数, unit: 世帯}}
  area:
    name: 地域
    items: data
  time:
    name: 時間軸
    items: data
special:
  "-": 該当なし
{extra}""".encode()


def small_csv(rows: int = 20, *, bad_last: bool = False) -> bytes:
    lines = ["地域コード,地域名,年,人口,世帯数"]
    for i in range(rows):
        lines.append(f'{i:05d},地域{i},2020,"{1000 + i:,}",{"-" if i % 7 == 0 else 400 + i}')
    if bad_last:
        lines[-1] = lines[-1].rsplit(",", 1)[0] + ",12a"
    return ("\n".join(lines) + "\n").encode()


def multipart(pairs: list[tuple[bytes, bytes, str]], test_mode: bool = False) -> tuple[list, dict]:
    files = []
    for params, data, name in pairs:
        files.append(("params", ("params.yaml", params, "application/yaml")))
        files.append(("data", (name, data, "text/csv")))
    return files, {"test_mode": "true" if test_mode else "false"}


async def run_publish_jobs() -> None:
    """What the worker's every-minute crons do, called directly."""
    from govstat.platform.jobs.spec import JobContext
    from govstat.platform.subsystems.statdb.jobs import PublishArgs as StatdbArgs
    from govstat.platform.subsystems.statdb.jobs import publish_due_job as statdb_job
    from govstat.platform.subsystems.tables.jobs import PublishArgs, publish_due_job

    await publish_due_job(JobContext({}), PublishArgs(job_id="test"))
    await statdb_job(JobContext({}), StatdbArgs(job_id="test"))
