"""Event envelopes and payloads (PLAT-3): msgspec Structs, a tagged union, JSON on the wire.

Each payload kind goes to its own topic (every domain event to "domain"). `version` lets
consumers accept old shapes when a payload changes. The union holds the platform's own
payloads and the modules' domain events, which the composition root hands to `make_decoder`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import msgspec

from govstat.platform.events.domain import DomainEvent, LegacyDomainPayload, domain_union, upgrade
from govstat.platform.events.ids import event_id as new_event_id

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


PlatformPayload = AuditPayload | UsagePayload | IncidentPayload
Payload = PlatformPayload | DomainEvent  # DomainEvent: any module's event (domain.py)
P = TypeVar("P")

TOPIC_BY_KIND = {"audit": "audit", "usage": "usage", "incident": "incident", "domain": "domain"}


class Envelope(msgspec.Struct, Generic[P], kw_only=True, omit_defaults=True):
    """Generic in the payload only so a decoder can name the union it reads (make_decoder)."""

    id: uuid.UUID
    payload: P
    occurred_at: dt.datetime
    tenant_id: uuid.UUID | None = None
    version: int = SCHEMA_VERSION
    trace: dict[str, str] = {}  # W3C trace context, also copied into Kafka headers

    @property
    def kind(self) -> str:
        """audit | usage | incident | domain (a domain event's own name is its tag)."""
        if isinstance(self.payload, DomainEvent):
            return "domain"
        return type(self.payload).__struct_config__.tag  # type: ignore[attr-defined,no-any-return]

    @property
    def topic_suffix(self) -> str:
        return TOPIC_BY_KIND[self.kind]


def new_event(
    payload: Payload,
    tenant_id: uuid.UUID | None = None,
    *,
    event_id: uuid.UUID | None = None,
    occurred_at: dt.datetime | None = None,
) -> Envelope[Payload]:
    return Envelope(
        id=event_id or new_event_id(),
        payload=payload,
        tenant_id=tenant_id,
        occurred_at=occurred_at or dt.datetime.now(dt.UTC),
    )


_encoder = msgspec.json.Encoder()


def encode(envelope: Envelope[Any]) -> bytes:
    return _encoder.encode(envelope)


class EventDecoder:
    """Reads envelopes whose payload is a platform payload or one of the given domain events.

    An unknown tag or a payload that does not fit its Struct raises msgspec.ValidationError
    (a consumer sets the message aside in dead_letter). A domain payload in the shape before
    typed events is upgraded to its typed event."""

    def __init__(self, event_types: Iterable[type[DomainEvent]] = ()) -> None:
        self.union = domain_union(event_types)
        payload: Any = PlatformPayload | LegacyDomainPayload
        if self.union is not None:
            payload = payload | self.union
        self._decoder = msgspec.json.Decoder(Envelope[payload])

    def decode(self, data: bytes) -> Envelope[Any]:
        envelope = self._decoder.decode(data)
        if isinstance(envelope.payload, LegacyDomainPayload):
            envelope.payload = upgrade(envelope.payload, self.union)
        return envelope


def make_decoder(event_types: Iterable[type[DomainEvent]] = ()) -> EventDecoder:
    """The decoder for the given domain events (the composition root passes every module's)."""
    return EventDecoder(event_types)


PLATFORM_DECODER = make_decoder()  # audit, usage and incident only: a domain event is refused


def decode(data: bytes) -> Envelope[Any]:
    """An envelope of a platform payload (audit, usage, incident); domain events need the root's decoder."""
    return PLATFORM_DECODER.decode(data)


class _Peek(msgspec.Struct):
    id: uuid.UUID | None = None
    trace: dict[str, str] = {}


def peek(data: bytes) -> tuple[uuid.UUID | None, dict[str, str]]:
    """The id and trace context of an envelope whose payload need not be readable (None, {} if none)."""
    try:
        seen = msgspec.json.decode(data, type=_Peek)
    except msgspec.DecodeError:
        return None, {}
    return seen.id, seen.trace
