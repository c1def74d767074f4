import pathlib

from piccolo.conf.apps import AppConfig

from govstat.platform.subsystems.metadata.tables import ALL

APP_CONFIG = AppConfig(
    app_name="metadata",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=list(ALL),
    # metadata_record refers to tenant and gov_statistic (the tenants app). Statistical tables,
    # table files and classifications are read by SQL when needed, never tied by a foreign key.
    migration_dependencies=["govstat.tenants.piccolo_app"],
)
