"""Event envelopes and payloads (PLAT-3): msgspec Structs, a tagged union, JSON on the wire.

Each payload kind goes to its own topic. `version` lets consumers accept old
shapes when a payload changes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

SCHEMA_VERSION = 1


class AuditPayload(msgspec.Struct, tag_field="kind", tag="audit", kw_only=True, omit_defaults=True):
    action: str  # e.g. "tenant.activated", "area.change.registered"
    actor: str  # user id, api key id or "system"
    actor_kind: str = "system"
    target_type: str = ""
    target_id: str = ""
    module: str = ""
    outcome: str = "success"  # success | denied | failure
    detail: dict[str, Any] = {}


class UsagePayload(msgspec.Struct, tag_field="kind", tag="usage", kw_only=True, omit_defaults=True):
    module: str
    operation: str
    principal_kind: str
    principal: str = ""
    method: str = "GET"
    path: str = ""
    status: int = 200
    latency_ms: float = 0.0
    bytes: int = 0
    units: int = 0  # rows returned, files, cells: what the operation bills by
    idempotency_key: str = ""
    source: str = "request"  # request | probe


class IncidentPayload(msgspec.Struct, tag_field="kind", tag="incident", kw_only=True, omit_defaults=True):
    incident_id: str
    module: str = ""
    state: str  # detected, investigating, ..., closed
    severity: str = "minor"
    title: str = ""
    detail: dict[str, Any] = {}


class DomainPayload(msgspec.Struct, tag_field="kind", tag="domain", kw_only=True, omit_defaults=True):
    name: str  # "<module>.<fact>", declared by the module
    module: str
    data: dict[str, Any] = {}


Payload = AuditPayload | UsagePayload | IncidentPayload | DomainPayload

TOPIC_BY_KIND = {"audit": "audit", "usage": "usage", "incident": "incident", "domain": "domain"}


class Envelope(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: uuid.UUID
    payload: Payload
    occurred_at: dt.datetime
    tenant_id: uuid.UUID | None = None
    version: int = SCHEMA_VERSION
    trace: dict[str, str] = {}  # W3C trace context, also copied into Kafka headers

    @property
    def kind(self) -> str:
        return type(self.payload).__struct_config__.tag  # type: ignore[return-value]

    @property
    def topic_suffix(self) -> str:
        return TOPIC_BY_KIND[self.kind]


def new_event(
    payload: Payload,
    tenant_id: uuid.UUID | None = None,
    *,
    event_id: uuid.UUID | None = None,
    occurred_at: dt.datetime | None = None,
) -> Envelope:
    return Envelope(
        id=event_id or uuid.uuid4(),
        payload=payload,
        tenant_id=tenant_id,
        occurred_at=occurred_at or dt.datetime.now(dt.UTC),
    )


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Envelope)


def encode(envelope: Envelope) -> bytes:
    return _encoder.encode(envelope)


def decode(data: bytes) -> Envelope:
    return _decoder.decode(data)
