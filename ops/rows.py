"""Rows of the operations read models (ops/tables.py) as msgspec Structs (issue 9: never dicts)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec


class AuditLogRow(msgspec.Struct, kw_only=True):
    """One record of the hash-chained audit log (ops/auditlog.py)."""

    seq: int
    event_id: uuid.UUID
    tenant_id: uuid.UUID | None
    occurred_at: dt.datetime
    action: str
    actor: str
    actor_kind: str
    target_type: str
    target_id: str
    module: str
    outcome: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str
