import pathlib

from piccolo.conf.apps import AppConfig

from govstat.platform.subsystems.onsite.tables import ALL

APP_CONFIG = AppConfig(
    app_name="onsite",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=list(ALL),
    migration_dependencies=["govstat.tenants.piccolo_app"],
)
