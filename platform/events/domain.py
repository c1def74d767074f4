"""Domain events: typed facts a module publishes for other parts (docs/decisions/0008).

A module declares its events in its own `events.py`, one Struct each, tagged with the event's
name, and lists them in `Module.events`:

    class ChangeRegistered(DomainEvent, tag="area.change_registered"):
        change_id: uuid.UUID
        code: str

The composition root joins every module's events into one tagged union (`domain_union`) that
the envelope decoder reads, so platform/events never imports a module. On the wire a domain
payload is the Struct with its tag in `kind`; the shape before typed events (a name and a dict)
still decodes into the typed event (`LegacyDomainPayload`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any, ClassVar, dataclass_transform

import msgspec


# Subclasses inherit frozen=True and kw_only=True at run time; this tells type checkers so (without
# it mypy reads each `class X(DomainEvent, tag=...)` as a non-frozen subclass of a frozen one).
@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(msgspec.field,))
class DomainEvent(msgspec.Struct, tag_field="kind", kw_only=True, omit_defaults=True, frozen=True):
    """Base of every domain event; a subclass without a dotted tag is a base, never on the wire."""

    @classmethod
    def event_name(cls) -> str:
        return str(cls.__struct_config__.tag)


class BillableEvent(DomainEvent):
    """A fact that bills an agency (GOV-5, GOV-11): ops emits it, the gateway's billing records it
    as an extra charge. Neither imports the other, so the shared shape lives here."""

    charge_kind: ClassVar[str]  # billing's ChargeKind: "agency_change", "helpdesk_out_of_hours", ...
    amount_yen: Annotated[int, msgspec.Meta(gt=0, le=10**12)]
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=400)]
    source_ref: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]  # same ref, same charge
    occurred_on: dt.date


class LegacyDomainPayload(msgspec.Struct, tag_field="kind", tag="domain", kw_only=True):
    """A domain payload as written before typed events; read only, upgraded by `upgrade`."""

    name: str
    module: str = ""
    data: dict[str, Any] = {}


def domain_union(event_types: Iterable[type[DomainEvent]]) -> Any:
    """The tagged union of the given event types (None when there are none).

    Refuses what would make decoding ambiguous: a type that is not a DomainEvent, a tag that is
    not "<part>.<fact>", or one tag declared twice."""
    types = tuple(dict.fromkeys(event_types))
    seen: dict[str, type] = {}
    for t in types:
        if not (isinstance(t, type) and issubclass(t, DomainEvent)):
            raise TypeError(f"{t!r} is not a DomainEvent")
        tag = t.__struct_config__.tag
        if not isinstance(tag, str) or "." not in tag:
            raise TypeError(f"{t.__qualname__}: a domain event needs tag='<part>.<fact>', not {tag!r}")
        if tag in seen:
            raise TypeError(f"domain event {tag!r} declared twice: {seen[tag].__qualname__}, {t.__qualname__}")
        seen[tag] = t
    if not types:
        return None
    union: Any = types[0]
    for t in types[1:]:
        union = union | t
    return union


def upgrade(legacy: LegacyDomainPayload, union: Any) -> DomainEvent:
    """The typed event an old-shape payload stands for; msgspec.ValidationError if its name is not
    in the union or its data does not fit (the consumer then sets it aside)."""
    if union is None:
        raise msgspec.ValidationError(f"unknown domain event {legacy.name!r}")
    try:
        event: DomainEvent = msgspec.convert({**legacy.data, "kind": legacy.name}, union)
        return event
    except msgspec.ValidationError as exc:
        raise msgspec.ValidationError(f"{exc} (old-shape domain event {legacy.name!r})") from None
