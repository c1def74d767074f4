"""What the statdb subsystem declares to the platform (PLAT-2): routes, operations, jobs, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.statdb.check.feature import feature as check
from govstat.platform.subsystems.statdb.events import EVENTS
from govstat.platform.subsystems.statdb.index_job import INDEX_JOB
from govstat.platform.subsystems.statdb.jobs import PUBLISH_JOB
from govstat.platform.subsystems.statdb.pages import pages
from govstat.platform.subsystems.statdb.revisions.feature import feature as revisions
from govstat.platform.subsystems.statdb.routes import api
from govstat.platform.subsystems.statdb.tables import ALL

module = Module(
    key="statdb",
    name_ja="統計情報データベース",
    name_en="Statistical database",
    users="agencies",
    routers=(api, pages),
    features=(check, revisions),
    tables=tuple(ALL),
    operations=(
        Operation("statdb.list", "統計表の一覧", unit="row"),
        Operation("statdb.read", "統計表情報の参照"),
        Operation("statdb.register", "統計表の登録（パラメータファイル・一括登録・テストモード）", unit="file"),
        Operation("statdb.validate", "パラメータファイルの検証"),
        Operation("statdb.data", "統計データの取得（機関API）", unit="row"),
        Operation("statdb.preview", "公開前の確認（テストモード）", unit="row"),
        Operation("statdb.download", "統計データのダウンロード"),
        Operation("statdb.schedule", "公表予約"),
        Operation("statdb.delete", "統計表の削除"),
        Operation("statdb.usage", "利用状況の参照"),
    ),
    jobs=(PUBLISH_JOB, INDEX_JOB),
    events=EVENTS,
    piccolo_app="govstat.platform.subsystems.statdb.piccolo_app",
    nav=(("/statdb", "統計DB / Statistical DB"),),
)
