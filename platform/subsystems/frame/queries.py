"""Reads of the business register: the register as of a day, search, a unit's versions, a
population as of a reference date (what an extraction and a draw read)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from govstat.platform.db.rows import build_all, columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.frame.rows import BurdenRow, Establishment, Unit
from govstat.platform.subsystems.frame.schemas import Population

ASOF = "{a}valid_from <= {{}} AND ({a}valid_to IS NULL OR {a}valid_to > {{}})"
SELECT = columns(Establishment, "e.", corporate_number="c.corporate_number")
JOIN = (
    "FROM frame_establishment e LEFT JOIN frame_enterprise c ON c.id = e.enterprise_id"
    " AND c.valid_from <= {day} AND (c.valid_to IS NULL OR c.valid_to > {day})"
)


def as_of(day: dt.date, alias: str = "e.") -> Where:
    """A Where whose $1 is the day, with the versions valid on it (the join to the enterprise reuses $1)."""
    return Where(first=2).add(ASOF.format(a=alias).replace("{}", "$1"))


def population(w: Where, pop: Population, alias: str = "e.") -> Where:
    """The population filter as conditions: prefixes of industry and area, a range of employees."""
    for column, prefixes in (("jsic14", pop.industries), ("area_code", pop.areas)):
        if prefixes:  # ranges, not LIKE: each prefix is an index range scan
            w.add("(" + " OR ".join(f"({alias}{column} >= {{}} AND {alias}{column} < {{}})" for _ in prefixes) + ")",
                  *[v for p in prefixes for v in (p, p + "~")])  # fmt: skip
    if pop.min_employees:
        w.add(f"{alias}employees >= {{}}", pop.min_employees)
    if pop.max_employees is not None:
        w.add(f"{alias}employees <= {{}}", pop.max_employees)
    return w


# a unit whose name or kana holds the bigram: text equality is leakproof, so the planner may use the
# index (frame_0002) under row-level security; each bigram is one semi-join in id order, so a page of
# the first units stops early, and LIKE then checks the candidates only
NAMED = "e.id IN (SELECT establishment_id FROM frame_name_gram WHERE gram = {})"
MAX_GRAMS = 4  # a long word: its first, last and two middle bigrams narrow enough
COUNT_CAP = 1_000  # a search counts up to here; `total` COUNT_CAP + 1 means "more than 1,000"


def bigrams(word: str) -> list[str]:
    """The bigrams a search by `word` looks up: all, or MAX_GRAMS spread over a long word."""
    grams = list(dict.fromkeys(word[i : i + 2] for i in range(len(word) - 1)))
    if len(grams) <= MAX_GRAMS:
        return grams
    step = (len(grams) - 1) / (MAX_GRAMS - 1)
    return [grams[round(i * step)] for i in range(MAX_GRAMS)]


async def search(
    uow: UnitOfWork,
    pop: Population,
    *,
    day: dt.date,
    q: str = "",
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[Establishment]]:
    """The register as of `day`, filtered; `q` is a name (part), a corporate number or a unit id. The
    total is counted up to COUNT_CAP (COUNT_CAP + 1: more than that; narrow the search)."""
    w = population(as_of(day), pop).eq("e.status", status)
    digits = q.isascii() and q.isdigit()  # not "²": a digit to isdigit, not to int
    if digits and len(q) == 13:
        w.add("c.corporate_number = {}", q)
    elif digits:
        w.add("e.id = {}", int(q[:15]))
    elif q:
        word = q.replace("%", "").replace("_", "")
        for gram in bigrams(word):
            w.add(NAMED, gram)
        w.add("(e.name LIKE {0} OR e.name_kana LIKE {0})", f"%{word}%")
    join = JOIN.format(day="$1")
    counted = join if "c.corporate_number" in w.sql else "FROM frame_establishment e"
    total = int(
        await uow.fetchval(f"SELECT count(*) FROM (SELECT 1 {counted} WHERE {w} LIMIT {COUNT_CAP + 1}) s", day, *w.args)
    )
    lim, off = w.param(limit), w.param(offset)
    rows = await uow.rows(
        Establishment, f"SELECT {SELECT} {join} WHERE {w} ORDER BY e.id LIMIT {lim} OFFSET {off}", day, *w.args
    )
    return total, rows


async def versions(uow: UnitOfWork, unit_id: int) -> list[Establishment]:
    """Every version of one establishment, oldest first (404 if there is none)."""
    rows = await uow.rows(
        Establishment,
        f"SELECT {SELECT} FROM frame_establishment e LEFT JOIN frame_enterprise c ON c.id = e.enterprise_id"
        " AND c.valid_from <= e.valid_from AND (c.valid_to IS NULL OR c.valid_to > e.valid_from)"
        " WHERE e.id = $1 ORDER BY e.valid_from",
        unit_id,
    )
    if not rows:
        raise NotFound(f"事業所 {unit_id} は登録されていません / no establishment {unit_id}")
    return rows


async def current(uow: UnitOfWork, unit_id: int, day: dt.date) -> Establishment:
    for v in reversed(await versions(uow, unit_id)):
        if v.valid_from <= day and (v.valid_to is None or v.valid_to > day):
            return v
    raise NotFound(f"事業所 {unit_id} は {day} に存在しません / no establishment {unit_id} on {day}")


async def units(uow: UnitOfWork, pop: Population, day: dt.date) -> list[Unit]:
    """The active establishments of the population as of `day`, with their PRNs, by id."""
    w = population(as_of(day), pop).add("e.status = 'active'")
    join = JOIN.format(day="$1")
    sql = (
        "SELECT e.id, p.prn, e.employees, e.area_code, e.jsic14, e.name, e.postal_code, e.address, c.corporate_number"
        f" {join} JOIN frame_prn p ON p.establishment_id = e.id WHERE {w} ORDER BY e.id"
    )
    records = await uow.fetch(sql, day, *w.args)
    return build_all(Unit, cast("list[tuple[Any, ...]]", records), Unit.__struct_fields__)


async def ledger(uow: UnitOfWork, unit_id: int) -> list[BurdenRow]:
    """The unit's burden ledger (survey history), newest first."""
    return await uow.rows(
        BurdenRow,
        "SELECT b.survey_id, s.name AS survey_name, t.name_ja AS tenant_name, b.draw_id, b.cycle, b.selected_on,"
        " b.responded FROM frame_burden b JOIN frame_survey s ON s.id = b.survey_id"
        " JOIN directory_tenant t ON t.id = b.tenant_id WHERE b.establishment_id = $1 ORDER BY b.selected_on DESC, b.id DESC",
        unit_id,
    )
