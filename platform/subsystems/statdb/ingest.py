"""Ingestion (STATDB-1): parameter file + data file -> a database table with its classes and
observations, inside the caller's unit of work (all or nothing).

COPY (binary from Python tuples; CSV from Arrow columns when the file was read column by column,
copy_columns.py) into a temporary staging table made by `statdb_stage_open()`, then
`statdb_load_observations(table_id)` (migrations statdb_0002 and statdb_0005; both run as the
owner) checks that the caller's scope may write that table and inserts the staged rows: a small
table's into the shared partition of `observation`, a large table's into a partition of its own
whose primary key and dimension indexes it builds in bulk before attaching it (docs/decisions/0012). The app role cannot COPY into `observation` (it has RLS) and has no access to
partitions but through it.
bench/statdb_ingest.py measures this path against a bare COPY."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.statdb import areas, columnar, copy_columns, reader, transform
from govstat.platform.subsystems.statdb.convert import Converted
from govstat.platform.subsystems.statdb.masters import ownership_problem
from govstat.platform.subsystems.statdb.params import parse
from govstat.platform.subsystems.statdb.params_model import Params
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.rows import Registered
from govstat.platform.text import japanese

Progress = Callable[[str, int], None]
CHUNK = 100_000
# A dimension is indexed when it has at least this many codes: with fewer, a code matches a
# sixteenth of the table's rows or more, and scanning the table's rows in seq order beats an index
# (the planner would not use it). Each index skipped is a third less work at ingestion.
INDEX_MIN_ITEMS = 16
# statdb_own_partition_min_rows() (decision 0012): from this many observations a table has its own partition
OWN_PARTITION_MIN_ROWS = 50_000


@dataclass
class Prepared:
    params: Params
    converted: Converted
    params_bytes: bytes
    data_sha256: str
    data_filename: str


async def prepare(
    uow: UnitOfWork, params_bytes: bytes, data: bytes, data_filename: str, p: Problems, progress: Progress | None = None
) -> Prepared | None:
    """Validate and convert, writing nothing; None with the reasons in `p`."""
    await uow.long_running()  # an upload is checked and loaded inside its request: past the usual limit
    # off the event loop: other requests go on while a large file is read
    params = await asyncio.to_thread(parse, params_bytes, p)
    if params is None:
        return None
    reason = await ownership_problem(uow, params.table.gov_stat_code)
    if reason:
        p.add(params.table.gov_stat_line, "table.gov_stat_code", reason)
        return None
    ctx = await transform.context(uow, params)  # what the options for real files need (options.py)
    try:
        # the data file (up to hundreds of MB) is read and converted in a worker thread too
        # columns at once (pyarrow) when the file is plainly right and has no options for real files;
        # else row by row through the options (transform.py), naming each error
        fast = await asyncio.to_thread(columnar.convert, params, data_filename, data)
        if fast is not None:
            converted = fast
        else:
            converted = await asyncio.to_thread(transform.convert_rows, params, data_filename, data, p, ctx, progress)
    except reader.DataFileError as exc:
        p.data(exc.line, None, str(exc))
        return None
    for dim in params.dimensions.values():
        if dim.source == "area_codes" and dim.as_of:
            codes = transform.merged(ctx, await areas.standard_codes(uow, dim.as_of))
            converted.items[dim.obj_id] = areas.resolve(converted.seen[dim.obj_id], codes, p, dim.obj_id)
    if p:
        return None
    return Prepared(params, converted, params_bytes, hashlib.sha256(data).hexdigest(), data_filename)


async def write(
    uow: UnitOfWork, prep: Prepared, *, test_mode: bool, source_file_id=None, progress: Progress | None = None
) -> Registered:
    row = await insert_table(uow, prep, test_mode=test_mode, source_file_id=source_file_id)
    conv = prep.converted
    await insert_classes(uow, row.id, prep, indexed(prep))
    await insert_items(uow, row.id, prep)
    if conv.rows is None and conv.columns is not None:  # read column by column: copied as columns
        await write_columns(uow, row.id, conv.dims, conv.columns, progress)
    else:
        await write_observations(uow, row.id, conv.dims, conv.records, progress)
    return row


def indexed(prep: Prepared) -> list[bool]:
    """Per dimension, in the parameter file's order: whether its partition keeps an index on it."""
    items = prep.converted.items
    return [len(items.get(d.obj_id, [])) >= INDEX_MIN_ITEMS for d in prep.params.dimensions.values()]


def area_level(prep: Prepared) -> int | None:
    return max((i.level for i in prep.converted.items.get("area", [])), default=None)


async def insert_table(uow: UnitOfWork, prep: Prepared, *, test_mode: bool, source_file_id=None) -> Registered:
    """The stat_table row (its total_number and area level from `prep.converted`)."""
    t, conv = prep.params.table, prep.converted
    notes = [
        {"char": c, "text": m, **({"text_en": prep.params.special_en[c]} if prep.params.special_en.get(c) else {})}
        for c, m in prep.params.special.items()
    ]
    row = await uow.one(
        Registered,
        f"""INSERT INTO stat_table (tenant_id, gov_stat_code, source_file_id, table_no, title, statistics_name, cycle,
             survey_date, open_date, explanation, notes, test_mode, total_number, params, params_sha256, data_sha256,
             data_filename, created_by, search_text, area_level, english, spec, sub_category, small_area)
           VALUES (govstat_scope_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16,
             current_setting('app.actor', true), $17, $18, $19::jsonb, $20::jsonb, $21, $22)
           RETURNING {columns(Registered)}""",
        t.gov_stat_code,
        source_file_id,
        t.table_no,
        t.title,
        t.statistics_name,
        t.cycle,
        t.survey_date,
        t.open_date,
        t.explanation,
        _json(notes),
        test_mode,
        conv.total,
        prep.params_bytes,
        hashlib.sha256(prep.params_bytes).hexdigest(),
        prep.data_sha256,
        prep.data_filename,
        japanese.index_text(t.title, t.statistics_name, t.explanation),
        area_level(prep),
        _json(t.english),
        _json(t.spec),
        t.sub_category,
        t.small_area,
    )
    return row


async def insert_classes(uow: UnitOfWork, table_id: int, prep: Prepared, indexed: list[bool]) -> None:
    """The table's class objects (class_obj), `indexed` per dimension."""
    dims = list(prep.params.dimensions.values())
    await uow.execute(
        """INSERT INTO class_obj (table_id, tenant_id, obj_id, name, position, source, indexed, name_en, description)
           SELECT $1, govstat_scope_tenant(), * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::bool[],
                                                            $7::text[], $8::text[])""",
        table_id,
        [d.obj_id for d in dims],
        [d.name for d in dims],
        list(range(1, len(dims) + 1)),
        [d.source for d in dims],
        indexed,
        [d.name_en for d in dims],
        [d.description for d in dims],
    )


async def insert_items(uow: UnitOfWork, table_id: int, prep: Prepared) -> None:
    """The class objects' items (class_item), from `prep.converted.items`."""
    conv, dims = prep.converted, list(prep.params.dimensions.values())
    items = [(o, i, pos) for o in conv.dims for pos, i in enumerate(conv.items.get(o, []), start=1)]
    english = {d.obj_id: {i.code: i.name_en for i in d.items} for d in dims}
    declared = {d.obj_id: {i.code: i for i in d.items} for d in dims}  # add_inf, explanation (statdb_0011)
    extra = [declared.get(o, {}).get(i.code) for o, i, _ in items]
    await uow.execute(
        """INSERT INTO class_item (table_id, tenant_id, obj_id, code, name, level, unit, parent_code, position, name_en,
                                  add_inf, explanation)
           SELECT $1, govstat_scope_tenant(), * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[],
                                                            $7::text[], $8::int[], $9::text[], $10::text[], $11::text[])""",
        table_id,
        [o for o, _, _ in items],
        [i.code for _, i, _ in items],
        [i.name for _, i, _ in items],
        [i.level for _, i, _ in items],
        [i.unit for _, i, _ in items],
        [i.parent for _, i, _ in items],
        [pos for _, _, pos in items],
        [english.get(o, {}).get(i.code, "") for o, i, _ in items],
        [e.add_inf if e else "" for e in extra],
        [e.explanation if e else "" for e in extra],
    )


async def write_observations(
    uow: UnitOfWork, table_id: int, dims: list[str], records: list[tuple], progress: Progress | None = None
) -> None:
    """The table's partition, loaded from `records` (seq, *dims codes, unit, value, raw, annotation).
    The tenant and the index bits come from stat_table and class_obj (written before)."""
    columns = ["seq", *dims, "unit", "value", "raw", "annotation"]
    # The stage is the owner's (statdb_stage_open): this session may only COPY into it.
    await uow.execute("SELECT statdb_stage_open($1::text[])", dims)
    if progress:
        progress("total", len(records))
    for start in range(0, len(records), CHUNK):
        await uow.connection.copy_records_to_table(
            "statdb_stage", records=records[start : start + CHUNK], columns=columns
        )
        if progress:
            progress("stage", min(start + CHUNK, len(records)))
    await uow.fetchval("SELECT statdb_load_observations($1)", table_id)  # drops the stage
    if progress:
        progress("stored", len(records))


async def write_columns(
    uow: UnitOfWork, table_id: int, dims: list[str], table: Any, progress: Progress | None = None
) -> None:
    """As `write_observations`, from a pyarrow Table with the same columns (columnar.py), sent as
    CSV without a Python object per cell (copy_columns.py). A large table's rows go straight into
    its new partition (statdb_partition_open / statdb_load_partition, migration statdb_0009): no
    staging table, no INSERT ... SELECT (a WAL record per row) after it."""
    if progress:
        progress("total", table.num_rows)
    if table.num_rows >= OWN_PARTITION_MIN_ROWS:  # the database counts again and decides
        name = await uow.fetchval("SELECT statdb_partition_open($1, $2::text[])", table_id, dims)
        await copy_columns.copy_table(uow.connection, name, table, progress, schema="statdb_load")
        await uow.fetchval("SELECT statdb_load_partition($1)", table_id)
    else:
        await uow.execute("SELECT statdb_stage_open($1::text[])", dims)
        await copy_columns.copy_table(uow.connection, "statdb_stage", table, progress)
        await uow.fetchval("SELECT statdb_load_observations($1)", table_id)  # drops the stage
    if progress:
        progress("stored", table.num_rows)


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
