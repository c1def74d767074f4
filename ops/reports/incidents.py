"""Every incident detected in a fiscal year with its handling (GOV-12, GOV-13): detection, the fault
stopping, recovery, duration, the agencies told when it happened and after recovery, the cause and
the prevention from the post-incident review, and the public updates."""

from __future__ import annotations

import datetime as dt

from govstat.ops.incidents.texts import ref
from govstat.ops.reports import periods
from govstat.ops.reports.models import IncidentEntry, PublicUpdate
from govstat.ops.reports.rows import IncidentRow, PublicUpdateRow
from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork

WHOLE_SYSTEM = "政府統計共同利用センター（システム全体） / whole system"

QUERY = """
SELECT i.id, i.number, i.module_key, i.title, i.severity, i.state, i.source, i.detected_at, i.mitigated_at,
       i.recovered_at, i.closed_at, r.cause, r.prevention, r.owner, r.due_on,
       (SELECT count(*) FROM incident_affected a WHERE a.incident_id = i.id) AS affected,
       (SELECT count(DISTINCT n.tenant_id) FROM incident_notification n WHERE n.incident_id = i.id
          AND n.step = 'detected' AND n.status = 'sent') AS notified_detected,
       (SELECT count(DISTINCT n.tenant_id) FROM incident_notification n WHERE n.incident_id = i.id
          AND n.step = 'recovered' AND n.status = 'sent') AS notified_recovered
FROM incident i LEFT JOIN incident_review r ON r.incident_id = i.id
WHERE i.detected_at >= $1 AND i.detected_at < $2
ORDER BY i.detected_at, i.number
"""


def minutes(start: dt.datetime, end: dt.datetime | None) -> float | None:
    return None if end is None else round((end - start).total_seconds() / 60, 1)


async def year_incidents(uow: UnitOfWork, fy: int, names: dict[str, tuple[str, str]]) -> list[IncidentEntry]:
    start, end = periods.bounds(fy)
    rows = await uow.rows(IncidentRow, QUERY, start, end)
    updates = await uow.rows(
        PublicUpdateRow,
        "SELECT incident_id, at, state, body FROM incident_public_update"
        " WHERE incident_id = ANY($1::uuid[]) ORDER BY id",
        [r.id for r in rows],
    )
    return [_entry(r, updates, names) for r in rows]


def _entry(r: IncidentRow, updates: list[PublicUpdateRow], names: dict[str, tuple[str, str]]) -> IncidentEntry:
    key = r.module_key
    return IncidentEntry(
        ref=ref(r.number),
        module_key=key,
        module_name=WHOLE_SYSTEM if key is None else names.get(key, (key, key))[0],
        title=r.title,
        severity=r.severity,
        state=r.state,
        source=r.source,
        detected_at=r.detected_at,
        mitigated_at=r.mitigated_at,
        recovered_at=r.recovered_at,
        closed_at=r.closed_at,
        duration_minutes=minutes(r.detected_at, r.recovered_at),
        mitigation_minutes=minutes(r.detected_at, r.mitigated_at),
        affected_tenants=r.affected,
        notified_detected=r.notified_detected,
        notified_recovered=r.notified_recovered,
        cause=r.cause or "",
        prevention=r.prevention or "",
        review_owner=r.owner or "",
        review_due_on=r.due_on,
        updates=[PublicUpdate(at=u.at, state=u.state, body=u.body) for u in updates if u.incident_id == r.id],
    )


def per_month(incidents: list[IncidentEntry], fy: int) -> list[int]:
    months = periods.months(fy)
    counts = [0] * len(months)
    for i in incidents:
        label = i.detected_at.astimezone(JST).strftime("%Y-%m")
        counts[months.index(label)] += 1
    return counts
