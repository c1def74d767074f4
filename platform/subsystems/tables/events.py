"""The domain events of the table files (統計表ファイル): what other parts may follow (estat's
release calendar reads the schedule and publication events)."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.events.domain import DomainEvent


class FileFinalised(DomainEvent, tag="tables.file_finalised"):
    file_id: uuid.UUID
    stats_data_id: str | None = None  # the database table handed over from it, if any


class FileScheduled(DomainEvent, tag="tables.file_scheduled"):
    """公表予約: announced for publish_at (or announced again)."""

    file_id: uuid.UUID
    publish_at: dt.datetime


class FilePublished(DomainEvent, tag="tables.file_published"):
    file_id: uuid.UUID
    title: str
    gov_stat_code: str
    table_no: str
    publish_at: dt.datetime
    stats_data_id: str | None = None  # the database table published with it, if any


class FileReplaced(DomainEvent, tag="tables.file_replaced"):
    """差替え: a published file replaced by a new one (version); the previous one stays readable."""

    file_id: uuid.UUID
    version: int
    reason: str
    replaced_at: dt.datetime


class FileWithdrawn(DomainEvent, tag="tables.file_withdrawn"):
    """取り下げ: a published file is no longer served; its row says when and why."""

    file_id: uuid.UUID
    reason: str


EVENTS = (FileFinalised, FileScheduled, FilePublished, FileReplaced, FileWithdrawn)
