import pathlib

from piccolo.conf.apps import AppConfig

from govstat.platform.subsystems.frame.tables import ALL

APP_CONFIG = AppConfig(
    app_name="frame",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=list(ALL),
    # planned surveys, applications and draws refer to tenant (the tenants app).
    migration_dependencies=["govstat.tenants.piccolo_app"],
)
