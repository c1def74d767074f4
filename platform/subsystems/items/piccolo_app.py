import pathlib

from piccolo.conf.apps import AppConfig

from govstat.platform.subsystems.items.tables import ALL

APP_CONFIG = AppConfig(
    app_name="items",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=list(ALL),
    # tenant_id refers to the tenants app. Classifications and metadata records are read through
    # their owners' published.py, never tied by a foreign key (both reload or version on their own).
    migration_dependencies=["govstat.tenants.piccolo_app"],
)
