"""Tables of the e-Stat portal and API (DDL in piccolo_migrations/)."""

from piccolo.columns import (
    JSONB,
    UUID,
    BigInt,
    BigSerial,
    Boolean,
    Bytea,
    Char,
    Integer,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class Dataset(Table, tablename="estat_dataset"):
    id = UUID(primary_key=True)
    dataset_id = Varchar(length=30)
    owner_id = UUID()
    name = Text()
    stats_data_id = Char(length=10)
    conditions = JSONB()
    public = Boolean()
    created_at = Timestamptz()


class Synonym(Table, tablename="estat_synonym"):
    id = BigSerial(primary_key=True)
    word = Text()
    synonym = Text()
    created_at = Timestamptz()


class Release(Table, tablename="estat_release"):
    # ESTAT-3: the public read model of announced and published tables (portal/releases.py)
    release_key = Text(primary_key=True)
    tenant_id = UUID()
    kind = Varchar(length=8)
    stats_data_id = Char(length=10, null=True, default=None)
    file_id = UUID(null=True, default=None)
    gov_stat_code = Varchar(length=8)
    stat_name = Text()
    agency_code = Varchar(length=16)
    agency_name = Text()
    title = Text()
    table_no = Text()
    survey_date = Text()
    publish_at = Timestamptz()
    status = Varchar(length=16)
    published_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz()


class Subscription(Table, tablename="estat_subscription"):
    owner_id = UUID(primary_key=True)  # key: (owner_id, gov_stat_code)
    gov_stat_code = Varchar(length=8)
    created_at = Timestamptz()


class Notification(Table, tablename="estat_notification"):
    id = UUID(primary_key=True)
    owner_id = UUID()
    release_key = Text()
    gov_stat_code = Varchar(length=8)
    email = Text()
    status = Varchar(length=8)
    attempts = Integer()
    last_error = Text()
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz()


class SavedQuery(Table, tablename="estat_saved_query"):
    id = UUID(primary_key=True)
    owner_id = UUID()
    name = Text()
    stats_data_id = Char(length=10)
    params = JSONB()
    created_at = Timestamptz()


class Questionnaire(Table, tablename="estat_questionnaire"):
    id = UUID(primary_key=True)
    title = Text()
    description = Text()
    audience = Varchar(length=16)
    show_results = Boolean()
    status = Varchar(length=16)
    created_by = Text()
    created_at = Timestamptz()
    published_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)


class Question(Table, tablename="estat_question"):
    id = UUID(primary_key=True)
    questionnaire_id = UUID()
    position = SmallInt()
    kind = Varchar(length=8)
    text = Text()
    required = Boolean()
    choices = JSONB()


class Response(Table, tablename="estat_response"):
    id = UUID(primary_key=True)
    questionnaire_id = UUID()
    respondent = Text()
    answered_at = Timestamptz()


class Answer(Table, tablename="estat_answer"):
    response_id = UUID(primary_key=True)  # key: (response_id, question_id, choice)
    question_id = UUID()
    choice = SmallInt(null=True, default=None)
    text = Text(null=True, default=None)


class LodGraph(Table, tablename="estat_lod_graph"):
    # issue 14 §4: each published table's RDF for the SPARQL store (lod/graphs.py)
    stats_data_id = Char(length=10, primary_key=True)
    generation = BigInt()
    data = Bytea(null=True, default=None)
    triples = Integer()
    updated_at = Timestamptz()


ALL = [
    Dataset,
    Synonym,
    Release,
    Subscription,
    Notification,
    SavedQuery,
    Questionnaire,
    Question,
    Response,
    Answer,
    LodGraph,
]
