"""The area codes' read interface for the other parts (docs/decisions/0010): the standard area
codes valid on a day (statdb's area dimension) and a code's versions and successions (LOD).
Others never name area_version or area_link; they call these with their own unit of work."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

import msgspec

from govstat.platform.db.uow import UnitOfWork

READS_FOR_OTHERS = True


class AreaCode(msgspec.Struct, kw_only=True):
    code: str
    pref_code: str
    desig_name: str = ""
    name: str
    level: str  # prefecture | designated_city | ward | city | town | village | district


class Version(msgspec.Struct, kw_only=True):
    code6: str
    name: str
    name_kana: str = ""
    pref_name: str
    level: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class Link(msgspec.Struct, kw_only=True):
    old_code: str
    new_code: str
    effective_on: dt.date


async def valid_on(uow: UnitOfWork, day: dt.date) -> dict[str, AreaCode]:
    """Every standard area code valid on `day`, by code."""
    rows = await uow.rows(
        AreaCode,
        "SELECT code, pref_code, desig_name, name, level FROM area_version"
        " WHERE (valid_from IS NULL OR valid_from <= $1) AND (valid_to IS NULL OR valid_to > $1)",
        day,
    )
    return {r.code: r for r in rows}


async def versions(uow: UnitOfWork, code: str) -> list[Version]:
    """The code's versions (names over time), oldest first."""
    return await uow.rows(
        Version,
        "SELECT code6, name, name_kana, pref_name, level, valid_from, valid_to FROM area_version"
        " WHERE code = $1 ORDER BY valid_from NULLS FIRST",
        code,
    )


async def links(uow: UnitOfWork, code: str) -> list[Link]:
    """The successions (廃置分合等) the code takes part in, old or new, by date."""
    return await uow.rows(
        Link,
        "SELECT old_code, new_code, effective_on FROM area_link WHERE old_code = $1 OR new_code = $1"
        " ORDER BY effective_on",
        code,
    )


class Succession(msgspec.Struct, kw_only=True, frozen=True):
    """One step of the history: `old_code` became (part of) `new_code` on `effective_on`; `kind` is
    the change's (merger_new, merger_absorb, split, rename, promotion, boundary, ...)."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    effective_on: dt.date
    kind: str


async def successions(uow: UnitOfWork, after: dt.date, until: dt.date) -> list[Succession]:
    """Every succession that took effect in (after, until], oldest first, each once (several
    廃置分合 records of one event repeat its links; a split's own record names it a split)."""
    rows = await uow.rows(
        Succession,
        "SELECT l.old_code, max(l.old_name) AS old_name, l.new_code, max(l.new_name) AS new_name, l.effective_on,"
        " CASE WHEN bool_or(c.kind = 'split') THEN 'split' ELSE min(c.kind) END AS kind"
        " FROM area_link l JOIN area_change c ON c.id = l.change_id"
        " WHERE l.effective_on > $1 AND l.effective_on <= $2"
        " GROUP BY l.old_code, l.new_code, l.effective_on ORDER BY l.effective_on, l.old_code, l.new_code",
        after,
        until,
    )
    return rows


class Followed(msgspec.Struct, kw_only=True, frozen=True):
    """Where a code went: `code` is what it ended as (itself when nothing happened), `steps` the
    successions followed, `split` the codes a split sent it to where the path stopped ([] if none)."""

    code: str
    steps: list[Succession] = []
    split: list[str] = []

    @property
    def moved(self) -> bool:
        return bool(self.steps)


def passes(steps: Sequence[Succession]) -> list[tuple[str, list[Succession]]]:
    """The successions grouped by day and old code, in the order to follow them: by day and, on one
    day, sources before their targets (a chain: 三好町 → みよし町 → みよし市 on 2010-01-04)."""
    by_day: dict[dt.date, dict[str, list[Succession]]] = defaultdict(lambda: defaultdict(list))
    for s in steps:
        by_day[s.effective_on][s.old_code].append(s)
    out: list[tuple[str, list[Succession]]] = []
    for day in sorted(by_day):
        pending = dict(by_day[day])
        while pending:
            news = {s.new_code for ss in pending.values() for s in ss if s.new_code != s.old_code}
            ready = [o for o in pending if o not in news] or list(pending)
            out.extend((old, pending.pop(old)) for old in ready)
    return out


def follow(code: str, steps: Sequence[Succession], since: dt.date | None = None) -> Followed:
    """THE way to follow a code forward through the history (steps from `successions`, only those
    effective after `since`): where the code passes whole to ONE new code (merger, absorption,
    rename, promotion, code change) the path goes on; where it passes to several (分割) or only in
    part (a 'split' whose old code lives on, 分離) it stops, naming the candidates for a person."""
    current, taken = code, list[Succession]()
    for old, group in passes(steps):
        if old != current or (since is not None and group[0].effective_on <= since):
            continue
        news = sorted({s.new_code for s in group if s.new_code != old})
        if not news:
            continue
        if len(news) > 1 or any(s.kind == "split" for s in group):
            return Followed(code=current, steps=taken, split=news if len(news) > 1 else [old, *news])
        taken.append(next(s for s in group if s.new_code == news[0]))
        current = news[0]
    return Followed(code=current, steps=taken)


async def forward(uow: UnitOfWork, codes: Iterable[str], after: dt.date, until: dt.date) -> dict[str, Followed]:
    """Each code followed through the successions effective in (after, until]; only those that
    moved or stopped at a split are in the answer."""
    steps = await successions(uow, after, until)
    found = {c: follow(c, steps) for c in set(codes)}
    return {c: f for c, f in found.items() if f.moved or f.split}
