"""What operations (運用管理) declare to the platform: the read models' consumers and housekeeping,
and the features' routes, jobs and consumers (monitoring, incidents, helpdesk, governance, reports)."""

from govstat.ops.consumers import CONSUMERS
from govstat.ops.governance.feature import feature as governance
from govstat.ops.helpdesk.feature import feature as helpdesk
from govstat.ops.incidents.feature import feature as incidents
from govstat.ops.jobs import MARKER_CLEANUP, OUTBOX_CLEANUP
from govstat.ops.monitoring.feature import feature as monitoring
from govstat.ops.reports.feature import feature as reports
from govstat.ops.tables import ALL
from govstat.platform.module import Module

module = Module(
    key="ops",
    name_ja="運用管理",
    name_en="Operations",
    users="operator, agencies",
    tables=tuple(ALL),
    jobs=(OUTBOX_CLEANUP, MARKER_CLEANUP),
    consumers=CONSUMERS,
    piccolo_app="govstat.ops.piccolo_app",
    features=(monitoring, incidents, helpdesk, governance, reports),
)
