"""Incidents (障害対応, GOV-12): lifecycle, affected agencies and their notification, post-incident
review, planned maintenance, and the public status page."""

from govstat.ops.incidents.consumer import IncidentConsumer
from govstat.ops.incidents.notify import NOTIFY, SWEEP
from govstat.ops.incidents.routes import router
from govstat.ops.incidents.tables import TABLES
from govstat.platform.module import Operation

ROUTERS = (router,)
OPERATIONS = (
    Operation("ops.incidents", "障害の管理・参照"),
    Operation("ops.maintenance", "計画保守の管理"),
    Operation("ops.notices", "お知らせの参照"),
    Operation("ops.status", "稼働状況の公開"),
)
JOBS = (NOTIFY, SWEEP)
CONSUMERS = (IncidentConsumer,)
EVENTS: tuple = ()

__all__ = ["CONSUMERS", "EVENTS", "JOBS", "OPERATIONS", "ROUTERS", "TABLES"]
