"""What the reports and the plan add to the ops module."""

from govstat.ops.reports import answer_pages, pages, plan_routes, routes
from govstat.ops.reports.access import OPERATIONS
from govstat.platform.module import Feature

feature = Feature(
    name="reports",
    routers=(routes.router, plan_routes.router, pages.router, answer_pages.router),
    operations=OPERATIONS,
)
