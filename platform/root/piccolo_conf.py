"""Piccolo's configuration: the engine and every app that owns migrations.

This is part of the composition root: it is the one place that names the
platform, tenants, gateway, ops and every subsystem together.
"""

from piccolo.conf.apps import AppRegistry

from govstat.platform.db.engine import DB  # noqa: F401  (Piccolo reads DB from here)

CORE_APPS = [
    "govstat.platform.piccolo_app",
    "govstat.tenants.piccolo_app",
    "govstat.gateway.piccolo_app",
    "govstat.ops.piccolo_app",
]


def _subsystem_apps() -> list[str]:
    from govstat.platform.subsystems.registry import MODULES

    return [m.piccolo_app for m in MODULES if m.piccolo_app]


APP_REGISTRY = AppRegistry(apps=CORE_APPS + _subsystem_apps())
