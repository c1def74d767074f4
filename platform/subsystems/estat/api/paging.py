"""One pass over the matching tables for a page and its total (getStatsList at 100,000 tables).

A search with a common word matches thousands of tables (searchWord=人口: 5,557 of 100,000). The
total and the page were two queries, each reading every hit through published_table and its detail
view; `ids_and_total` reads the hits once, with only the sort key and the conditions' columns, and
answers the page's ids with the total (count(*) OVER ()); the caller then reads the page's hundred
rows in full by primary key. EXPLAIN (ANALYZE, BUFFERS) on 100,000 tables: docs/performance.md."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where

# the tables matching the conditions (t: published_table, g: directory_statistic, as table_refs.SELECT)
_HITS = """SELECT t.id, count(*) OVER () AS total
FROM published_table t JOIN directory_statistic g ON g.code = t.gov_stat_code
WHERE true AND {where} ORDER BY {order} OFFSET {offset} LIMIT {limit}"""


async def ids_and_total(uow: UnitOfWork, w: Where, *, order: str, offset: int, limit: int) -> tuple[list[int], int]:
    """The ids of the page (in `order`) and the number of all matching tables."""
    rows = await uow.fetch(
        _HITS.format(where=w, order=order, offset=int(offset), limit=int(limit)),
        *w.args,
    )
    if rows:
        return [r["id"] for r in rows], int(rows[0]["total"])
    if offset == 0:
        return [], 0
    # past the last page: no row carries the total, so it is counted on its own
    total = await uow.fetchval(
        "SELECT count(*) FROM published_table t JOIN directory_statistic g ON g.code = t.gov_stat_code"
        f" WHERE true AND {w}",
        *w.args,
    )
    return [], int(total or 0)
