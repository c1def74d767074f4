import pathlib

from piccolo.conf.apps import AppConfig

from govstat.platform.subsystems.tables.tables import ALL

APP_CONFIG = AppConfig(
    app_name="tables",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=list(ALL),
    # provision_class and table_file refer to tenant and gov_statistic (the tenants app).
    migration_dependencies=["govstat.tenants.piccolo_app"],
)
