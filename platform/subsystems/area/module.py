"""What the area subsystem declares to the platform (PLAT-2): routes, operations, jobs, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.area.events import EVENTS
from govstat.platform.subsystems.area.jobs import RELOAD
from govstat.platform.subsystems.area.pages import pages
from govstat.platform.subsystems.area.routes import api
from govstat.platform.subsystems.area.tables import ALL

module = Module(
    key="area",
    name_ja="標準地域コード管理システム",
    name_en="Standard area codes",
    users="public, agencies",
    routers=(api, pages),
    tables=tuple(ALL),
    operations=(
        Operation("area.search", "地域コードの検索", unit="row"),
        Operation("area.read", "地域コードの参照"),
        Operation("area.history", "廃置分合等の追跡"),
        Operation("area.changes", "廃置分合等情報の検索", unit="row"),
        Operation("area.export", "地域コード一覧の一括取得（機関API）", unit="row"),
        Operation("area.maintain", "地域コード・廃置分合等の維持管理"),
    ),
    jobs=(RELOAD.job,),
    events=EVENTS,
    piccolo_app="govstat.platform.subsystems.area.piccolo_app",
    nav=(("/area", "地域コード / Area codes"),),
    probe="/api/area/codes?limit=1",
)
