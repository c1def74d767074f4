"""The portal's keyword search over a catalogue of 100,000 tables (issue 14 section 5).

When the form asks only for keywords (with a survey period, either kind, newest first), the
database tables come from statdb's search table (api/hits.py: their number and the first
offset + limit in the page's order, without reading every hit through published_table); the table
files (far fewer) are matched as before. The page is then the usual query over those few tables
and the matching files, in the usual order, so it is the same page the general path gives."""

from __future__ import annotations

from collections.abc import Callable

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.estat.api import hits, stats_list
from govstat.platform.subsystems.estat.api import search as words_sql
from govstat.platform.subsystems.estat.portal.rows import SearchItem


async def search(
    uow: UnitOfWork,
    w: Where,
    words: list[list[str]],
    *,
    kind: str,
    survey: str,
    source: Callable[[str, str], str],
    columns: str,
    order: str,
    limit: int,
    offset: int,
) -> tuple[int, list[SearchItem]]:
    """(total, page) of a keyword search: `w` the form's other conditions on t (portal.search.where),
    `words` the expanded keyword groups, `source`, `columns` and `order` the portal's."""
    ids: list[int] = []
    db_total = 0
    if kind != "file":
        query = hits.Query(groups=words, survey=stats_list.survey_bounds(survey), small_area=False)  # searchKind 1
        ids, db_total = await hits.page(uow, query, order=hits.ORDER_NEW, offset=0, limit=offset + limit)
    file = ["true"]
    for g in words:
        file.append(words_sql.file_match(g, await words_sql.statistic_codes(uow, g), w, "tf"))
    file_total = 0
    if kind != "db":
        file_total = await uow.fetchval(
            f"SELECT count(*) FROM {source('false', ' AND '.join(file))} WHERE {w}", *w.args
        )
    db = f"st.id = ANY({w.param(ids)}::bigint[])"  # after the count, which does not read it
    rows = await uow.rows(
        SearchItem,
        f"SELECT {columns} FROM {source(db, ' AND '.join(file))} WHERE {w} ORDER BY {order}"
        f" LIMIT {int(limit)} OFFSET {int(offset)}",
        *w.args,
    )
    return db_total + int(file_total or 0), rows
