"""Piccolo app for the platform's own tables (outbox, processed events, job log)."""

import pathlib

from piccolo.conf.apps import AppConfig

from govstat.platform.tables import ConsumerOffsetLag, Outbox, ProcessedEvent

APP_CONFIG = AppConfig(
    app_name="platform",
    migrations_folder_path=pathlib.Path(__file__).parent / "piccolo_migrations",
    table_classes=[Outbox, ProcessedEvent, ConsumerOffsetLag],
)
