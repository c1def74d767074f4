"""Helpdesk factories: tickets the operator records at the desk (GOV-11), through the API."""

from __future__ import annotations

TICKETS = "/api/ops/helpdesk/tickets"


async def record_ticket(client, headers: dict[str, str], **ticket: object) -> dict:
    """A ticket recorded as the operator (POST /api/ops/helpdesk/tickets, 201): the ticket as answered."""
    r = await client.post(TICKETS, headers=headers, json=ticket)
    assert r.status_code == 201, r.text
    return r.json()
