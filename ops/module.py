"""Operations (運用管理): monitoring read models fed from Kafka."""
from govstat.platform.module import Module, Operation
from govstat.ops.jobs import OUTBOX_CLEANUP
from govstat.ops.tables import ALL

module = Module(
    key="ops",
    name_ja="運用管理",
    name_en="Operations",
    users="operator",
    routers=(),
    tables=tuple(ALL),
    operations=(Operation("ops.read", "運用状況の参照"),),
    jobs=(OUTBOX_CLEANUP,),
    piccolo_app="govstat.ops.piccolo_app",
)
