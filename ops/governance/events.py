"""Governance's domain events (decisions/0008)."""

from __future__ import annotations

from typing import ClassVar

from govstat.platform.events.domain import BillableEvent


class CostAssigned(BillableEvent, tag="change_request.cost_assigned"):
    """An agency-specific change's cost, the requesting agency's (GOV-5); source_ref is the request number."""

    charge_kind: ClassVar[str] = "agency_change"


EVENTS = (CostAssigned,)
