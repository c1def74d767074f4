"""Values of an earlier day's municipalities on a later day's boundaries (REGION-1).

Every code valid on `as_of` starts as its own origin; the successions (area/published.py) that took
effect after it are replayed in date order: an origin whose code passes to ONE new code (a merger,
an absorption, a rename, a promotion, a code change) is added to that code's origins; a code passing
to SEVERAL new codes (分割, or 分離 where the old code lives on) is a split. A target's value is the
sum of its origins' values; it has none, and is flagged, when an origin lacks a value or a split sent
only part of an origin to it, unless the data gives that part (e-Stat's 「（旧：上九一色村［北部］）」
rows, `portions`). Nothing is allocated by area here: the old municipalities' boundaries are unknown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from govstat.platform.subsystems.area.published import Succession, passes

HISTORY_START = dt.date(1970, 4, 1)  # the area codes' history starts here


@dataclass
class Origin:
    parts: set[str] = field(default_factory=set)  # old codes wholly inside the target
    split: dict[str, str] = field(default_factory=dict)  # old code -> what happened (only part of it)


@dataclass
class Recombined:
    code: str
    value: Decimal | None
    parts: list[str]  # the old codes summed (or that would be), sorted
    portions: list[str] = field(default_factory=list)  # old codes of which the data gave this target's part
    flags: list[str] = field(default_factory=list)  # why the value is missing or partial

    @property
    def recombined(self) -> bool:
        return self.parts != [self.code] or bool(self.portions)


def _merge(into: Origin, other: Origin) -> None:
    into.parts |= other.parts
    into.split.update(other.split)


def replay(start_codes: set[str], steps: list[Succession], still_valid: set[str]) -> dict[str, Origin]:
    """The origins of every code after the steps (codes valid at the end in `still_valid`)."""
    state: dict[str, Origin] = {c: Origin({c}) for c in start_codes}
    for old, group in passes(steps):  # by day, a chain's sources before its targets
        _step(state, old, group, still_valid)
    return state


def _step(state: dict[str, Origin], old: str, steps: list[Succession], still_valid: set[str]) -> None:
    origin = state.pop(old, Origin())
    new_codes = sorted({s.new_code for s in steps})
    lives_on = old not in new_codes and old in still_valid and steps[0].kind == "split"
    if len(new_codes) == 1 and not lives_on:
        _merge(state.setdefault(new_codes[0], Origin()), origin)
        return
    day, names = steps[0].effective_on, "、".join(f"{s.new_name}({s.new_code})" for s in steps)
    note = f"{day} {steps[0].old_name}({old}) → {names}"
    receivers = [*new_codes, old] if lives_on else new_codes
    for code in receivers:
        target = state.setdefault(code, Origin())
        for p in origin.parts:
            target.split[p] = note
        target.split.update(origin.split)


def values_on(
    origins: dict[str, Origin],
    targets: list[str],
    values: dict[str, Decimal | None],
    portions: dict[tuple[str, str], Decimal] | None = None,
) -> dict[str, Recombined]:
    """Each target's value from the old codes' `values`; `portions[(old, target)]` the part of a
    split old code that the data places in target."""
    portions = portions or {}
    out: dict[str, Recombined] = {}
    for code in targets:
        o = origins.get(code)
        if o is None:
            out[code] = Recombined(code, None, [], flags=["変遷を追えません / no history to this code"])
            continue
        flags: list[str] = []
        total = Decimal(0)
        missing = sorted(p for p in o.parts if values.get(p) is None)
        if missing:
            flags.append(f"値のない旧地域 / old areas without data: {', '.join(missing)}")
        total += sum((values.get(p) or Decimal(0) for p in o.parts), Decimal(0))
        given: list[str] = []
        for old, note in sorted(o.split.items()):
            part = portions.get((old, code))
            if part is None:
                flags.append(f"分割（データなし）/ split without data: {note}")
            else:
                given.append(old)
                total += part
        value = None if flags else total
        out[code] = Recombined(code, value, sorted(o.parts), portions=given, flags=flags)
    return out
