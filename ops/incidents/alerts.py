"""Alerts from the SLA measurement becoming incidents (or joining one, or suppressed by maintenance)."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.ops.incidents import lifecycle
from govstat.ops.incidents.changes import MODULE, add_timeline, record_event
from govstat.ops.incidents.maintenance import maintenance_at
from govstat.ops.incidents.opening import open_incident
from govstat.ops.incidents.rows import INCIDENT_COLUMNS, AlertRow, IncidentRow
from govstat.ops.incidents.texts import ref
from govstat.ops.incidents.transitions import move
from govstat.ops.incidents.views import get_incident
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit
from govstat.platform.events.envelope import IncidentPayload


def _detected_at(payload: IncidentPayload, occurred_at: dt.datetime) -> dt.datetime:
    started = payload.detail.get("started_at") if isinstance(payload.detail, dict) else None
    if isinstance(started, str):
        try:
            value = dt.datetime.fromisoformat(started.replace("Z", "+00:00"))
            return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    return occurred_at


def _source(payload: IncidentPayload) -> str:
    """'check': an operations check of ops's own (detail["check"], e.g. the replication check); else 'sla'."""
    return "check" if isinstance(payload.detail, dict) and payload.detail.get("check") else "sla"


def _cleared_note(payload: IncidentPayload) -> str:
    if _source(payload) == "check":
        return f"監視の警報が解除されました / the {payload.detail['check']} check cleared: {payload.title}"
    return f"SLA警報が解除されました / the SLA alert cleared: {payload.title}"


async def receive_alert(uow: UnitOfWork, catalog: Catalog, payload: IncidentPayload, occurred_at: dt.datetime) -> str:
    """Apply one alert event; returns what happened (for logs and tests):
    opened | joined | suppressed | escalated | cleared | monitoring | ignored."""
    ref_id = payload.incident_id
    if not ref_id or not payload.module:
        return "ignored"
    alert = await uow.row(AlertRow, "SELECT * FROM incident_alert WHERE external_ref = $1 FOR UPDATE", ref_id)
    if payload.state in ("detected", "escalated") and alert is None:
        if await uow.fetchval("SELECT 1 FROM incident WHERE id::text = $1", ref_id):
            return "ignored"  # one of our own incidents' events (idempotent on the incident id too)
        return await _alert_detected(uow, catalog, payload, _detected_at(payload, occurred_at))
    if alert is None:
        return "ignored"  # a clear for an alert never seen: nothing to do
    if payload.state == "escalated":
        await uow.execute(
            "UPDATE incident_alert SET severity = $2, last_state = 'escalated' WHERE external_ref = $1",
            ref_id,
            lifecycle.more_severe(payload.severity, alert.severity),
        )
        if alert.incident_id is None:  # suppressed (a CHECK ties the disposition to the incident)
            return "suppressed"
        incident = await get_incident(uow, alert.incident_id, for_update=True)
        await _escalate(uow, incident, payload)
        return "escalated"
    if payload.state == "monitoring":
        if alert.cleared_at is not None:
            return "ignored"
        await uow.execute(
            "UPDATE incident_alert SET cleared_at = $2, last_state = 'monitoring' WHERE external_ref = $1",
            ref_id,
            occurred_at,
        )
        if alert.incident_id is None:  # suppressed (a CHECK ties the disposition to the incident)
            return "suppressed"
        incident = await get_incident(uow, alert.incident_id, for_update=True)
        still_firing = await uow.fetchval(
            "SELECT count(*) FROM incident_alert WHERE incident_id = $1 AND cleared_at IS NULL", incident.id
        )
        if incident.source in ("sla", "check") and incident.state in lifecycle.ACTIVE and not still_firing:
            await move(uow, catalog, incident, "monitoring", note=_cleared_note(payload))
            return "monitoring"
        await add_timeline(
            uow,
            incident.id,
            kind="alert",
            from_state=incident.state,
            to_state=incident.state,
            note=_cleared_note(payload),
        )
        return "cleared"
    return "ignored"


async def _alert_detected(uow: UnitOfWork, catalog: Catalog, payload: IncidentPayload, at: dt.datetime) -> str:
    module_key = payload.module
    severity = payload.severity if payload.severity in lifecycle.SEVERITIES else "major"
    window = await maintenance_at(uow, module_key, at)
    if window is not None:
        # GOV-12 / planned maintenance: the alert is expected; recorded, never an incident or a notification.
        await uow.execute(
            "INSERT INTO incident_alert (external_ref, module_key, severity, title, disposition, maintenance_id,"
            " detected_at, last_state) VALUES ($1, $2, $3, $4, 'suppressed', $5, $6, $7)",
            payload.incident_id,
            module_key,
            severity,
            payload.title,
            window.id,
            at,
            payload.state,
        )
        await audit(
            uow,
            "incident.alert_suppressed",
            tenant_id=None,
            target_type="incident_alert",
            target_id=payload.incident_id,
            module=MODULE,
            module_key=module_key,
            maintenance_id=str(window.id),
            title=payload.title,
        )
        return "suppressed"
    incident = await uow.row(
        IncidentRow,
        f"SELECT {INCIDENT_COLUMNS} FROM incident WHERE module_key = $1 AND state IN ('detected', 'investigating',"
        " 'identified', 'monitoring') ORDER BY detected_at LIMIT 1 FOR UPDATE",
        module_key,
    )
    if incident is not None:
        # The module already has an open incident: the alert joins it (agencies are not told twice).
        await _link_alert(uow, payload, incident.id, severity, at)
        await add_timeline(
            uow,
            incident.id,
            kind="alert",
            from_state=incident.state,
            to_state=incident.state,
            note=f"SLA警報を関連付けました / SLA alert joined: {payload.title}",
        )
        if lifecycle.more_severe(severity, incident.severity) != incident.severity:
            await _escalate(uow, incident, payload)
        return "joined"
    opened = await open_incident(
        uow,
        catalog,
        module_key=module_key,
        title=payload.title or f"{module_key}: SLA alert",
        severity=severity,
        source=_source(payload),
        detected_at=at,
        detail={"alert": payload.incident_id, **payload.detail},
        note=f"監視により検知 / detected by the {payload.detail['check']} check"
        if _source(payload) == "check"
        else f"SLA警報により検知 / detected by the SLA burn-rate alert ({payload.detail.get('rule', '')})",
    )
    await _link_alert(uow, payload, opened.id, severity, at)
    return "opened"


async def _link_alert(
    uow: UnitOfWork, payload: IncidentPayload, incident_id: uuid.UUID, severity: str, at: dt.datetime
) -> None:
    await uow.execute(
        "INSERT INTO incident_alert (external_ref, module_key, severity, title, disposition, incident_id,"
        " detected_at, last_state) VALUES ($1, $2, $3, $4, 'incident', $5, $6, $7)",
        payload.incident_id,
        payload.module,
        severity,
        payload.title,
        incident_id,
        at,
        payload.state,
    )


async def _escalate(uow: UnitOfWork, incident: IncidentRow, payload: IncidentPayload) -> None:
    severity = lifecycle.more_severe(payload.severity, incident.severity)
    if severity != incident.severity:
        incident = await uow.one(
            IncidentRow,
            f"UPDATE incident SET severity = $2, updated_at = now() WHERE id = $1 RETURNING {INCIDENT_COLUMNS}",
            incident.id,
            severity,
        )
        await record_event(uow, incident, previous=incident.state, escalated=True)
    await add_timeline(
        uow,
        incident.id,
        kind="escalation",
        from_state=incident.state,
        to_state=incident.state,
        note=f"SLA警報の重要度が上がりました / SLA alert escalated to {payload.severity}: {payload.title}",
    )
    await audit(
        uow,
        "incident.escalated",
        tenant_id=None,
        target_type="incident",
        target_id=incident.id,
        module=MODULE,
        ref=ref(incident.number),
        severity=severity,
    )


# --- planned maintenance ------------------------------------------------------------------------------
