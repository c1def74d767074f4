import pathlib

from piccolo.conf.apps import AppConfig

from govstat.platform.subsystems.gis.tables import ALL

APP_CONFIG = AppConfig(
    app_name="gis",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=list(ALL),
    migration_dependencies=["govstat.platform.piccolo_app", "govstat.platform.subsystems.area.piccolo_app"],
)
