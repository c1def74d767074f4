"""The platform's own tables. The DDL is in piccolo_migrations/platform_0001_core.py."""

from piccolo.columns import UUID, Array, BigInt, BigSerial, Bytea, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401  (sets PICCOLO_CONF before any table class exists)


class Outbox(Table, tablename="outbox"):
    # events wait here until the relay has handed them to Kafka (PLAT-3)
    id = UUID(primary_key=True)
    seq = BigInt()
    tenant_id = UUID(null=True, default=None)
    kind = Varchar(length=16)
    topic_suffix = Varchar(length=32)
    payload = Bytea()
    created_at = Timestamptz()
    published_at = Timestamptz(null=True, default=None)
    attempts = Integer()
    last_error = Text(null=True, default=None)  # the last failed send (platform_0003)


class ProcessedEvent(Table, tablename="processed_event"):
    # consumers drop duplicates by (consumer, event id)
    id = BigSerial(primary_key=True)
    consumer = Varchar(length=200)  # a read model's name, or a shared group's (platform_0004)
    event_id = UUID()
    processed_at = Timestamptz()


class MarkerGroup(Table, tablename="marker_group"):
    # a shared group's marker name and the read models it stands for (events/markers.py)
    name = Varchar(length=200, primary_key=True)
    members = Array(base_column=Text())
    created_at = Timestamptz()


class MarkerActivity(Table, tablename="marker_activity"):
    # when a marker name last marked an event (events/markers.py)
    name = Varchar(length=200, primary_key=True)
    last_at = Timestamptz()


class ReadModelDetached(Table, tablename="read_model_detached"):
    # a read model its shared group stopped carrying, until it rejoins (events/detach.py, platform_0005)
    id = BigSerial(primary_key=True)
    shared_group = Varchar(length=200)
    read_model = Varchar(length=64)
    reason = Text()
    alert_ref = Varchar(length=100)
    detached_at = Timestamptz()
    rejoined_at = Timestamptz(null=True, default=None)


class ConsumerOffsetLag(Table, tablename="consumer_lag"):
    id = BigSerial(primary_key=True)
    consumer = Varchar(length=64)
    topic = Varchar(length=128)
    partition = Integer()
    lag = BigInt()
    measured_at = Timestamptz()
