"""ESTAT-2 regional statistics (地域別統計, in the manner of 社会・人口統計体系): one item of a
published table with an area dimension, for every prefecture, or for every municipality of one
prefecture, sorted with ranks.

Prefectures are the area items coded xx000 (01-47). The municipalities of a prefecture are its
children in the area class (parentCode, from the standard area codes): cities, towns, villages,
designated cities (not their wards, which sit one level further down, nor the 「（旧：…）」 parts).
A table whose area items carry no parents falls back to the codes under the prefecture one level
below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api import data
from govstat.platform.subsystems.estat.api.params import Narrowing
from govstat.platform.subsystems.estat.api.rows import PublishedTable
from govstat.platform.subsystems.estat.portal import tableview
from govstat.platform.subsystems.estat.portal.common import number, plain
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.statdb.rows import AreaValue, ClassItem

NATION = "00000"


async def candidates(uow: UnitOfWork) -> list[statdb.Candidate]:
    """Published tables whose area dimension has prefectures (the newest 200)."""
    return await statdb.with_area_codes(uow, tableview.PREFECTURE, limit=200)


@dataclass
class Ranking:
    view: str  # pref | muni
    pref: str = ""
    items: dict[str, str] = field(default_factory=dict)  # obj_id -> the chosen code (the other dimensions)
    rows: list[dict[str, Any]] = field(default_factory=list)
    parent: dict[str, Any] | None = None  # the whole (全国 or the prefecture) when the table has it
    unit: str = ""
    error: str = ""


def chosen_items(q: dict[str, str], dims: list[tableview.Dim]) -> dict[str, str]:
    """One code per non-area dimension: the reader's, else the first item (the latest for time)."""
    out = {}
    for d in dims:
        if d.obj_id == "area" or not d.items:
            continue
        wanted = q.get(f"cd{d.suffix}", "").split(",")[0]
        codes = [i.code for i in d.items]
        out[d.obj_id] = wanted if wanted in codes else (codes[-1] if d.obj_id == "time" else codes[0])
    return out


def areas(area: tableview.Dim, view: str, pref: str) -> list[ClassItem]:
    import re

    items = area.items
    if view == "pref":
        return [i for i in items if re.match(tableview.PREFECTURE, i.code)]
    top = next((i for i in items if i.code == pref), None)
    if top is None:
        return []
    children = [i for i in items if i.parent_code == pref and i.code != pref]
    if children:
        return children
    return [i for i in items if i.code[:2] == pref[:2] and i.code != pref and i.level == top.level + 1]


async def ranking(uow: UnitOfWork, table: PublishedTable, dims: list[tableview.Dim], q: dict[str, str]) -> Ranking:
    view = "muni" if q.get("view") == "muni" else "pref"
    area = next((d for d in dims if d.obj_id == "area"), None)
    out = Ranking(view=view, pref=q.get("pref", ""), items=chosen_items(q, dims))
    if area is None:
        out.error = "この統計表には地域の分類がありません / this table has no area dimension"
        return out
    if view == "muni" and not out.pref:
        out.pref = next((c for c, _ in tableview.prefecture_ranges(area)), "")
    chosen = areas(area, view, out.pref)
    if not chosen:
        out.error = "該当する地域がありません / no areas to rank"
        return out
    whole = NATION if view == "pref" else out.pref
    codes = [i.code for i in chosen] + ([whole] if whole in area.names() else [])
    narrowing = [Narrowing("area", "Area", codes=codes)] + [
        Narrowing(obj, tableview.SUFFIX[obj], codes=[code]) for obj, code in out.items.items()
    ]
    cond = data.where(table.id, [d.obj_id for d in dims], narrowing)
    values: dict[str, AreaValue] = {}
    if cond is not None:
        for r in await statdb.area_values(uow, cond):
            values[r.area] = r
    names = area.names()
    rows = []
    for i in chosen:
        v = values.get(i.code)
        rows.append(
            {
                "code": i.code,
                "name": i.name,
                "value": v.value if v else None,
                "raw": v.raw if v else None,
                "unit": (v.unit if v else None) or "",
            }
        )
    ranked = sorted((r for r in rows if r["value"] is not None), key=lambda r: r["value"], reverse=True)
    rest = [r for r in rows if r["value"] is None]
    parent = values.get(whole)
    total = parent.value if parent and parent.value is not None else None
    previous, rank = None, 0
    for n, r in enumerate(ranked, start=1):
        if r["value"] != previous:
            rank, previous = n, r["value"]
        r["rank"] = rank  # equal values share a rank (1, 2, 2, 4)
        r["share"] = float(r["value"] / total * 100) if total not in (None, Decimal(0)) else None
    for r in ranked + rest:
        r["text"] = number(r["value"], r["raw"])
        r["number"] = plain(r["value"])
    out.rows = ranked + [{**r, "rank": None, "share": None} for r in rest]
    out.unit = next((r["unit"] for r in ranked if r["unit"]), "")
    if parent:
        out.parent = {
            "code": whole,
            "name": names.get(whole, whole),
            "text": number(parent.value, parent.raw),
            "number": plain(parent.value),
        }
    return out


def to_json(r: Ranking) -> dict[str, Any]:
    whole = (
        {"code": r.parent["code"], "name": r.parent["name"], "value": r.parent["number"], "text": r.parent["text"]}
        if r.parent
        else None
    )
    rows = [
        {
            "rank": x["rank"],
            "code": x["code"],
            "name": x["name"],
            "value": x["number"],
            "text": x["text"],
            "share": x["share"],
        }
        for x in r.rows
    ]
    return {
        "view": r.view,
        "pref": r.pref,
        "items": r.items,
        "unit": r.unit,
        "error": r.error,
        "whole": whole,
        "rows": rows,
    }
