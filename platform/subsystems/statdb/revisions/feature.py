"""What versions (訂正・追加・取り下げ) add to the statdb module."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.statdb.revisions.routes import api

feature = Feature(
    name="revisions",
    routers=(api,),
    operations=(
        Operation("statdb.revise", "公表済み統計表の訂正・期間の追加", unit="file"),
        Operation("statdb.withdraw", "公表済み統計表の取り下げ"),
    ),
)
