"""The catalog of modules, built once per process: the only reader of the subsystem registry.

Everything else gets this value handed in (see govstat.platform.catalog)."""

from __future__ import annotations

from govstat.gateway.module import module as gateway
from govstat.ops.module import module as ops
from govstat.platform.catalog import Catalog
from govstat.platform.subsystems.registry import MODULES
from govstat.tenants.module import module as auth


def build_catalog() -> Catalog:
    return Catalog(parts=(auth, gateway, ops), subsystems=tuple(MODULES))


CATALOG = build_catalog()
