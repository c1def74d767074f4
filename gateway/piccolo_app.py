import pathlib

from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(
    app_name="gateway",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=[],
    migration_dependencies=["govstat.tenants.piccolo_app"],
)
