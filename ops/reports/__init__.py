"""Yearly reports and the annual operation plan: the report to the liaison meeting and the report to MIC
(GOV-13; 約款 第7), issued as snapshots, and the plan drawn from the agencies' answers to a survey of
their planned use and wanted briefings (GOV-14; 約款 第8)."""

from govstat.ops.reports import answer_pages, pages, plan_routes, routes
from govstat.ops.reports.access import OPERATIONS
from govstat.ops.reports.tables import TABLES

ROUTERS = (routes.router, plan_routes.router, pages.router, answer_pages.router)
JOBS: tuple = ()
CONSUMERS: tuple = ()
EVENTS: tuple = ()

__all__ = ["CONSUMERS", "EVENTS", "JOBS", "OPERATIONS", "ROUTERS", "TABLES"]
