"""The hand-off to the statistical database (TABLES-2 「統計データベースへの引継ぎ」, TABLES-3 自動連携).

A table file registered with a parameter file is checked against it on arrival (errors name the
line and field, as statdb reports them). At 確定 it is ingested into statdb in the same transaction
(a test-mode-like table: only the owner sees and can preview it). Scheduling the file schedules
that table for the same time, and the publish job publishes both in one transaction. Nothing runs
between the steps that a dying worker could lose: each step is one transaction, and the publish
job retries every minute what is still due."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.statdb import ingest, published
from govstat.platform.subsystems.statdb import service as statdb
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.tables.rows import TableFileRow
from govstat.platform.subsystems.tables.schemas import FileInfo


async def check(uow: UnitOfWork, info: FileInfo, params: bytes, data: bytes, filename: str) -> None:
    p = Problems("params: ")
    prep = await ingest.prepare(uow, params, data, filename, p)
    if prep is not None and prep.params.table.gov_stat_code != info.gov_stat_code:
        p.add(
            prep.params.table.gov_stat_line,
            "table.gov_stat_code",
            f"ファイルの政府統計コード {info.gov_stat_code} と違います / differs from the file's {info.gov_stat_code}",
        )
    p.raise_if_any()


async def hand_over(uow: UnitOfWork, file: TableFileRow) -> str:
    blobs = {
        r["kind"]: r["content"]
        for r in await uow.fetch("SELECT kind, content FROM table_file_blob WHERE file_id = $1", file.id)
    }
    upload = statdb.Upload(blobs["params"], blobs["data"], file.filename)
    row = await statdb.register(uow, upload, source_file_id=file.id)
    return row.stats_data_id


async def schedule(uow: UnitOfWork, file_id: uuid.UUID, publish_at: dt.datetime) -> None:
    sid = await published.handed_over(uow, file_id)
    if sid:
        await statdb.schedule(uow, sid, publish_at, linked=True)


async def publish(uow: UnitOfWork, file_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = await statdb.publish_due(uow, source_file_ids=file_ids)
    return {r.source_file_id: r.stats_data_id for r in rows if r.source_file_id is not None}
