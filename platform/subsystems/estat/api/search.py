"""Keyword search with the operator's synonym list (ESTAT-1): a synonym finds what its word finds.

searchWord as e-Stat reads it: words separated by spaces must all match (AND); `OR` joins
alternatives ("人口 OR 世帯 東京" = (人口 or 世帯) and 東京); an explicit `AND` is allowed.

A word matches a table whose title, statistic name (statistics_name) or explanation holds it as
words: both go through the platform's Japanese analyser (platform.text.japanese: 人口 finds
人口推計 and 総人口, ｼﾞﾝｺｳ finds them by reading), the table's side once at registration
(stat_table.search_text, searched by statdb_search(): see migration statdb_0006), so a search
reads an index, not 100,000 titles. A word
also matches every table of a government statistic whose name or agency's name contains it
(substring; directory_statistic is small)."""

from __future__ import annotations

import re

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.estat.api.rows import Synonym
from govstat.platform.text import japanese

_SPACE = re.compile(r"[\s\u3000]+")


def parse(search_word: str) -> list[list[str]]:
    groups: list[list[str]] = []
    join_next = False
    for token in _SPACE.split(search_word.strip()):
        if not token or token == "AND":
            continue
        if token == "OR":
            join_next = True
            continue
        if join_next and groups:
            groups[-1].append(token)
        else:
            groups.append([token])
        join_next = False
    return groups


async def expand(uow: UnitOfWork, groups: list[list[str]]) -> list[list[str]]:
    """Each word with its synonyms (both directions), as alternatives of its group."""
    words = sorted({w for g in groups for w in g})
    if not words:
        return groups
    rows = await uow.rows(
        Synonym, "SELECT word, synonym FROM estat_synonym WHERE word = ANY($1) OR synonym = ANY($1)", words
    )
    related: dict[str, set[str]] = {w: {w} for w in words}
    for r in rows:
        for w in (r.word, r.synonym):
            if w in related:
                related[w] |= {r.word, r.synonym}
    return [sorted({alt for w in g for alt in related[w]}) for g in groups]


async def condition(uow: UnitOfWork, groups: list[list[str]], w: Where, *, files: bool = False) -> Where:
    """Every group matches at least one of its alternatives; `t` is published_table, or with `files`
    the union of tables and files of getDataCatalog (a file's row has no id, its notes in explanation)."""
    for g in groups:
        codes = await statistic_codes(uow, g)
        cond = db_match(g, codes, w, "t")
        if files:
            cond = f"(CASE WHEN t.id IS NULL THEN {file_match(g, codes, w, 't', notes='explanation')} ELSE {cond} END)"
        w.conditions.append(cond)
    return w


async def statistic_codes(uow: UnitOfWork, group: list[str]) -> list[str]:
    """The government statistics whose name or agency's name contains one of the words."""
    patterns = ["%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for word in group]
    rows = await uow.fetch(
        "SELECT d.code FROM directory_statistic d WHERE d.name_ja ILIKE ANY($1::text[])"
        " OR d.agency_name ILIKE ANY($1::text[])",
        patterns,
    )
    return [r["code"] for r in rows]


def db_match(group: list[str], codes: list[str], w: Where, alias: str) -> str:
    """`alias` (published_table) matches one of the group's words: by its own words, read through
    statdb_search (a GIN index, which row-level security would keep a query on stat_table from
    using: a semi-join on the primary key, a few thousand probes rather than a read of every
    table), or as a table of a statistic in `codes` (statistic_codes)."""
    query = " | ".join(f"({q})" for q in (japanese.tsquery(word) for word in group) if q)
    ids = [f"SELECT statdb_search({w.param(query)}::text)"] if query else []
    if codes:  # the values are known to the plan: a statistic's few tables by index, a large one by a scan
        ids.append(f"SELECT s.id FROM published_table s WHERE s.gov_stat_code = ANY({w.param(codes)}::text[])")
    return f"{alias}.id IN ({' UNION ALL '.join(ids)})" if ids else "false"


def file_match(group: list[str], codes: list[str], w: Where, alias: str, notes: str = "notes") -> str:
    """`alias` (published_file, far fewer rows) contains one of the words in its title or notes, or is
    a file of a statistic in `codes`."""
    pats = w.param(["%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for word in group])
    return (
        f"({alias}.title ILIKE ANY({pats}::text[]) OR {alias}.{notes} ILIKE ANY({pats}::text[])"
        f" OR {alias}.gov_stat_code = ANY({w.param(codes)}::text[]))"
    )
