"""Tables of enumerator management (調査員管理): tenant rows; enumerators' personal data is visible
to the owning tenant only (the migration's policy has no cross-tenant reader)."""

from piccolo.columns import UUID, Date, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class Enumerator(Table, tablename="enum_enumerator"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    name = Text()
    name_kana = Text()
    phone = Varchar(length=32)
    email = Text()
    appointed_from = Date()
    appointed_to = Date()
    status = Varchar(length=16)
    note = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Assignment(Table, tablename="enum_assignment"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    enumerator_id = UUID()
    survey_name = Text()
    survey_date = Date()
    area_code = Varchar(length=5)
    area_name = Text()
    status = Varchar(length=8)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class AssignmentChange(Table, tablename="enum_assignment_change"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    assignment_id = UUID()
    old_code = Varchar(length=5)
    new_code = Varchar(length=5)
    effective_on = Date()
    reason = Text()
    changed_by = Text()
    changed_at = Timestamptz()


ALL = [Enumerator, Assignment, AssignmentChange]
