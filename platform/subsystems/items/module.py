"""What the survey items database declares to the platform (PLAT-2): routes, operations, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.items.builder.feature import feature as builder
from govstat.platform.subsystems.items.events import EVENTS
from govstat.platform.subsystems.items.pages import pages
from govstat.platform.subsystems.items.routes import api
from govstat.platform.subsystems.items.tables import ALL

module = Module(
    key="items",
    name_ja="調査項目データベース",
    name_en="Survey items database",
    users="public, agencies",
    routers=(api, pages),
    tables=tuple(ALL),
    operations=(
        Operation("items.search", "調査項目・調査票の検索", unit="row"),
        Operation("items.read", "調査項目・調査票の参照"),
        Operation("items.export", "調査票の出力（DDI・JSON・XLSForm）"),
        Operation("items.maintain", "定義単位・符号表・調査項目の登録・更新"),
        Operation("items.build", "調査票定義の作成・更新"),
        Operation("items.publish", "調査票定義の公開"),
    ),
    events=EVENTS,
    piccolo_app="govstat.platform.subsystems.items.piccolo_app",
    nav=(("/items", "調査項目 / Survey items"),),
    probe="/api/items/search/items?limit=1",
    features=(builder,),
)
