"""What incidents add to the ops module."""

from govstat.ops.incidents.consumers import IncidentConsumer
from govstat.ops.incidents.notify import NOTIFY, SWEEP
from govstat.ops.incidents.routes import router
from govstat.platform.module import Feature, Operation

feature = Feature(
    name="incidents",
    routers=(router,),
    operations=(
        Operation("ops.incidents", "障害の管理・参照"),
        Operation("ops.maintenance", "計画保守の管理"),
        Operation("ops.notices", "お知らせの参照"),
        Operation("ops.status", "稼働状況の公開"),
    ),
    jobs=(NOTIFY, SWEEP),
    consumers=(IncidentConsumer,),
)
