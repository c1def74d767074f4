"""What SLA measurement adds to the gateway module."""

from govstat.gateway.sla.consumers import CONSUMERS
from govstat.gateway.sla.jobs import JOBS
from govstat.gateway.sla.routes import OPERATIONS, ROUTERS
from govstat.platform.module import Feature

feature = Feature(name="sla", routers=ROUTERS, operations=OPERATIONS, jobs=JOBS, consumers=CONSUMERS)
