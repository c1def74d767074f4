"""Tables of the survey items database. Registry rows (definition units, code lists, items) are
public metadata written only by their tenant; questionnaire versions are public once published.

Composite keys and the guards (a published definition and the item and code list versions it uses
never change) live in the migration; Piccolo needs one primary key column, so the child classes
below name the leading key column."""

from piccolo.columns import JSONB, UUID, Boolean, Integer, Numeric, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class ItemsDefinitionUnit(Table, tablename="items_definition_unit"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    code = Varchar(length=32)
    name_ja = Text()
    name_en = Text()
    description = Text()
    created_at = Timestamptz()


class ItemsCodeList(Table, tablename="items_code_list"):
    id = Varchar(length=64, primary_key=True)
    tenant_id = UUID()
    current_version = Integer()
    created_at = Timestamptz()


class ItemsCodeListVersion(Table, tablename="items_code_list_version"):
    code_list_id = Varchar(length=64, primary_key=True)  # key: (code_list_id, version)
    version = Integer()
    tenant_id = UUID()
    name_ja = Text()
    name_en = Text()
    classification_version = Varchar(length=32, null=True, default=None)
    options = JSONB()
    fixed = Boolean()
    created_at = Timestamptz()


class ItemsItem(Table, tablename="items_item"):
    id = Varchar(length=63, primary_key=True)
    tenant_id = UUID()
    definition_unit_id = UUID(null=True, default=None)
    current_version = Integer()
    created_at = Timestamptz()


class ItemsItemVersion(Table, tablename="items_item_version"):
    item_id = Varchar(length=63, primary_key=True)  # key: (item_id, version)
    version = Integer()
    tenant_id = UUID()
    label_ja = Text()
    label_en = Text()
    definition_ja = Text()
    definition_en = Text()
    answer_type = Varchar(length=16)
    unit = Text()
    minimum = Numeric(null=True, default=None)
    maximum = Numeric(null=True, default=None)
    max_length = Integer(null=True, default=None)
    code_list_id = Varchar(length=64, null=True, default=None)
    code_list_version = Integer(null=True, default=None)
    fixed = Boolean()
    search = Text()
    created_at = Timestamptz()


class ItemsQuestionnaire(Table, tablename="items_questionnaire"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    survey = Varchar(length=32)
    cycle = Varchar(length=32)
    created_at = Timestamptz()


class ItemsQuestionnaireVersion(Table, tablename="items_questionnaire_version"):
    questionnaire_id = UUID(primary_key=True)  # key: (questionnaire_id, version)
    version = Integer()
    tenant_id = UUID()
    status = Varchar(length=16)  # draft | published | superseded
    title_ja = Text()
    respondent_unit = Varchar(length=16)
    definition = JSONB()
    search = Text()
    published_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ItemsQuestionnaireItem(Table, tablename="items_questionnaire_item"):
    questionnaire_id = UUID(primary_key=True)  # key: (questionnaire_id, version, position)
    version = Integer()
    tenant_id = UUID()
    position = Integer()
    item_id = Varchar(length=63)
    item_version = Integer()


ALL = [
    ItemsDefinitionUnit,
    ItemsCodeList,
    ItemsCodeListVersion,
    ItemsItem,
    ItemsItemVersion,
    ItemsQuestionnaire,
    ItemsQuestionnaireVersion,
    ItemsQuestionnaireItem,
]
