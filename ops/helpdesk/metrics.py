"""Service targets of the helpdesk and how tickets measure against them (GOV-11, GOV-17).

Targets in business time (calendar.py): first response within 1 business hour for a phone call,
within 1 business day for an e-mail or the web form; resolution within 3 business days. A
forward counts as the first response (the requester is told who will answer). The due times are
fixed when the ticket is received.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from typing import Any

from govstat.ops.helpdesk.calendar import BUSINESS_DAY_MINUTES, add_business_minutes, business_seconds_between

FIRST_RESPONSE_MINUTES = {"phone": 60, "email": BUSINESS_DAY_MINUTES, "web": BUSINESS_DAY_MINUTES}
RESOLUTION_MINUTES = 3 * BUSINESS_DAY_MINUTES
TARGETS = {"first_response": "first_response_at", "resolution": "resolved_at"}


def due_times(channel: str, received_at: dt.datetime) -> dict[str, dt.datetime]:
    return {
        "first_response_due": add_business_minutes(received_at, FIRST_RESPONSE_MINUTES[channel]),
        "resolution_due": add_business_minutes(received_at, RESOLUTION_MINUTES),
    }


def measure(ticket: dict[str, Any], now: dt.datetime) -> dict[str, dict[str, Any]]:
    """Per target: due, done at, status (met / missed / pending) and business minutes taken so far."""
    out = {}
    for target, column in TARGETS.items():
        due, done = ticket[f"{target}_due"], ticket[column]
        if done is not None:
            status = "met" if done <= due else "missed"
        else:
            status = "missed" if now > due else "pending"
        taken = business_seconds_between(ticket["received_at"], done or now) / 60
        out[target] = {"due": due, "at": done, "status": status, "business_minutes": round(taken, 1)}
    return out


def summarize(tickets: Iterable[dict[str, Any]], now: dt.datetime) -> dict[str, Any]:
    """Met / missed / pending counts and the median business minutes of what was done, per target,
    overall and per channel."""

    def empty() -> dict[str, dict[str, Any]]:
        return {t: {"met": 0, "missed": 0, "pending": 0, "minutes": []} for t in TARGETS}

    overall, by_channel, count = empty(), {c: empty() for c in FIRST_RESPONSE_MINUTES}, 0
    for ticket in tickets:
        count += 1
        for target, m in measure(ticket, now).items():
            for bucket in (overall[target], by_channel[ticket["channel"]][target]):
                bucket[m["status"]] += 1
                if m["at"] is not None:
                    bucket["minutes"].append(m["business_minutes"])

    def finish(buckets: dict[str, dict[str, Any]]) -> dict[str, Any]:
        return {
            t: {
                "met": b["met"],
                "missed": b["missed"],
                "pending": b["pending"],
                "median_business_minutes": round(statistics.median(b["minutes"]), 1) if b["minutes"] else None,
            }
            for t, b in buckets.items()
        }

    return {
        "tickets": count,
        "targets": {"first_response_minutes": FIRST_RESPONSE_MINUTES, "resolution_minutes": RESOLUTION_MINUTES},
        **finish(overall),
        "by_channel": {c: finish(b) for c, b in by_channel.items()},
    }
