"""Monitoring dashboards over the read models (PLAT-3, PLAT-4)."""

from govstat.ops.monitoring.routes import router
from govstat.platform.module import Operation

ROUTERS = (router,)
OPERATIONS = (Operation("ops.read", "運用状況の参照"), Operation("ops.audit", "監査ログの検索"))
JOBS: tuple = ()
CONSUMERS: tuple = ()
EVENTS: tuple = ()
