"""What the helpdesk adds to the ops module."""

from govstat.ops.helpdesk import events
from govstat.ops.helpdesk.pages import router as pages_router
from govstat.ops.helpdesk.routes import router
from govstat.platform.module import Feature, Operation

feature = Feature(
    name="helpdesk",
    routers=(router, pages_router),
    operations=(
        Operation("ops.helpdesk", "ヘルプデスク"),
        Operation("ops.helpdesk.inquiry", "e-Stat お問合せフォーム"),
    ),
    events=events.EVENTS,
)
