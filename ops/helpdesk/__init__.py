"""The helpdesk (ヘルプデスク, GOV-11): tickets by phone, e-mail and web form, forwarding, service
targets in business time, and help outside the hours billed to the agency."""

from govstat.ops.helpdesk import events
from govstat.ops.helpdesk.pages import router as pages_router
from govstat.ops.helpdesk.routes import router
from govstat.platform.module import Operation

ROUTERS = (router, pages_router)
OPERATIONS = (Operation("ops.helpdesk", "ヘルプデスク"), Operation("ops.helpdesk.inquiry", "e-Stat お問合せフォーム"))
JOBS: tuple = ()
CONSUMERS: tuple = ()
EVENTS = events.EVENTS  # domain events it emits
