import pathlib

from piccolo.conf.apps import AppConfig

from govstat.platform.subsystems.estat.tables import ALL

APP_CONFIG = AppConfig(
    app_name="estat",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=list(ALL),
    migration_dependencies=["govstat.platform.subsystems.statdb.piccolo_app"],
)
