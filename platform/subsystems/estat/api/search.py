"""Keyword search with the operator's synonym list (ESTAT-1): a synonym finds what its word finds.

searchWord as e-Stat reads it: words separated by spaces must all match (AND); `OR` joins
alternatives ("人口 OR 世帯 東京" = (人口 or 世帯) and 東京); an explicit `AND` is allowed."""

from __future__ import annotations

import re

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.estat.api.rows import Synonym

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


def condition(groups: list[list[str]], text_sql: str, w: Where) -> Where:
    """Every group matches at least one of its alternatives (substring, case-insensitive)."""
    for g in groups:
        alts = [f"{text_sql} ILIKE {w.param(f'%{word}%')}" for word in g]
        w.conditions.append("(" + " OR ".join(alts) + ")")
    return w
