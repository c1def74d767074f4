"""Tables of the business register (事業所母集団データベース). The register itself (enterprises,
establishments, PRNs, survey history, maintenance runs) is the operator's (`system_only`); planned
surveys, applications, draws and deliveries are the agency's tenant rows."""

from piccolo.columns import (
    JSONB,
    UUID,
    BigInt,
    BigSerial,
    Boolean,
    Bytea,
    Char,
    Date,
    DoublePrecision,
    Integer,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class FrameEnterprise(Table, tablename="frame_enterprise"):
    id = BigInt(primary_key=True)  # key: (id, valid_from)
    valid_from = Date()
    valid_to = Date(null=True, default=None)
    corporate_number = Char(length=13, null=True, default=None)
    name = Text()
    name_kana = Text()
    legal_form = Varchar(length=16)
    status = Varchar(length=8)
    change_kind = Varchar(length=16)
    change_reason = Text()
    changed_by = Text()


class FrameEstablishment(Table, tablename="frame_establishment"):
    id = BigInt(primary_key=True)  # key: (id, valid_from)
    valid_from = Date()
    valid_to = Date(null=True, default=None)
    enterprise_id = BigInt()
    role = Varchar(length=8)
    name = Text()
    name_kana = Text()
    area_code = Char(length=5)
    postal_code = Char(length=7)
    address = Text()
    jsic14 = Varchar(length=4)
    jsic13 = Varchar(length=4, null=True, default=None)
    employees = Integer()
    sales_class = SmallInt()
    status = Varchar(length=8)
    change_kind = Varchar(length=16)
    change_reason = Text()
    changed_by = Text()


class FramePrn(Table, tablename="frame_prn"):
    establishment_id = BigInt(primary_key=True)
    prn = DoublePrecision()
    assigned_on = Date()
    origin = Text()


class FrameSurvey(Table, tablename="frame_survey"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    name = Text()
    period_from = Date()
    period_to = Date()
    population = JSONB()
    sample_size = Integer()
    start_point = DoublePrecision()
    direction = SmallInt()
    created_by = Text()
    created_at = Timestamptz()


class FrameApplication(Table, tablename="frame_application"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    survey_id = UUID()
    purpose = Text()
    reference_date = Date()
    draw_sample = Boolean()
    design = Varchar(length=24)
    status = Varchar(length=12)
    population_count = Integer(null=True, default=None)
    draw_id = UUID(null=True, default=None)
    comment = Text()
    created_by = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()


class FrameStep(Table, tablename="frame_step"):
    id = BigSerial(primary_key=True)
    application_id = UUID()
    tenant_id = UUID()
    status = Varchar(length=12)
    actor = Text()
    at = Timestamptz()
    note = Text()


class FrameDraw(Table, tablename="frame_draw"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    survey_id = UUID(null=True, default=None)
    application_id = UUID(null=True, default=None)
    spec = JSONB()
    test = Boolean()
    population_count = Integer()
    sample_count = Integer()
    skipped_count = Integer()
    units_sha256 = Char(length=64)
    created_by = Text()
    created_at = Timestamptz()


class FrameSelection(Table, tablename="frame_selection"):
    draw_id = UUID(primary_key=True)  # key: (draw_id, establishment_id)
    establishment_id = BigInt()
    tenant_id = UUID()
    selected = Boolean()
    rank = Integer()
    prn = DoublePrecision()
    key = DoublePrecision()
    pi = DoublePrecision()
    reason = Text()


class FrameBurden(Table, tablename="frame_burden"):
    id = BigSerial(primary_key=True)
    establishment_id = BigInt()
    tenant_id = UUID()
    survey_id = UUID()
    draw_id = UUID()
    cycle = Text()
    selected_on = Date()
    responded = Boolean(null=True, default=None)


class FrameDelivery(Table, tablename="frame_delivery"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    application_id = UUID()
    format = Varchar(length=8)
    filename = Text()
    sha256 = Char(length=64)
    content = Bytea()
    rows = Integer()
    expires_at = Timestamptz()
    downloads = Integer()
    created_at = Timestamptz()


class FrameRun(Table, tablename="frame_run"):
    id = UUID(primary_key=True)
    kind = Varchar(length=16)
    status = Varchar(length=8)
    filename = Text()
    source = Bytea(null=True, default=None)
    effective_on = Date()
    total = Integer()
    done = Integer()
    report = JSONB()
    errors = JSONB()
    created_by = Text()
    created_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)


class FrameNameGram(Table, tablename="frame_name_gram"):
    """A bigram of an establishment's name or kana (frame_0002): the name search's index."""

    gram = Text(primary_key=True)  # key: (gram, establishment_id)
    establishment_id = BigInt()


ALL = [
    FrameEnterprise,
    FrameEstablishment,
    FrameNameGram,
    FramePrn,
    FrameSurvey,
    FrameApplication,
    FrameStep,
    FrameDraw,
    FrameSelection,
    FrameBurden,
    FrameDelivery,
    FrameRun,
]
