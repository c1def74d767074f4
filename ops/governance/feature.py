"""What the governance records add to the ops module."""

from litestar import Router

from govstat.ops.governance import events
from govstat.ops.governance.access import OPERATIONS
from govstat.ops.governance.pages import router as pages_router
from govstat.ops.governance.routes import records, rules
from govstat.platform.module import Feature

feature = Feature(
    name="governance",
    routers=(Router(path="/", route_handlers=[*rules.CONTROLLERS, *records.CONTROLLERS]), pages_router),
    operations=OPERATIONS,
    events=events.EVENTS,
)
