"""Tables of the on-site microdata system; the DDL and its row-level security are in the migration."""

from piccolo.columns import (
    JSONB,
    UUID,
    Array,
    BigInt,
    Bytea,
    Date,
    DoublePrecision,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class OnsiteDataset(Table, tablename="onsite_dataset"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    survey_name = Text()
    gov_stat_code = Varchar(length=8)
    year = Integer()
    unit_kind = Varchar(length=16)
    title = Text()
    variables = JSONB()
    threshold = Integer()
    dominance_k = Integer()
    dominance_p = DoublePrecision()
    protection_pct = DoublePrecision()
    retention_until = Date()
    status = Varchar(length=16)
    row_count = BigInt()
    sha256 = Text()
    wrapped_key = Bytea(null=True, default=None)
    key_nonce = Bytea(null=True, default=None)
    created_by = Text()
    created_at = Timestamptz()
    loaded_at = Timestamptz(null=True, default=None)
    purged_at = Timestamptz(null=True, default=None)


class OnsiteDatasetBlob(Table, tablename="onsite_dataset_blob"):
    dataset_id = UUID(primary_key=True)
    tenant_id = UUID()
    nonce = Bytea()
    ciphertext = Bytea()


class OnsiteFacility(Table, tablename="onsite_facility"):
    id = UUID(primary_key=True)
    name = Text()
    address = Text()
    ranges = Array(base_column=Text())
    created_at = Timestamptz()


class OnsiteDevice(Table, tablename="onsite_device"):
    id = UUID(primary_key=True)
    facility_id = UUID()
    label = Text()
    key_hash = Text()
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class OnsiteGrant(Table, tablename="onsite_grant"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    researcher_id = UUID()
    researcher_name = Text()
    purpose = Text()
    dataset_ids = Array(base_column=Text())
    variables = Array(base_column=Text())
    facility_ids = Array(base_column=Text())
    starts_on = Date()
    ends_on = Date()
    status = Varchar(length=16)
    expires_at = Timestamptz(null=True, default=None)
    decided_by = Text(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decision_note = Text()
    created_at = Timestamptz()


class OnsiteVisit(Table, tablename="onsite_visit"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    grant_id = UUID()
    researcher_id = UUID()
    facility_id = UUID()
    device_id = UUID()
    client_ip = Text()
    opened_at = Timestamptz()
    last_seen_at = Timestamptz()
    closed_at = Timestamptz(null=True, default=None)
    close_reason = Text()


class OnsiteOutput(Table, tablename="onsite_output"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    visit_id = UUID()
    grant_id = UUID()
    researcher_id = UUID()
    dataset_id = UUID()
    spec = JSONB()
    verdict = Varchar(length=20)
    reasons = JSONB()
    cells = JSONB()
    evidence = JSONB()
    elapsed_ms = DoublePrecision()
    created_at = Timestamptz()
    review_requested_at = Timestamptz(null=True, default=None)
    review_reason = Text()
    reviewed_by = Text(null=True, default=None)
    reviewed_at = Timestamptz(null=True, default=None)
    review_note = Text()


ALL = [OnsiteDataset, OnsiteDatasetBlob, OnsiteFacility, OnsiteDevice, OnsiteGrant, OnsiteVisit, OnsiteOutput]
