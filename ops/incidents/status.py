"""The public status of each subsystem (GOV-9, GOV-12): now, day by day for 90 days, and recent incidents.

A module is in 'outage' while a major or critical incident of it (or of the whole platform) is
detected, investigated or identified; 'degraded' for a minor one, and while any is being monitored;
'maintenance' inside a planned window. The worst wins: outage > maintenance > degraded > operational.
"""

from __future__ import annotations

import datetime as dt

from govstat.ops.incidents import lifecycle
from govstat.ops.incidents.rows import INCIDENT_COLUMNS, MAINTENANCE_COLUMNS, IncidentRow, MaintenanceRow
from govstat.ops.incidents.schemas import ModuleStatus, Status, StatusDay, StatusIncident, StatusWindow
from govstat.ops.incidents.service import public_updates, public_view
from govstat.ops.incidents.texts import JST, module_names
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork

DAYS = 90
RANK = {"operational": 0, "degraded": 1, "maintenance": 2, "outage": 3}
LABELS = {
    "operational": ("正常", "Operational"),
    "degraded": ("一部低下", "Degraded"),
    "maintenance": ("計画保守", "Maintenance"),
    "outage": ("障害", "Outage"),
}


def worst(*states: str) -> str:
    return max(states, key=lambda s: RANK[s], default="operational")


def impact(severity: str) -> str:
    return "outage" if severity in ("major", "critical") else "degraded"


def _spans(incident: IncidentRow, now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """When an incident affected its module, and how: at its severity until the fault stopped
    (monitoring), degraded while monitored until recovery."""
    start = incident.detected_at
    mitigated = incident.mitigated_at
    recovered = incident.recovered_at or (now if incident.state in lifecycle.OPEN else incident.updated_at)
    spans = []
    end_of_fault = min(mitigated, recovered) if mitigated else recovered
    spans.append((start, max(end_of_fault, start), impact(incident.severity)))
    if mitigated and recovered > mitigated:
        spans.append((mitigated, recovered, "degraded"))
    return spans


def _applies(module_key: str | None, key: str) -> bool:
    return module_key is None or module_key == key


async def build_status(
    uow: UnitOfWork, catalog: Catalog, now: dt.datetime | None = None, *, recent_days: int = 14
) -> Status:
    now = now or dt.datetime.now(dt.UTC)
    today = now.astimezone(JST).date()
    first = today - dt.timedelta(days=DAYS - 1)
    since = dt.datetime.combine(first, dt.time(), JST)
    incidents = await uow.rows(
        IncidentRow,
        f"SELECT {INCIDENT_COLUMNS} FROM incident WHERE detected_at < $1 AND (state IN ('detected', 'investigating',"
        " 'identified', 'monitoring') OR coalesce(recovered_at, updated_at) >= $2)"
        " ORDER BY detected_at DESC",
        now,
        since,
    )
    windows = await uow.rows(
        MaintenanceRow,
        f"SELECT {MAINTENANCE_COLUMNS} FROM maintenance_window WHERE cancelled_at IS NULL AND ends_at >= $1"
        " AND starts_at <= $2::timestamptz + interval '30 days' ORDER BY starts_at",
        since,
        now,
    )

    keys = list(catalog.subsystem_keys)
    keys += sorted({i.module_key for i in incidents if i.state in lifecycle.OPEN and i.module_key} - set(keys))
    day_starts = [dt.datetime.combine(first + dt.timedelta(days=d), dt.time(), JST) for d in range(DAYS)]
    modules: list[ModuleStatus] = []
    for key in keys:
        current = ["operational"]
        for i in incidents:
            if _applies(i.module_key, key) and i.state in lifecycle.OPEN:
                current.append(impact(i.severity) if i.state in lifecycle.ACTIVE else "degraded")
        active_windows = [w for w in windows if _applies(w.module_key, key) and w.starts_at <= now < w.ends_at]
        if active_windows:
            current.append("maintenance")
        spans = [s for i in incidents if _applies(i.module_key, key) for s in _spans(i, now)]
        spans += [
            (w.starts_at, min(w.ends_at, now), "maintenance")
            for w in windows
            if _applies(w.module_key, key) and w.starts_at <= now
        ]
        days = []
        for start in day_starts:
            end = start + dt.timedelta(days=1)
            hit = [state for (a, b, state) in spans if a < end and b >= start and a <= now]
            days.append(StatusDay(day=start.date().isoformat(), state=worst(*hit) if hit else "operational"))
        ja, en = module_names(catalog, key)
        state = worst(*current)
        modules.append(
            ModuleStatus(
                key=key,
                name_ja=ja,
                name_en=en,
                state=state,
                label_ja=LABELS[state][0],
                label_en=LABELS[state][1],
                days=days,
            )
        )

    recent_since = now - dt.timedelta(days=recent_days)
    recent = [i for i in incidents if i.state in lifecycle.OPEN or i.detected_at >= recent_since][:20]
    updates = await public_updates(uow, [i.id for i in recent])
    overall = worst(*(m.state for m in modules))
    return Status(
        at=now,
        state=overall,
        label_ja=LABELS[overall][0],
        label_en=LABELS[overall][1],
        modules=modules,
        incidents=[
            public_view(
                i,
                StatusIncident,
                module_name_ja=module_names(catalog, i.module_key)[0],
                module_name_en=module_names(catalog, i.module_key)[1],
                updates=list(reversed(updates[i.id])),
            )
            for i in recent
        ],
        maintenance=[
            StatusWindow(
                id=w.id,
                module_key=w.module_key,
                starts_at=w.starts_at,
                ends_at=w.ends_at,
                description=w.description,
                active=w.starts_at <= now < w.ends_at,
            )
            for w in windows
            if w.ends_at > now
        ],
    )
