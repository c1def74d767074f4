"""What the business register declares to the platform (PLAT-2): routes, operations, jobs, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.frame.applications.feature import feature as applications
from govstat.platform.subsystems.frame.events import EVENTS
from govstat.platform.subsystems.frame.maintenance.feature import feature as maintenance
from govstat.platform.subsystems.frame.pages import pages
from govstat.platform.subsystems.frame.routes import register
from govstat.platform.subsystems.frame.tables import ALL

module = Module(
    key="frame",
    name_ja="事業所母集団データベース",
    name_en="Business register",
    users="agencies, operator",
    routers=(register, pages),
    tables=tuple(ALL),
    operations=(
        Operation("frame.search", "母集団の検索", unit="row"),
        Operation("frame.read", "事業所の履歴・抽出結果の参照"),
        Operation("frame.list", "調査実施予定・抽出の一覧", unit="row"),
        Operation("frame.survey", "統計調査実施予定の登録"),
        Operation("frame.draw", "標本抽出（恒久乱数）", unit="row"),
    ),
    events=EVENTS,
    nav=(("/frame", "事業所母集団 / Business register"),),
    features=(applications, maintenance),
    piccolo_app="govstat.platform.subsystems.frame.piccolo_app",
)
