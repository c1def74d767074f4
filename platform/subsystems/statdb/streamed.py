"""A large upload registered while it is read: each piece of the data file is copied to PostgreSQL
while Arrow parses and checks the next (issue 14 §5: ingestion within 2x a bare COPY).

`ingest.prepare` then `ingest.write` read and check the whole file, then copy it: the parse and the
COPY add up. Here (a clean CSV file of at least `MIN_BYTES`, in UTF-8 or a Japanese encoding, with
one value column or several, read by `pieces.py`) the table's row and class objects are written first, the
rows are copied into the table's new partition piece by piece (a worker thread parses and encodes
piece n+1 while piece n goes out), and the checks over the whole file (two cells with the same
codes), the items seen in the data and the number of observations come at the end, before the
partition's indexes are built, all in the caller's transaction. It all runs under a savepoint: if
anything is not plainly right (a bad cell in the last piece, a duplicate, a dimension found to need
an index the first piece did not show, an undecodable byte or a 外字), the savepoint is rolled
back, nothing of it remains, and the caller goes the usual way (prepare,
then write), whose row-by-row path names every error's line and field."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from typing import Any

from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.statdb import copy_columns, ingest
from govstat.platform.subsystems.statdb.columnar import eligible
from govstat.platform.subsystems.statdb.convert import Converted
from govstat.platform.subsystems.statdb.fallback import Fallback
from govstat.platform.subsystems.statdb.masters import ownership_problem
from govstat.platform.subsystems.statdb.params import parse
from govstat.platform.subsystems.statdb.pieces import Reader
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.rows import Registered

MIN_BYTES = 8 << 20  # below this a file is a piece or two: nothing to overlap, the usual path


async def register(
    uow: UnitOfWork,
    params_bytes: bytes,
    data: bytes,
    data_filename: str,
    *,
    test_mode: bool,
    source_file_id: Any = None,
    progress: ingest.Progress | None = None,
) -> Registered | None:
    """The table registered with its observations, or None (nothing written): the caller then
    prepares and writes as usual, and reports the file's errors."""
    if len(data) < MIN_BYTES:
        return None
    params = await asyncio.to_thread(parse, params_bytes, Problems())
    if params is None or await ownership_problem(uow, params.table.gov_stat_code):
        return None
    found = eligible(params, data_filename, data)
    if found is None:
        return None
    await uow.long_running()
    savepoint = uow.connection.transaction()  # asyncpg: nested in the open transaction -> SAVEPOINT
    await savepoint.start()
    try:
        row = await _write(uow, params, params_bytes, data, data_filename, found, test_mode, source_file_id, progress)
    except Fallback:
        await savepoint.rollback()
        return None
    except BaseException:
        await savepoint.rollback()
        raise
    await savepoint.commit()
    return row


async def _write(
    uow: UnitOfWork,
    params: Any,
    params_bytes: bytes,
    data: bytes,
    filename: str,
    found: tuple[bytes, int],
    test_mode: bool,
    source_file_id: Any,
    progress: ingest.Progress | None,
) -> Registered:
    digest = asyncio.ensure_future(asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest()))
    reader = await asyncio.to_thread(Reader, params, *found)
    first = await asyncio.to_thread(_step, reader)
    if first is None:
        raise Fallback
    # the row's number of observations and area level are set once the rows are in
    prep = ingest.Prepared(params, Converted(dims=reader.obj_ids, count=0), params_bytes, await digest, filename)
    row = await ingest.insert_table(uow, prep, test_mode=test_mode, source_file_id=source_file_id)
    # A dimension read from the data is indexed from 16 codes: certain if the first piece has them,
    # otherwise assumed not, and checked at the end (a wrong guess: the usual path)
    guess = [
        len(d.items) >= ingest.INDEX_MIN_ITEMS
        if d.source == "items"
        else len(reader.seen[d.obj_id]) >= ingest.INDEX_MIN_ITEMS
        for d in reader.dims
    ]
    await ingest.insert_classes(uow, row.id, prep, guess)
    name = await uow.fetchval("SELECT statdb_partition_open($1, $2::text[])", row.id, reader.obj_ids)
    await uow.connection.copy_to_table(
        name,
        schema_name="statdb_load",
        source=_pieces(reader, first, progress),
        columns=["seq", *reader.obj_ids, "unit", "value", "raw", "annotation"],
        format="csv",
    )
    prep.converted = await asyncio.to_thread(reader.finish)
    if ingest.indexed(prep) != guess:
        raise Fallback
    await ingest.insert_items(uow, row.id, prep)
    row = await uow.one(
        Registered,
        f"UPDATE stat_table SET total_number = $2, area_level = $3 WHERE id = $1 RETURNING {columns(Registered)}",
        row.id,
        prep.converted.total,
        ingest.area_level(prep),
    )
    # the primary key now; the dimension indexes after commit (statdb_0016, index_job.INDEX_JOB)
    await uow.fetchval("SELECT statdb_load_partition($1, false)", row.id)
    uow.after_commit(lambda: _index_soon(row.id))
    if progress:  # the number of cells is known only now: the bar gets its end, full
        progress("total", prep.converted.total)
        progress("stored", prep.converted.total)
    return row


def _step(reader: Reader) -> tuple[int, bytes] | None:
    """The next piece parsed, checked and encoded as COPY CSV (in a worker thread)."""
    piece = reader.next_piece()
    return None if piece is None else (piece.num_rows, copy_columns.encode(piece))


async def _pieces(reader: Reader, first: tuple[int, bytes], progress: ingest.Progress | None) -> AsyncIterator[bytes]:
    """Piece n's CSV while piece n+1 is read in a worker thread (Arrow releases the GIL)."""
    got: tuple[int, bytes] | None = first
    done = 0
    while got is not None:
        pending = asyncio.ensure_future(asyncio.to_thread(_step, reader))
        try:
            yield got[1]
        except BaseException:
            pending.cancel()
            raise
        done += got[0]
        if progress:
            progress("stage", done)
        got = await pending


async def _index_soon(table_id: int) -> None:
    """The job that builds the new partition's dimension indexes, queued at commit (the every-minute
    run is the backstop if this enqueue is lost)."""
    from govstat.platform.jobs.queue import job_pool
    from govstat.platform.jobs.spec import enqueue
    from govstat.platform.subsystems.statdb.index_job import INDEX_JOB, IndexArgs

    await enqueue(await job_pool(), INDEX_JOB, IndexArgs(job_id=f"statdb.index_partitions:{table_id}"))
