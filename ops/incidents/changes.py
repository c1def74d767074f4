"""What every change of an incident shares (GOV-12): its input checks, its timeline entry (with the
public update when it has a public note) and its IncidentPayload event. Each change runs inside the
caller's unit of work (one transaction): the change, its timeline entry, its public update, its event
and its audit event commit together.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from govstat.ops.incidents.rows import IncidentRow
from govstat.ops.incidents.texts import ref
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.envelope import IncidentPayload, new_event

# Our own IncidentPayload events carry this in detail["source"]: the consumer of the incident topic
# skips them (they are facts about incidents, not alerts that open one).
SOURCE = "ops.incidents"
MODULE = "ops"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_module(catalog: Catalog, field: str, key: str | None) -> None:
    """A module key names a subsystem of the catalog (None: the whole platform)."""
    if key is not None and key not in catalog.subsystem_keys:
        raise InvalidInput.field(field, f"未知のサブシステムです / unknown subsystem {key!r}")


def required(field: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput.field(field, "必須です / required")
    return value


async def add_timeline(
    uow: UnitOfWork,
    incident_id: uuid.UUID,
    *,
    kind: str,
    from_state: str | None,
    to_state: str,
    note: str = "",
    public_note: str = "",
) -> int:
    entry_id: int = await uow.fetchval(
        "INSERT INTO incident_timeline (incident_id, kind, from_state, to_state, note, public_note, actor, actor_kind)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        incident_id,
        kind,
        from_state,
        to_state,
        note.strip(),
        public_note.strip(),
        uow.scope.actor,
        uow.scope.role,
    )
    if public_note.strip():
        await uow.execute(
            "INSERT INTO incident_public_update (incident_id, timeline_id, at, state, body)"
            " SELECT incident_id, id, at, to_state, public_note FROM incident_timeline WHERE id = $1",
            entry_id,
        )
    return entry_id


async def record_event(uow: UnitOfWork, incident: IncidentRow, *, previous: str | None, **extra: Any) -> None:
    """The IncidentPayload of a change, in the outbox of the same transaction (PLAT-3)."""
    detail = {"source": SOURCE, "ref": ref(incident.number), "from": previous, **extra}
    await uow.record(
        new_event(
            IncidentPayload(
                incident_id=str(incident.id),
                module=incident.module_key or "",
                state=incident.state,
                severity=incident.severity,
                title=incident.title,
                detail=msgspec.to_builtins({k: v for k, v in detail.items() if v is not None}),
            ),
            None,
        )
    )
