"""What the reports and the plan add to the ops module."""

from govstat.ops.reports import pages, routes
from govstat.ops.reports.access import OPERATIONS
from govstat.ops.reports.plan import pages as plan_pages
from govstat.ops.reports.plan import routes as plan_routes
from govstat.platform.module import Feature

feature = Feature(
    name="reports",
    routers=(routes.router, plan_routes.router, pages.router, plan_pages.router),
    operations=OPERATIONS,
)
