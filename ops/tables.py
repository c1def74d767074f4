"""Read models of operations (DDL in piccolo_migrations/)."""

from piccolo.columns import JSONB, UUID, BigInt, BigSerial, Char, Float, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class AuditLog(Table, tablename="audit_log"):
    seq = BigSerial(primary_key=True)
    event_id = UUID()
    tenant_id = UUID(null=True, default=None)
    occurred_at = Timestamptz()
    recorded_at = Timestamptz()
    action = Text()
    actor = Text()
    actor_kind = Text()
    target_type = Text()
    target_id = Text()
    module = Text()
    outcome = Text()
    detail = JSONB()
    prev_hash = Char(length=64)
    hash = Char(length=64)


class UsageMinute(Table, tablename="usage_minute"):
    minute = Timestamptz(primary_key=True)  # the real key is composite (see migration)
    tenant_id = UUID(null=True, default=None)
    tenant_key = UUID()  # generated: tenant_id, or the nil uuid (a key column cannot be null)
    module = Varchar(length=32)
    operation = Varchar(length=64)
    principal_kind = Varchar(length=16)
    calls = Integer()
    errors = Integer()
    client_errors = Integer()
    units = BigInt()
    bytes = BigInt()
    latency_ms_sum = Float()
    latency_ms_max = Float()


ALL = [AuditLog, UsageMinute]
