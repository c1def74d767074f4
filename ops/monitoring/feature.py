"""What the monitoring dashboards add to the ops module."""

from govstat.ops.monitoring.jobs import REPLICATION_CHECK
from govstat.ops.monitoring.routes import router
from govstat.platform.module import Feature, Operation

feature = Feature(
    name="monitoring",
    routers=(router,),
    operations=(
        Operation("ops.read", "運用状況の参照"),
        Operation("ops.audit", "監査ログの検索"),
        Operation("ops.replay", "デッドレターの再処理"),
    ),
    jobs=(REPLICATION_CHECK,),
)
