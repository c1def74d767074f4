"""Governance records (運営記録): briefings (GOV-10), regulations and their acknowledgement (GOV-8),
improvement and change requests (GOV-16, GOV-5), the liaison meeting (GOV-7) and the yearly
security audit (GOV-15)."""

from litestar import Router

from govstat.ops.governance import events, records_routes, routes
from govstat.ops.governance.access import OPERATIONS
from govstat.ops.governance.pages import router as pages_router

ROUTERS = (Router(path="/", route_handlers=[*routes.CONTROLLERS, *records_routes.CONTROLLERS]), pages_router)
JOBS: tuple = ()
CONSUMERS: tuple = ()
EVENTS = events.EVENTS  # domain events it emits

__all__ = ["CONSUMERS", "EVENTS", "JOBS", "OPERATIONS", "ROUTERS"]
