"""Operations (運用管理): monitoring, incidents, helpdesk, governance records and reports.

Each part is a package exporting ROUTERS, OPERATIONS, JOBS, CONSUMERS and EVENTS; this module assembles them.
"""

from govstat.ops import governance, helpdesk, incidents, monitoring, reports
from govstat.ops.consumers import CONSUMERS as READ_MODEL_CONSUMERS
from govstat.ops.jobs import OUTBOX_CLEANUP
from govstat.ops.tables import ALL
from govstat.platform.module import Module

PARTS = (monitoring, incidents, helpdesk, governance, reports)
CONSUMERS = (*READ_MODEL_CONSUMERS, *(c for p in PARTS for c in p.CONSUMERS))

module = Module(
    key="ops",
    name_ja="運用管理",
    name_en="Operations",
    users="operator, agencies",
    routers=tuple(r for p in PARTS for r in p.ROUTERS),
    tables=tuple(ALL),
    operations=tuple(o for p in PARTS for o in p.OPERATIONS),
    jobs=(OUTBOX_CLEANUP, *(j for p in PARTS for j in p.JOBS)),
    events=tuple(e for p in PARTS for e in p.EVENTS),
    consumers=CONSUMERS,
    piccolo_app="govstat.ops.piccolo_app",
)
