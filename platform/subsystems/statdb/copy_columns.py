"""Arrow columns -> the session's staging table, by COPY in CSV (issue 14: ingestion within 2x a bare COPY).

The columnar path (`columnar.py`) leaves a file's observations as a pyarrow Table; turning a
million of them into Python tuples for asyncpg's binary COPY cost more than reading the file. Here
Arrow's CSV writer (C++) encodes a slice at a time in a worker thread while the previous slice goes
to PostgreSQL, which parses the CSV in C. Arrow quotes every string and writes a null as an empty
unquoted field, which is what COPY's CSV format reads as NULL (a quoted "" stays an empty string),
so codes, units, raw special characters and notes arrive exactly as given; `value` is the number's
text (thousands separators removed) and becomes numeric in `statdb_load_observations`, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

SLICE = 100_000


def encode(table: Any) -> bytes:
    """A slice of the observations as COPY CSV (no header)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return bytes(sink.getvalue().to_pybytes())


async def chunks(table: Any, progress: Callable[[str, int], None] | None = None) -> AsyncIterator[bytes]:
    """The table as CSV, a slice at a time, the next slice encoded while the last is being sent."""
    total = table.num_rows
    starts = list(range(0, total, SLICE))
    if not starts:
        return
    pending = asyncio.ensure_future(asyncio.to_thread(encode, table.slice(0, SLICE)))
    for k, start in enumerate(starts):
        body = await pending
        if k + 1 < len(starts):
            pending = asyncio.ensure_future(asyncio.to_thread(encode, table.slice(starts[k + 1], SLICE)))
        yield body
        if progress:
            progress("stage", min(start + SLICE, total))


async def copy_table(
    conn: Any, name: str, table: Any, progress: Callable[[str, int], None] | None = None, schema: str | None = None
) -> None:
    """COPY the table's columns (named as the target's) into `name` (in `schema`, else on the search path)."""
    await conn.copy_to_table(
        name, schema_name=schema, source=chunks(table, progress), columns=list(table.column_names), format="csv"
    )
