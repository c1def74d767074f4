"""What the classification subsystem declares to the platform (PLAT-2): routes, operations, jobs, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.classification.jobs import RELOAD
from govstat.platform.subsystems.classification.pages import pages
from govstat.platform.subsystems.classification.routes import api
from govstat.platform.subsystems.classification.tables import ALL

module = Module(
    key="classification",
    name_ja="統計分類データベース",
    name_en="Statistical classifications",
    users="public",
    routers=(api, pages),
    tables=tuple(ALL),
    operations=(
        Operation("classification.search", "統計分類の検索", unit="row"),
        Operation("classification.read", "統計分類の参照"),
        Operation("classification.download", "統計分類・対応表のダウンロード", unit="row"),
        Operation("classification.changes", "改定による変更の参照", unit="row"),
        Operation("classification.maintain", "統計分類の再読込（運用管理機関）"),
    ),
    jobs=(RELOAD.job,),
    events=(),
    piccolo_app="govstat.platform.subsystems.classification.piccolo_app",
    nav=(("/classification", "分類 / Classifications"),),
    probe="/api/classification/versions",
)
