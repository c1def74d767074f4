"""What the tables subsystem declares to the platform (PLAT-2): routes, operations, jobs, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.tables.events import EVENTS
from govstat.platform.subsystems.tables.jobs import PUBLISH_JOB
from govstat.platform.subsystems.tables.pages import pages
from govstat.platform.subsystems.tables.revisions.feature import feature as revisions
from govstat.platform.subsystems.tables.routes import api
from govstat.platform.subsystems.tables.tables import ALL

module = Module(
    key="tables",
    name_ja="統計表管理システム",
    name_en="Statistical table management",
    users="agencies",
    routers=(api, pages),
    features=(revisions,),
    tables=tuple(ALL),
    operations=(
        Operation("tables.list", "統計表ファイル・提供分類の一覧", unit="row"),
        Operation("tables.read", "統計表ファイル情報の参照"),
        Operation("tables.classes", "提供分類の管理"),
        Operation("tables.register", "統計表ファイルの登録", unit="file"),
        Operation("tables.download", "統計表ファイルのダウンロード", unit="file"),
        Operation("tables.finalise", "統計表ファイルの確定"),
        Operation("tables.schedule", "公表予約"),
        Operation("tables.delete", "統計表ファイルの削除"),
        Operation("tables.usage", "利用状況の参照"),
    ),
    jobs=(PUBLISH_JOB,),
    events=EVENTS,
    piccolo_app="govstat.platform.subsystems.tables.piccolo_app",
    nav=(("/tables", "統計表 / Tables"),),
)
