"""The consumer of the incident topic: alerts become incidents (GOV-12, PLAT-3).

The SLA's burn-rate evaluation (which also covers the synthetic probes) raises IncidentPayload
events: "detected" when an alert starts, "escalated" when a more severe rule fires, "monitoring"
when it clears. A detected alert opens an incident (or joins the module's open one), unless the
module is in planned maintenance: then it is recorded as suppressed. Our own events on the same
topic (detail.source == "ops.incidents") are facts about incidents, not alerts, and are skipped;
alerts are keyed by their incident_id, so a repeated alert never opens a second incident.
"""

from __future__ import annotations

import logging

from govstat.ops.incidents import service
from govstat.ops.incidents.alerts import receive_alert
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import Envelope, IncidentPayload

log = logging.getLogger("govstat.ops.incidents")


class IncidentConsumer(Consumer):
    name = "ops-incidents"
    topic_suffixes = ("incident",)

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(catalog)
        self.catalog: Catalog = catalog  # required here: the notices an incident sends name its module

    async def handle(self, uow: UnitOfWork, event: Envelope) -> None:
        p = event.payload
        if not isinstance(p, IncidentPayload):
            return
        if isinstance(p.detail, dict) and p.detail.get("source") == service.SOURCE:
            return
        outcome = await receive_alert(uow, self.catalog, p, event.occurred_at)
        log.info("incident event %s (%s %s %s): %s", event.id, p.module, p.state, p.incident_id, outcome)
