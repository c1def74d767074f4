"""The helpdesk's domain events (decisions/0008)."""

from __future__ import annotations

from typing import ClassVar

from govstat.platform.events.domain import BillableEvent


class OutOfHoursCharged(BillableEvent, tag="helpdesk.out_of_hours_charged"):
    """Help outside the hours, billed to the agency that asked (GOV-11); source_ref is the ticket number."""

    charge_kind: ClassVar[str] = "helpdesk_out_of_hours"


EVENTS = (OutOfHoursCharged,)
