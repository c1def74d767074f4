"""Piccolo's configuration: the engine and every app that owns migrations.

This is part of the composition root: it is the one place that names the
platform, tenants, gateway, ops and every subsystem together.
"""

from piccolo.conf.apps import AppRegistry

from govstat.platform.db.engine import DB  # noqa: F401  (Piccolo reads DB from here)
from govstat.platform.root.catalog import CATALOG

# The platform's own tables first, then every module's (the parts', then the subsystems').
APP_REGISTRY = AppRegistry(apps=["govstat.platform.piccolo_app", *CATALOG.piccolo_apps])
