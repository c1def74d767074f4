import pathlib

from piccolo.conf.apps import AppConfig

from govstat.platform.subsystems.portal.tables import ALL

APP_CONFIG = AppConfig(
    app_name="portal",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=list(ALL),
    # notices and boards name tenants (the tenants app)
    migration_dependencies=["govstat.tenants.piccolo_app"],
)
