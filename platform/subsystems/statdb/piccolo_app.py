import pathlib

from piccolo.conf.apps import AppConfig

from govstat.platform.subsystems.statdb.tables import ALL

APP_CONFIG = AppConfig(
    app_name="statdb",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=list(ALL),
    # stat_table.source_file_id refers to the tables module's table_file (the hand-off).
    migration_dependencies=["govstat.platform.subsystems.tables.piccolo_app"],
)
