"""Tables of the e-Stat portal and API (DDL in piccolo_migrations/)."""
from piccolo.columns import JSONB, UUID, BigSerial, Boolean, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class Dataset(Table, tablename="estat_dataset"):
    id = UUID(primary_key=True)
    dataset_id = Varchar(length=30)
    owner_id = UUID()
    name = Text()
    stats_data_id = Varchar(length=10)
    conditions = JSONB()
    public = Boolean()
    created_at = Timestamptz()


class Synonym(Table, tablename="estat_synonym"):
    id = BigSerial(primary_key=True)
    word = Text()
    synonym = Text()
    created_at = Timestamptz()


ALL = [Dataset, Synonym]
