"""Small published tables for the e-Stat API's catalogue tests (issue 14 section 1): one with
English names, sub-categories and small areas (町丁・字等), one of 社会・人口統計体系, made once a
session through statdb's register, schedule and publish."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import service
from tests.platform.subsystems.statdb.statdb_support import agency, run_publish_jobs

_made: dict[str, str] | None = None


def english_params(tag: str) -> bytes:
    return f"""format: 1
table:
  gov_stat_code: "00200521"
  title: 小地域別人口 {tag}
  title_en: Population by small area {tag}
  stat_name_en: Population Census
  statistics_name: 令和２年国勢調査 小地域集計
  statistics_name_en: 2020 Population Census, small area tabulation
  explanation: 町丁・字等別の人口
  explanation_en: Population by town and block
  table_no: S-{tag}
  survey_date: "202010"
  cycle: 5年
  sub_category: "0201"
  tabulation_sub_categories: [小地域集計, 人口]
  table_category: 人口
  table_sub_categories: [町丁・字等別]
  tabulation_sub_categories_en: [Small area tabulation]
  table_sub_categories_en: [By town and block]
  tabulation_sub_category_explanations: [町丁・字等を単位とする集計, 人口の集計]
  small_area: 1
data:
  skip_rows: 1
  columns:
    area: {{code: 1, name: 2}}
  values:
    - {{column: 3, cat01: "0"}}
    - {{column: 4, cat01: "1"}}
  annotation_column: 5
dimensions:
  cat01:
    name: 男女
    name_en: Sex
    description: 性別は本人の申告による
    items:
      - {{code: "0", name: 総数, name_en: Total, unit: 人, add_inf: 男女の合計, explanation: 性別不詳を含む}}
      - {{code: "1", name: 男}}
  area:
    name: 地域
    items: data
special:
  "-": 該当数値なし
  "x": 秘匿
special_en:
  "-": Not applicable
annotations:
  "†": 速報値
annotations_en:
  "†": Preliminary figure
""".encode()


ENGLISH_CSV = (
    "町丁コード,町丁名,総数,男,注釈\n13101001001,丸の内一丁目,120,-,†\n13101001002,丸の内二丁目,80,x,\n".encode()
)


def ssds_params(tag: str) -> bytes:
    return f"""format: 1
table:
  gov_stat_code: "00200502"
  title: 都道府県データ 基礎データ {tag}
  survey_date: "2020"
data:
  skip_rows: 1
  columns:
    area: {{code: 1, name: 2}}
  values:
    - {{column: 3, cat01: A1101}}
dimensions:
  cat01:
    name: 項目
    items:
      - {{code: A1101, name: 総人口, unit: 人}}
  area:
    name: 地域
    items: data
""".encode()


SSDS_CSV = "コード,地域,総人口\n01000,北海道,5224614\n".encode()


async def published_tables() -> dict[str, str]:
    """{"english": statsDataId, "ssds": statsDataId} (published, due)."""
    global _made
    if _made is None:
        tag = uuid.uuid4().hex[:6]
        owner = await agency()
        made = {}
        for key, params, data in (
            ("english", english_params(tag), ENGLISH_CSV),
            ("ssds", ssds_params(tag), SSDS_CSV),
        ):
            async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
                table = await service.register(uow, service.Upload(params, data, "data.csv"))
            async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
                at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
                await service.schedule(uow, table.stats_data_id, at)
            made[key] = table.stats_data_id
        made["file"] = await _table_file(owner, tag)
        await asyncio.sleep(1.2)
        await run_publish_jobs()
        _made = {**made, "tag": tag}
    return _made


async def _table_file(owner, tag: str) -> str:
    """A CSV table file (tables module), finalised and scheduled: its id."""
    from govstat.platform.subsystems.tables import service as files
    from govstat.platform.subsystems.tables.schemas import FileInfo

    info = FileInfo(gov_stat_code="00200521", table_no=f"F-{tag}", title=f"表ファイル {tag}", survey_date="2020")
    async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
        row = await files.register(uow, info, ("地域,人口\n全国,126146099\n".encode(), "file.csv"))
    async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
        await files.finalise(uow, row.id)
    async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
        await files.schedule(uow, row.id, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    return str(row.id)
