"""Tables of the statistical metadata registry (統計メタデータレジストリ). Tenant rows under row-level
security; published (and superseded, once published) versions and their content are public.

Composite keys and the lifecycle guards live in the migration; Piccolo needs one primary key
column, so the child classes below name the leading key column (they serve metadata and reads)."""

from piccolo.columns import UUID, Char, Date, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class MetadataRecord(Table, tablename="metadata_record"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    gov_stat_code = Varchar(length=8)
    created_by = Text()
    created_at = Timestamptz()


class MetadataVersion(Table, tablename="metadata_version"):
    id = UUID(primary_key=True)
    record_id = UUID()
    tenant_id = UUID()
    version_no = Integer()
    status = Varchar(length=16)  # draft | finalised | published | superseded
    survey_name = Text()
    survey_name_en = Text()
    purpose = Text()
    legal_basis = Text()
    population = Text()
    observation_unit = Text()
    cycle = Text()
    method = Text()
    reference_date = Date(null=True, default=None)
    period_from = Date(null=True, default=None)
    period_to = Date(null=True, default=None)
    contact = Text()
    finalised_at = Timestamptz(null=True, default=None)
    finalised_by = Text(null=True, default=None)
    approved_at = Timestamptz(null=True, default=None)
    approved_by = Text(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    superseded_at = Timestamptz(null=True, default=None)
    review_note = Text()
    created_by = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()


class MetadataItem(Table, tablename="metadata_item"):
    version_id = UUID(primary_key=True)  # key: (version_id, position)
    tenant_id = UUID()
    position = Integer()
    code = Varchar(length=32)
    name = Text()
    definition = Text()
    unit = Text()
    value_type = Varchar(length=16)


class MetadataClassification(Table, tablename="metadata_classification"):
    version_id = UUID(primary_key=True)  # key: (version_id, position)
    tenant_id = UUID()
    position = Integer()
    classification_version = Varchar(length=32, null=True, default=None)
    classification_name = Text()
    item_code = Varchar(length=8, null=True, default=None)
    item_name = Text()
    free_text = Text(null=True, default=None)
    applies_to = Text()
    note = Text()


class MetadataTableLink(Table, tablename="metadata_table_link"):
    version_id = UUID(primary_key=True)  # key: (version_id, position)
    tenant_id = UUID()
    position = Integer()
    stats_data_id = Char(length=10, null=True, default=None)
    table_file_id = UUID(null=True, default=None)
    note = Text()


ALL = [MetadataRecord, MetadataVersion, MetadataItem, MetadataClassification, MetadataTableLink]
