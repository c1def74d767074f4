"""The domain events of the statistics database (統計表): what other parts may follow (estat's
release calendar reads the schedule and publication events)."""

from __future__ import annotations

import datetime as dt

from govstat.platform.events.domain import DomainEvent


class TableRegistered(DomainEvent, tag="statdb.table_registered"):
    stats_data_id: str
    test_mode: bool = False


class TableScheduled(DomainEvent, tag="statdb.table_scheduled"):
    """公表予約: announced for publish_at (or announced again)."""

    stats_data_id: str
    publish_at: dt.datetime


class TablePublished(DomainEvent, tag="statdb.table_published"):
    stats_data_id: str
    title: str
    publish_at: dt.datetime


class TableDeleted(DomainEvent, tag="statdb.table_deleted"):
    stats_data_id: str


class TableRevised(DomainEvent, tag="statdb.table_revised"):
    """訂正 (kind "correction": values replaced) or 追加 ("extension": new periods appended) of a
    published table: a new version; the earlier ones stay readable."""

    stats_data_id: str
    version: int
    change: str  # correction | extension
    reason: str
    title: str
    revised_at: dt.datetime


class TableWithdrawn(DomainEvent, tag="statdb.table_withdrawn"):
    """取り下げ: a published table is no longer served; its row says when and why."""

    stats_data_id: str
    reason: str


EVENTS = (TableRegistered, TableScheduled, TablePublished, TableDeleted, TableRevised, TableWithdrawn)
