"""The area dimension from the standard area codes (標準地域コード, the area module's data, read
through its interface area/published.py).

`items: area_codes` with `as_of: YYYY-MM-DD`: each 5-digit code of the data that is valid on
that date in area_version takes its name, level and parent from there:

  00000 全国 (not a standard area code)              depth 0, name from the data or 全国
  prefecture (xx000)                                   depth 1, parent 00000
  city, town, village, designated city, Tokyo's wards  depth 2, parent the prefecture
  ward of a designated city                            depth 3, parent the designated city

e-Stat's other area codes (alphanumeric ones like 0120B for 「（旧：函館市）」, and 5-digit codes
of municipalities that no longer exist on as_of, e.g. 01339 （旧：戸井町）) are parts of a present
municipality: they keep the data's name, sit one level below it, and their parent is the present
municipality (depth 2) that precedes them in the data file; e-Stat's FEH files list them right
after it. Levels are renumbered so that the table's top level is 1 (e-Stat's @level); a parent
is given only when that code is itself in the table.
"""

from __future__ import annotations

import datetime as dt

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.area import published
from govstat.platform.subsystems.area.published import AreaCode
from govstat.platform.subsystems.statdb.convert import OutItem
from govstat.platform.subsystems.statdb.problems import Problems

NATION = "00000"


async def standard_codes(uow: UnitOfWork, as_of: dt.date) -> dict[str, AreaCode]:
    return await published.valid_on(uow, as_of)


def resolve(
    seen: dict[str, tuple[str, int]], codes: dict[str, AreaCode], p: Problems, obj_id: str = "area"
) -> list[OutItem]:
    """Items for the codes seen in the data (code -> (data name, first line)), in data order."""
    cities = {(c.pref_code, c.name): code for code, c in codes.items() if c.level == "designated_city"}
    rows: list[tuple[str, str, int, str | None]] = []  # code, name, depth, parent
    last_municipality: str | None = None
    for code, (data_name, line) in seen.items():
        c = codes.get(code)
        if code == NATION:
            rows.append((code, data_name if data_name != code else "全国", 0, None))
        elif c is None:
            if last_municipality is None:
                p.data(
                    line,
                    None,
                    f"{obj_id} {code!r} は {'' if code.isdigit() else '標準地域コードでなく、'}"
                    "どの市区町村の一部かも分かりません / neither a standard area code valid on as_of nor"
                    " listed after the municipality it belongs to",
                )
                continue
            rows.append((code, data_name, 3, last_municipality))
        elif c.level == "prefecture":
            rows.append((code, c.name, 1, NATION))
        elif c.level == "ward" and c.desig_name:
            rows.append((code, c.desig_name + c.name, 3, cities.get((c.pref_code, c.desig_name))))
        else:
            rows.append((code, c.name, 2, f"{c.pref_code}000"))
            last_municipality = code
    present = {r[0] for r in rows}
    top = min((r[2] for r in rows), default=0)
    return [
        OutItem(code=code, name=name, level=depth - top + 1, parent=parent if parent in present else None)
        for code, name, depth, parent in rows
    ]
