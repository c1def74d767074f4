"""Use cases of the statistical database (STATDB-1..3): register (one or in bulk), test mode,
schedule, publish at the announced time, delete. Each change is audited in its own transaction."""

from __future__ import annotations

import datetime as dt

from govstat.platform.clock import now
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import InvalidInput, InvalidTransition, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.statdb import ingest, streamed
from govstat.platform.subsystems.statdb.events import TableDeleted, TablePublished, TableRegistered, TableScheduled
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.queries import TABLE_COLUMNS
from govstat.platform.subsystems.statdb.rows import Published, Registered, StatTableRow, Validation

MODULE = "statdb"


class Upload:
    """One parameter file and its data file, as received."""

    def __init__(self, params: bytes, data: bytes, data_filename: str) -> None:
        self.params, self.data, self.data_filename = params, data, data_filename


async def get(uow: UnitOfWork, stats_data_id: str, *, for_update: bool = False) -> StatTableRow:
    """The table if the caller's own tenant holds it (another tenant's answers 404, published or not)."""
    w = Where().add("stats_data_id = {}", stats_data_id).scoped(uow)
    row = await uow.row(
        StatTableRow,
        f"SELECT {TABLE_COLUMNS} FROM stat_table WHERE {w}" + (" FOR UPDATE" if for_update else ""),
        *w.args,
    )
    if row is None:
        raise NotFound(f"統計表 {stats_data_id} が見つかりません / table {stats_data_id} not found")
    return row


async def register(
    uow: UnitOfWork, upload: Upload, *, test_mode: bool = False, source_file_id=None, progress=None
) -> Registered:
    return (
        await register_many(
            uow, [upload], test_mode=test_mode, source_file_id=source_file_id, progress=progress, single=True
        )
    )[0]


async def register_many(
    uow: UnitOfWork,
    uploads: list[Upload],
    *,
    test_mode: bool = False,
    source_file_id=None,
    progress=None,
    single: bool = False,
) -> list[Registered]:
    """Validate every pair first, then write them all: one bad file refuses the whole request."""
    if not uploads:
        raise InvalidInput.field("params", "パラメータファイルとデータファイルの組が必要です / at least one pair")
    if len(uploads) == 1:  # a large clean file: copied while it is read (streamed.py), else as below
        up = uploads[0]
        row = await streamed.register(
            uow,
            up.params,
            up.data,
            up.data_filename,
            test_mode=test_mode,
            source_file_id=source_file_id,
            progress=progress,
        )
        if row is not None:
            await _registered(uow, row, test_mode, source_file_id)
            return [row]
    problems, prepared = Problems(), []
    for n, up in enumerate(uploads):
        p = Problems("" if single else f"files[{n}] ({up.data_filename}): ")
        prepared.append(await ingest.prepare(uow, up.params, up.data, up.data_filename, p, progress))
        problems.extend(p)
    problems.raise_if_any()
    rows = []
    for prep in prepared:
        row = await ingest.write(uow, prep, test_mode=test_mode, source_file_id=source_file_id, progress=progress)
        await _registered(uow, row, test_mode, source_file_id)
        rows.append(row)
    return rows


async def _registered(uow: UnitOfWork, row: Registered, test_mode: bool, source_file_id) -> None:
    """The audit entry and the event of a registered table, in its transaction."""
    await audit(
        uow,
        "statdb.table.registered",
        tenant_id=row.tenant_id,
        target_type="stat_table",
        target_id=row.stats_data_id,
        module=MODULE,
        title=row.title,
        test_mode=test_mode,
        total_number=row.total_number,
        source_file_id=source_file_id,
    )
    await emit(uow, TableRegistered(stats_data_id=row.stats_data_id, test_mode=test_mode), tenant_id=row.tenant_id)


async def validate(uow: UnitOfWork, upload: Upload) -> Validation:
    """Check a parameter file against its data file without registering anything."""
    p = Problems()
    prep = await ingest.prepare(uow, upload.params, upload.data, upload.data_filename, p)
    p.raise_if_any()
    return Validation(
        valid=True,
        total_number=prep.converted.total,
        classes={o: len(items) for o, items in prep.converted.items.items()},
    )


async def schedule(
    uow: UnitOfWork, stats_data_id: str, publish_at: dt.datetime, *, linked: bool = False
) -> StatTableRow:
    """Announce the publication time (公表予定). Test-mode tables are previews only; a table handed
    over from a table file is scheduled with that file (`linked`)."""
    table = await get(uow, stats_data_id, for_update=True)
    if table.test_mode:
        raise InvalidTransition(
            "テストモードの統計表は公表できません。本番登録してください"
            " / a test-mode table is never published: promote it first"
        )
    if table.source_file_id and not linked:
        raise InvalidTransition("統計表ファイルと一緒に公表予約してください / schedule it through its table file")
    if is_public(table):
        raise InvalidTransition("公表済みです / already published")
    check_future(publish_at)
    await uow.execute(
        "UPDATE stat_table SET status = 'scheduled', publish_at = $2, updated_at = now() WHERE id = $1",
        table.id,
        publish_at,
    )
    await audit(
        uow,
        "statdb.table.scheduled",
        tenant_id=table.tenant_id,
        target_type="stat_table",
        target_id=stats_data_id,
        module=MODULE,
        publish_at=publish_at,
    )
    await emit(uow, TableScheduled(stats_data_id=stats_data_id, publish_at=publish_at), tenant_id=table.tenant_id)
    return await get(uow, stats_data_id)


def is_public(table: StatTableRow) -> bool:
    """Public from publish_at on, whether or not the publish job has flipped the status yet (the
    row-level security policy says the same: migration statdb_0004)."""
    return table.status == "published" or (
        table.status == "scheduled" and table.publish_at is not None and table.publish_at <= now()
    )


def check_future(publish_at: dt.datetime) -> None:
    if publish_at.tzinfo is None:
        raise InvalidInput.field("publish_at", "タイムゾーン付きで指定してください / give a time zone (e.g. +09:00)")
    if publish_at <= now():
        raise InvalidInput.field("publish_at", "公表日時は将来の時刻にしてください / publish_at must be in the future")


async def promote(uow: UnitOfWork, stats_data_id: str) -> StatTableRow:
    """Test mode -> production registration (it can then be scheduled)."""
    table = await get(uow, stats_data_id, for_update=True)
    if not table.test_mode:
        raise InvalidTransition("テストモードではありません / not in test mode")
    await uow.execute("UPDATE stat_table SET test_mode = false, updated_at = now() WHERE id = $1", table.id)
    await audit(
        uow,
        "statdb.table.promoted",
        tenant_id=table.tenant_id,
        target_type="stat_table",
        target_id=stats_data_id,
        module=MODULE,
    )
    return await get(uow, stats_data_id)


async def delete(uow: UnitOfWork, stats_data_id: str) -> None:
    table = await get(uow, stats_data_id, for_update=True)
    if is_public(table):
        raise InvalidTransition(
            "公表済みの統計表は削除できません。理由を付けて取り下げてください"
            " / a published table is not deleted: withdraw it with a reason"
        )
    if table.source_file_id:
        raise InvalidTransition("統計表ファイルから引き継いだ統計表です / handed over from a table file")
    # Classes and usage cascade; the trigger stat_table_drop_observations (an owner function, after
    # row-level security let this DELETE through) drops the table's partition of observations.
    await uow.execute("DELETE FROM stat_table WHERE id = $1", table.id)
    await audit(
        uow,
        "statdb.table.deleted",
        tenant_id=table.tenant_id,
        target_type="stat_table",
        target_id=stats_data_id,
        module=MODULE,
        title=table.title,
    )
    await emit(uow, TableDeleted(stats_data_id=stats_data_id), tenant_id=table.tenant_id)


# Bookkeeping only: the table is public from publish_at on (row-level security), so the job records
# that moment as published_at, not the minute it happened to run.
DUE = """
UPDATE stat_table SET status = 'published', published_at = publish_at, updated_at = now()
WHERE id IN (SELECT id FROM stat_table WHERE status = 'scheduled' AND publish_at <= now() {extra}
             ORDER BY publish_at LIMIT 500 FOR UPDATE SKIP LOCKED)
RETURNING id, stats_data_id, tenant_id, title, publish_at, source_file_id
"""


async def publish_due(uow: UnitOfWork, source_file_ids: list | None = None) -> list[Published]:
    """Publish what is due (publish_at <= now), never earlier; optionally only tables handed over
    from the given table files (the tables module publishes them with their files)."""
    extra, args = (
        ("AND source_file_id = ANY($1::uuid[])", [source_file_ids])
        if source_file_ids is not None
        else ("AND source_file_id IS NULL", [])
    )  # handed-over tables go out with their files
    rows = await uow.rows(Published, DUE.format(extra=extra), *args)
    for r in rows:
        await audit(
            uow,
            "statdb.table.published",
            tenant_id=r.tenant_id,
            target_type="stat_table",
            target_id=r.stats_data_id,
            module=MODULE,
            publish_at=r.publish_at,
        )
        await emit(
            uow,
            TablePublished(stats_data_id=r.stats_data_id, title=r.title, publish_at=r.publish_at),
            tenant_id=r.tenant_id,
        )
    return rows
