"""Versions of published tables in the e-Stat API: govstat's extension (docs/estat-api.md, "Versions").

- getStatsData (and getMetaInfo) take `version=N`: the table as version N was (its values, its
  classes, its total); without it, the current version. A version that does not exist answers 102.
- A table that has been corrected or extended shows it: TABLE_INF.VERSION (the current or asked
  version, its date) and in DATA_INF.NOTE one entry per later change, `@char` "訂正" or "追加", with
  the date and the agency's reason.
- getStatsDataVersions?statsDataId=X lists the versions (kind, reason, cells changed and added,
  date; never who: the agency's people stay in its own history, /api/statdb/tables/X/versions).
- A withdrawn table answers STATUS 106 with when and why (table_refs.published)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api import params, table_refs
from govstat.platform.subsystems.estat.api.faults import EstatFault, invalid, missing
from govstat.platform.subsystems.estat.api.result import result
from govstat.platform.subsystems.estat.api.rows import PublishedTable
from govstat.platform.subsystems.statdb.published import Selection
from govstat.platform.subsystems.statdb.revisions import read as statdb
from govstat.platform.subsystems.statdb.revisions.rows import Version
from govstat.platform.subsystems.statdb.rows import ValueRow

KIND_JA = {"original": "初版", "correction": "訂正", "extension": "追加"}


class Asked:
    """The versions of one table and the one a request reads (`at`; None: the current one)."""

    def __init__(self, history: list[Version], at: Version | None) -> None:
        self.history, self.at = history, at

    @property
    def current(self) -> int:
        return self.history[0].version if self.history else 1


async def requested(uow: UnitOfWork, q: Mapping[str, str], t: PublishedTable) -> Asked:
    history = await statdb.versions(uow, t.id)
    raw = q.get("version", "")
    if not raw:
        return Asked(history, None)
    n = params.integer(q, "version", 1, 1, 1_000_000)
    current = history[0].version if history else 1
    if n == current:
        return Asked(history, None)
    found = next((v for v in history if v.version == n), None)
    if found is None:
        raise invalid("version", raw)
    return Asked(history, found)


def total(t: PublishedTable, asked: Asked) -> int:
    return t.total_number if asked.at is None else asked.at.total_number


async def count(uow: UnitOfWork, sel: Selection, asked: Asked) -> int:
    from govstat.platform.subsystems.statdb import published

    return await (published.count(uow, sel) if asked.at is None else statdb.count_at(uow, sel, asked.at))


async def values_at(
    uow: UnitOfWork, sel: Selection, dims: list[str], asked: Asked, *, start: int, limit: int, narrowed: bool
) -> list[ValueRow]:
    from govstat.platform.subsystems.statdb import published

    if asked.at is None:
        return await published.values(uow, sel, dims, start=start, limit=limit, narrowed=narrowed)
    return await statdb.values_at(uow, sel, dims, asked.at, start=start, limit=limit)


def class_inf(doc: dict[str, Any], asked: Asked) -> dict[str, Any]:
    """CLASS_INF without the items that versions after the asked one added."""
    if asked.at is None:
        return doc
    later = statdb.added_after(asked.history, asked.at.version)
    if not later:
        return doc
    objs = doc["CLASS_OBJ"] if isinstance(doc["CLASS_OBJ"], list) else [doc["CLASS_OBJ"]]
    for o in objs:
        drop = later.get(o["@id"])
        if drop:
            items = o["CLASS"] if isinstance(o["CLASS"], list) else [o["CLASS"]]
            kept = [i for i in items if i["@code"] not in drop]
            o["CLASS"] = kept[0] if len(kept) == 1 else kept
    return doc


def annotate(statistical: dict[str, Any], asked: Asked) -> None:
    """TABLE_INF.VERSION and, in DATA_INF.NOTE, the corrections and extensions up to the version read."""
    if not asked.history:
        return
    read = asked.at.version if asked.at else asked.current
    shown = asked.at or asked.history[0]
    statistical["TABLE_INF"]["VERSION"] = {
        "@no": read,
        "@current": asked.current,
        "@date": table_refs.iso_day(shown.created_at),
    }
    notes = [
        {"@char": KIND_JA[v.kind], "$": f"第{v.version}版（{table_refs.iso_day(v.created_at)}）: {v.reason}"}
        for v in sorted(asked.history, key=lambda v: v.version)
        if v.kind != "original" and v.version <= read
    ]
    data_inf = statistical.get("DATA_INF")
    if not notes or data_inf is None:
        return
    before = data_inf.get("NOTE")
    listed = [] if before is None else before if isinstance(before, list) else [before]
    data_inf["NOTE"] = [*listed, *notes]


async def get_stats_data_versions(uow: UnitOfWork, q: Mapping[str, str], *, units: list[int]) -> dict[str, Any]:
    sid = params.stats_data_id(q)
    if sid is None:
        raise missing("statsDataId")
    t = await table_refs.published(uow, sid)
    history = await statdb.versions(uow, t.id) or [statdb.original(t.total_number, t.publish_at or t.updated_at)]
    units.append(len(history))
    return {
        "GET_STATS_DATA_VERSIONS": {
            "RESULT": result(0),
            "PARAMETER": {"LANG": params.lang(q), "STATS_DATA_ID": sid, "DATA_FORMAT": "J"},
            "VERSION_INF": {
                "@current": history[0].version,
                "VERSION": [
                    {
                        "@no": v.version,
                        "@kind": v.kind,
                        "@date": v.created_at.isoformat(),
                        "KIND": KIND_JA[v.kind],
                        "REASON": v.reason,
                        "CHANGED_NUMBER": v.changed_cells,
                        "ADDED_NUMBER": v.added_cells,
                        "TOTAL_NUMBER": v.total_number,
                        **({"ADDED_CLASS": {o: codes for o, codes in v.added_items.items()}} if v.added_items else {}),
                    }
                    for v in history
                ],
            },
        }
    }


__all__ = ["EstatFault", "get_stats_data_versions"]
