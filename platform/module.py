"""The Module contract (PLAT-2): what a subsystem declares so the gateway can enforce it.

A subsystem is `platform/subsystems/<key>/` and declares one `Module` in its `module.py` (the
parts tenants/, gateway/ and ops/ do the same); a sub-package with routes, jobs or consumers of
its own declares a `Feature` in its `feature.py`, which the module gathers (README, "Adding a
subsystem"). A module never checks authentication, subscriptions or roles itself: every route
says who may call it and which billable operation it is, and the gateway does the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar import Router
from piccolo.table import Table

from govstat.platform.events.domain import DomainEvent
from govstat.platform.jobs.spec import JobSpec
from govstat.platform.security import Role

ACCESS_KEY = "govstat_access"
MODULE_KEY = "govstat_module"  # set on each module's routers by the composition root


class Access(msgspec.Struct, frozen=True, kw_only=True):
    operation: str  # a key of Module.operations ("area.search")
    roles: frozenset[Role] = frozenset()
    public: bool = False  # anyone, signed in or not, subscribed or not
    audit: bool = False  # changes data or reveals protected data: write an audit event
    subscription: bool = True  # the caller's tenant must subscribe to the module
    csrf: bool = True  # cookie-signed writes must carry the session's CSRF token
    app_id: bool = False  # an appId names the caller here (the e-Stat API only): elsewhere it is ignored
    # a public GET that changes data (e-Stat's postDataset, which answers GET as the real API does): its
    # unit of work writes on the primary; every other public GET reads only, on a replica if any (deps.py)
    writes: bool = False


def access(*roles: Role, op: str, audit: bool = False, subscription: bool = True) -> dict[str, Any]:
    """`opt=` for a route that only the given roles may call."""
    if not roles:
        raise ValueError("access() needs at least one role; use public() for open routes")
    return {ACCESS_KEY: Access(operation=op, roles=frozenset(roles), audit=audit, subscription=subscription)}


def public(
    op: str, *, audit: bool = False, csrf: bool = True, app_id: bool = False, writes: bool = False
) -> dict[str, Any]:
    """`opt=` for a route that is public on purpose (no sign-in, no subscription). `app_id=True`: the
    caller may name itself by appId (an API caller's name, never a key to My page). `writes=True`: a
    GET of it changes data (Access.writes)."""
    return {
        ACCESS_KEY: Access(
            operation=op, public=True, audit=audit, subscription=False, csrf=csrf, app_id=app_id, writes=writes
        )
    }


def declared_access(opt: dict[str, Any]) -> Access | None:
    value = opt.get(ACCESS_KEY)
    return value if isinstance(value, Access) else None


@dataclass(frozen=True)
class Operation:
    """A billable operation; `unit` says what one unit of use is."""

    key: str
    name_ja: str
    unit: str = "call"  # call | row | file | cell


@dataclass(frozen=True)
class Feature:
    """A sub-package's share of its module (gateway/billing, ops/incidents, estat/portal, ...),
    declared in the sub-package's `feature.py` and listed in the module's `features`."""

    name: str  # the sub-package's name ("billing")
    routers: Sequence[Router] = ()
    operations: Sequence[Operation] = ()
    jobs: Sequence[JobSpec[Any]] = ()
    consumers: Sequence[type] = ()
    nav: Sequence[tuple[str, str]] = ()
    events: Sequence[type[DomainEvent]] = ()


GATHERED = ("routers", "operations", "jobs", "consumers", "nav", "events")  # what a Feature adds to its Module


@dataclass(frozen=True)
class Module:
    key: str
    name_ja: str
    name_en: str
    users: str  # who calls it, as in SPEC.md
    routers: Sequence[Router] = ()
    tables: Sequence[type[Table]] = ()
    operations: Sequence[Operation] = ()
    jobs: Sequence[JobSpec[Any]] = ()
    events: Sequence[type[DomainEvent]] = ()  # the domain events it emits (its events.py; decisions/0008)
    consumers: Sequence[type] = ()  # Kafka consumers (platform.events.consumer.Consumer) run by `govstat monitor`
    piccolo_app: str | None = None  # dotted path of its piccolo_app module
    nav: Sequence[tuple[str, str]] = field(default=())  # (path, label) links for the portal menu
    probe: str | None = None  # a cheap public GET the synthetic probe calls every minute (SLA)
    features: Sequence[Feature] = ()  # sub-packages' shares: added to the fields above, after the module's own

    def __post_init__(self) -> None:
        # One way to assemble a module: its own declarations, then each feature's, in order
        # (what is there already is not added twice, so dataclasses.replace() keeps a module whole).
        for name in GATHERED:
            own = tuple(getattr(self, name))
            added = tuple(x for f in self.features for x in getattr(f, name) if not any(x is y for y in own))
            object.__setattr__(self, name, own + added)

    def operation(self, key: str) -> Operation:
        for op in self.operations:
            if op.key == key:
                return op
        raise KeyError(f"{self.key}: undeclared operation {key!r}")
