"""Keyword search answered from statdb's search table alone (issue 14 section 5).

At 100,000 tables a common word matches thousands (世帯: 15,077). Reading each hit through
published_table (a primary-key probe that row-level security filters) to count and sort them took
most of a search's time. When the conditions are only keywords, the survey period and the kind of
table (SMALL_AREA), `statdb_search_hits()` (migration statdb_0008) answers the matching published
tables with their sort keys from the search table; the count and the page come from one pass over
them, and only the page's rows are read in full. Any other condition takes the general path
(paging.ids_and_total), which finds the same set."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api import search
from govstat.platform.text import japanese

# getStatsList's parameters that the search table answers (the rest only shape the answer)
_FAST = {"searchWord", "surveyYears", "searchKind"}
_FILTERS = {"openYears", "statsField", "statsCode", "collectArea", "updatedDate"}
ORDER_API = "h.publish_at DESC, h.table_id DESC"  # getStatsList: t.publish_at DESC, t.id DESC
ORDER_NEW = "h.publish_at DESC, h.title, h.table_id"  # the portal's "new": t.publish_at DESC, t.title, stats_data_id


@dataclass(frozen=True)
class Query:
    groups: list[list[str]]  # the keyword groups after synonym expansion
    survey: tuple[str, str] | None  # yyyymm bounds of surveyYears
    small_area: bool | None  # searchKind 1: False, 2: True


def applies(q: Mapping[str, str]) -> bool:
    """A keyword search whose other conditions the search table holds."""
    if not q.get("searchWord") or q.get("statsNameList", "N") == "Y":
        return False
    return not any(q.get(k) for k in _FILTERS) and q.get("searchKind", "1") in ("", "1", "2")


async def page(uow: UnitOfWork, query: Query, *, order: str, offset: int, limit: int) -> tuple[list[int], int]:
    """The ids of the page in `order` and the number of all matching published tables (those of a
    statistic in the directory, as published_table joined to directory_statistic)."""
    queries, codes = [], []
    for g in query.groups:
        queries.append(" | ".join(f"({t})" for t in (japanese.tsquery(w) for w in g) if t))
        codes.append(",".join(await search.statistic_codes(uow, g)))
    low, high = query.survey or (None, None)
    rows = await uow.fetch(
        "SELECT h.table_id, count(*) OVER () AS total"
        " FROM statdb_search_hits($1::text[], $2::text[], $3::text, $4::text, $5::boolean) h"
        f" JOIN directory_statistic g ON g.code = h.gov_stat_code ORDER BY {order} OFFSET {int(offset)} LIMIT {int(limit)}",
        queries,
        codes,
        low,
        high,
        query.small_area,
    )
    if rows or offset == 0:
        return [r["table_id"] for r in rows], int(rows[0]["total"]) if rows else 0
    total = await uow.fetchval(
        "SELECT count(*) FROM statdb_search_hits($1::text[], $2::text[], $3::text, $4::text, $5::boolean) h"
        " JOIN directory_statistic g ON g.code = h.gov_stat_code",
        queries,
        codes,
        low,
        high,
        query.small_area,
    )
    return [], int(total or 0)
