"""The indicator catalogue of the regional statistics. Shared reference data: everyone reads, only the
operator changes (row-level security `shared`)."""

from piccolo.columns import JSONB, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class RegionIndicator(Table, tablename="region_indicator"):
    # one item (項目) of the catalogue: drawn from statdb tables (base) or computed from other items
    code = Varchar(length=16, primary_key=True)
    position = Integer()
    name_ja = Text()
    name_en = Text()
    definition = Text()  # 項目定義, maintained by the operator
    unit = Text()
    kind = Varchar(length=16)  # base | share | change | density
    sources = JSONB()  # base: [{"table": statsDataId, "select": {obj_id: code}, "parts_as_of": date}]
    operands = JSONB()  # derived: the items it is computed from
    updated_by = Text()
    updated_at = Timestamptz()


ALL = [RegionIndicator]
