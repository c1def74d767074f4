"""What the regional statistics subsystem declares to the platform (PLAT-2): routes, operations,
tables, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.region.events import EVENTS
from govstat.platform.subsystems.region.pages import pages
from govstat.platform.subsystems.region.routes import api
from govstat.platform.subsystems.region.tables import ALL

module = Module(
    key="region",
    name_ja="地域統計分析システム",
    name_en="Regional statistics",
    users="public, agencies",
    routers=(api, pages),
    tables=tuple(ALL),
    operations=(
        Operation("region.catalogue", "地域統計の項目一覧・項目定義の参照", unit="row"),
        Operation("region.series", "地域別時系列（市町村合併の組替え）", unit="row"),
        Operation("region.ranking", "地域別ランキング", unit="row"),
        Operation("region.define", "項目定義の維持管理"),
    ),
    events=EVENTS,
    piccolo_app="govstat.platform.subsystems.region.piccolo_app",
    nav=(("/region", "地域統計 / Regional statistics"),),
    probe="/api/region/indicators",
)
