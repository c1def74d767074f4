"""statdb's read interface for the other parts (docs/decisions/0010): the database tables, their
classes and their observations as e-Stat's API and portal, LOD, the regional views, the tables
module and the metadata registry read them.

Others never name stat_table, class_obj, class_item or observation. They call the functions here
with their own unit of work, or join the views in `VIEWS` (statdb_0003_published.py) where a list
is filtered and paged in one statement. The observation queries keep the partition rule of
docs/decisions/0004: the table's id is written into the SQL as a literal (queries.of_table).

Cells come back as row Structs (statdb/rows.py) whose dimension fields the table lacks are UNSET:
their columns are known only at run time, and an API answer holds up to 100,000 of them, so they
are built with rows.build_all (faster than dict(record)).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar, cast

import msgspec

from govstat.platform.db.rows import build_all
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.statdb.queries import classes, of_table
from govstat.platform.subsystems.statdb.rows import AreaValue, Cell, LodCell, ValueRow

READS_FOR_OTHERS = True
VIEWS = (
    "published_table",  # stat_table's rows that are published and due (the columns of TableRef and more)
    "table_area_level",  # table_id, area_level: the deepest level of the table's area dimension
    "published_table_detail",  # id, english, spec, sub_category, small_area (statdb_0005)
)

R = TypeVar("R", bound=msgspec.Struct)

__all__ = ["classes"]  # CLASS_INF: the table's classes with their items, in order


class TableRef(msgspec.Struct, kw_only=True):
    """A database table as other parts refer to it, whatever its status (row-level security decides
    which the caller sees). `own`: the scope tenant's table; `published`: published and due."""

    id: int
    stats_data_id: str
    tenant_id: uuid.UUID
    status: str
    gov_stat_code: str
    source_file_id: uuid.UUID | None = None
    table_no: str = ""
    title: str
    survey_date: str = ""
    publish_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    published: bool = False
    own: bool = False


REF = """
SELECT id, stats_data_id, tenant_id, status, gov_stat_code, source_file_id, table_no, title, survey_date, publish_at,
       published_at,
       coalesce(status IN ('scheduled', 'published') AND publish_at <= now() AND withdrawn_at IS NULL, false) AS published,
       coalesce(tenant_id = govstat_scope_tenant(), false) AS own
FROM stat_table"""


async def table_refs(
    uow: UnitOfWork, *, stats_data_ids: Sequence[str] = (), source_file_ids: Sequence[uuid.UUID] = ()
) -> list[TableRef]:
    """The tables with these ids, and those handed over from these table files."""
    if not stats_data_ids and not source_file_ids:
        return []
    return await uow.rows(
        TableRef,
        f"{REF} WHERE stats_data_id = ANY($1::text[]) OR source_file_id = ANY($2::uuid[])",
        list(stats_data_ids),
        list(source_file_ids),
    )


async def table_ref(uow: UnitOfWork, stats_data_id: str) -> TableRef | None:
    return await uow.row(TableRef, f"{REF} WHERE stats_data_id = $1", stats_data_id)


async def handed_over(uow: UnitOfWork, file_id: uuid.UUID) -> str | None:
    """The database table a table file was handed over to (TABLES-2), if any."""
    found: str | None = await uow.fetchval("SELECT stats_data_id FROM stat_table WHERE source_file_id = $1", file_id)
    return found


class Candidate(msgspec.Struct, kw_only=True):
    id: int
    stats_data_id: str
    title: str
    survey_date: str = ""
    stat_name: str
    agency_name: str


async def with_area_codes(uow: UnitOfWork, pattern: str, *, limit: int = 200) -> list[Candidate]:
    """Published tables whose area dimension has a code matching `pattern` (a regular expression),
    newest first (the regional views' choices)."""
    return await uow.rows(
        Candidate,
        f"""
        SELECT t.id, t.stats_data_id, t.title, t.survey_date, g.name_ja AS stat_name, g.agency_name
        FROM published_table t JOIN directory_statistic g ON g.code = t.gov_stat_code
        WHERE EXISTS (SELECT 1 FROM class_item ci WHERE ci.table_id = t.id AND ci.obj_id = 'area' AND ci.code ~ $1)
        ORDER BY t.publish_at DESC, t.id DESC LIMIT {int(limit)}""",
        pattern,
    )


async def dims_of(uow: UnitOfWork, table_id: int) -> list[str]:
    """The table's dimensions (obj_id) in order."""
    rows = await uow.fetch("SELECT obj_id FROM class_obj WHERE table_id = $1 ORDER BY position", table_id)
    return [r["obj_id"] for r in rows]


# --- observations ---------------------------------------------------------------------------------


class Narrowing(Protocol):
    """One dimension's condition, as e-Stat's parameters give it (estat/api/params.Narrowing)."""

    obj_id: str
    codes: list[str]
    code_from: str | None
    code_to: str | None
    level: str | None

    def level_range(self) -> tuple[int | None, int | None]: ...


class Selection(msgspec.Struct, frozen=True):
    """Which of one table's observations: a condition over `observation o` and its arguments."""

    table_id: int
    sql: str
    args: list[Any]


def select(table_id: int, dims: list[str], narrowing: Sequence[Narrowing]) -> Selection | None:
    """The selection, or None when a narrowing names a dimension the table lacks (no data).
    (The table's partition has an index on each dimension statdb marked `indexed`.)"""
    clauses: list[str] = [of_table(table_id, "o.")]
    args: list[Any] = []
    for n in narrowing:
        if n.obj_id not in dims:
            return None
        col = f"o.{n.obj_id}"
        if n.codes:
            args.append(n.codes)
            clauses.append(f"{col} = ANY(${len(args)}::text[])")
        if n.code_from:
            args.append(n.code_from)
            clauses.append(f"{col} >= ${len(args)}")
        if n.code_to:
            args.append(n.code_to)
            clauses.append(f"{col} <= ${len(args)}")
        if n.level:
            low, high = n.level_range()
            args += [n.obj_id, low, high]
            k = len(args)
            clauses.append(
                # evaluated once (an InitPlan): a small table's rows share a partition whose statistics
                # lag behind a load, and a semi-join planned on them may rescan class_item per row
                f"{col} = ANY(ARRAY(SELECT code FROM class_item WHERE table_id = {int(table_id)} AND obj_id = ${k - 2}"
                f" AND (${k - 1}::int IS NULL OR level >= ${k - 1}) AND (${k}::int IS NULL OR level <= ${k})))"
            )
    return Selection(table_id, " AND ".join(clauses), args)


async def count(uow: UnitOfWork, sel: Selection) -> int:
    n: int = await uow.fetchval(f"SELECT count(*) FROM observation o WHERE {sel.sql}", *sel.args)
    return n


def _build(row_type: type[R], records: list[Any], names: list[str]) -> list[R]:
    # asyncpg's Record is a sequence, though its stubs do not say so
    return build_all(row_type, cast("list[tuple[Any, ...]]", records), names)


async def values(
    uow: UnitOfWork, sel: Selection, dims: list[str], *, start: int, limit: int, narrowed: bool
) -> list[ValueRow]:
    """getStatsData's VALUE rows from position `start` (1-based): by seq when unfiltered (seq is
    dense), else by offset. Columns: the dimensions, unit, v (the digits as stored, else the special
    character), special (v is a special character), annotation."""
    cols = ", ".join(
        [
            *(f"o.{d}" for d in dims),
            "o.unit",
            "coalesce(o.value::text, o.raw) AS v",
            "o.raw IS NOT NULL AND o.value IS NULL AS special",
            "o.annotation",
        ]
    )
    if narrowed:
        sql = f"SELECT {cols} FROM observation o WHERE {sel.sql} ORDER BY o.seq OFFSET {start - 1} LIMIT {limit}"
    else:
        sql = f"SELECT {cols} FROM observation o WHERE {sel.sql} AND o.seq >= {start} ORDER BY o.seq LIMIT {limit}"
    return _build(ValueRow, await uow.fetch(sql, *sel.args), [*dims, "unit", "v", "special", "annotation"])


def _cell_names(dims: list[str]) -> list[str]:
    return [*dims, "unit", "value", "raw", "annotation", "seq"]


def _cell_columns(dims: list[str]) -> str:
    return ", ".join(f"o.{n}" for n in _cell_names(dims))


async def cells(uow: UnitOfWork, sel: Selection, dims: list[str], *, start: int, limit: int) -> list[Cell]:
    """The selected cells in the table's order (seq), `limit` from position `start`."""
    records = await uow.fetch(
        f"SELECT {_cell_columns(dims)} FROM observation o WHERE {sel.sql}"
        f" ORDER BY o.seq OFFSET {int(start) - 1} LIMIT {int(limit)}",
        *sel.args,
    )
    return _build(Cell, records, _cell_names(dims))


async def cells_after(uow: UnitOfWork, sel: Selection, dims: list[str], *, after_seq: int, limit: int) -> list[Cell]:
    """The next `limit` selected cells after seq `after_seq` (keyset paging for long downloads)."""
    records = await uow.fetch(
        f"SELECT {_cell_columns(dims)} FROM observation o WHERE {sel.sql} AND o.seq > ${len(sel.args) + 1}"
        f" ORDER BY o.seq LIMIT {int(limit)}",
        *sel.args,
        after_seq,
    )
    return _build(Cell, records, _cell_names(dims))


async def area_values(uow: UnitOfWork, sel: Selection) -> list[AreaValue]:
    """area, value, raw and unit of the selected cells (one item per other dimension: a ranking)."""
    return await uow.rows(
        AreaValue, f"SELECT o.area, o.value, o.raw, o.unit FROM observation o WHERE {sel.sql}", *sel.args
    )


async def page(uow: UnitOfWork, table_id: int, dims: list[str], *, after_seq: int, limit: int) -> list[LodCell]:
    """All of a table's cells by seq after `after_seq` (LOD)."""
    cols = ", ".join([*dims, "coalesce(value::text, raw) AS v", "unit", "seq"])
    records = await uow.fetch(
        f"SELECT {cols} FROM observation WHERE {of_table(table_id)} AND seq > $1 ORDER BY seq LIMIT {int(limit)}",
        after_seq,
    )
    return _build(LodCell, records, [*dims, "v", "unit", "seq"])
