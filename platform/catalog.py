"""The catalog: every Module the running system is made of, built once by the composition root.

The composition root (platform/root/) reads the subsystem registry, adds the platform's own
parts and hands this one value in: Litestar application state and the `catalog` dependency for
routes, the `catalog` template global for pages, and plain arguments for the worker, the
monitor and the CLI. Nothing else reads the registry, so no part reaches sideways for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govstat.platform.jobs.spec import JobSpec
from govstat.platform.module import Module, Operation

STATE_KEY = "catalog"  # Litestar app.state key, dependency name and template global


@dataclass(frozen=True)
class Catalog:
    parts: tuple[Module, ...]  # the platform's own parts (auth, gateway, ops): always on, never subscribed to
    subsystems: tuple[Module, ...]  # what agencies subscribe to, in the registry's order

    @property
    def modules(self) -> tuple[Module, ...]:
        return self.parts + self.subsystems

    @property
    def subsystem_keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.subsystems)

    def by_key(self, key: str) -> Module:
        """Any module, part or subsystem; KeyError for an unknown key."""
        for m in self.modules:
            if m.key == key:
                return m
        raise KeyError(key)

    def names(self, key: str) -> tuple[str, str]:
        """(ja, en) of a subsystem; the key itself for anything else (a platform part, a key gone)."""
        for m in self.subsystems:
            if m.key == key:
                return m.name_ja, m.name_en
        return key, key

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for m in self.modules for op in m.operations)

    @property
    def jobs(self) -> tuple[JobSpec[Any], ...]:
        return tuple(j for m in self.modules for j in m.jobs)

    @property
    def consumers(self) -> tuple[type, ...]:
        return tuple(c for m in self.modules for c in m.consumers)

    @property
    def nav(self) -> tuple[tuple[str, str], ...]:
        """The portal menu: each subsystem's (path, label) links."""
        return tuple(link for m in self.subsystems for link in m.nav)

    @property
    def piccolo_apps(self) -> tuple[str, ...]:
        return tuple(m.piccolo_app for m in self.modules if m.piccolo_app)
