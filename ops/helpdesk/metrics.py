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

from govstat.ops.helpdesk.calendar import BUSINESS_DAY_MINUTES, add_business_minutes, business_seconds_between
from govstat.ops.helpdesk.rows import TicketTimes
from govstat.ops.helpdesk.schemas import ChannelSummary, Summary, TargetMeasure, TargetMinutes, Targets, TargetSummary

FIRST_RESPONSE_MINUTES = {"phone": 60, "email": BUSINESS_DAY_MINUTES, "web": BUSINESS_DAY_MINUTES}
RESOLUTION_MINUTES = 3 * BUSINESS_DAY_MINUTES
TARGETS = ("first_response", "resolution")


def due_times(channel: str, received_at: dt.datetime) -> dict[str, dt.datetime]:
    """The ticket's due columns (first_response_due, resolution_due), fixed when it is received."""
    return {
        "first_response_due": add_business_minutes(received_at, FIRST_RESPONSE_MINUTES[channel]),
        "resolution_due": add_business_minutes(received_at, RESOLUTION_MINUTES),
    }


def _measure(received: dt.datetime, due: dt.datetime, done: dt.datetime | None, now: dt.datetime) -> TargetMeasure:
    if done is not None:
        status = "met" if done <= due else "missed"
    else:
        status = "missed" if now > due else "pending"
    taken = business_seconds_between(received, done or now) / 60
    return TargetMeasure(due=due, at=done, status=status, business_minutes=round(taken, 1))


def measure(ticket: TicketTimes, now: dt.datetime) -> Targets:
    """Per target: due, done at, status (met / missed / pending) and business minutes taken so far."""
    t = ticket
    return Targets(
        first_response=_measure(t.received_at, t.first_response_due, t.first_response_at, now),
        resolution=_measure(t.received_at, t.resolution_due, t.resolved_at, now),
    )


class _Tally:
    """Counts and the business minutes of what was done, for one target."""

    def __init__(self) -> None:
        self.counts = {"met": 0, "missed": 0, "pending": 0}
        self.minutes: list[float] = []

    def add(self, m: TargetMeasure) -> None:
        self.counts[m.status] += 1
        if m.at is not None:
            self.minutes.append(m.business_minutes)

    def summary(self) -> TargetSummary:
        median = round(statistics.median(self.minutes), 1) if self.minutes else None
        return TargetSummary(**self.counts, median_business_minutes=median)


def summarize(tickets: Iterable[TicketTimes], now: dt.datetime) -> Summary:
    """Met / missed / pending counts and the median business minutes of what was done, per target,
    overall and per channel."""
    overall = {t: _Tally() for t in TARGETS}
    by_channel = {c: {t: _Tally() for t in TARGETS} for c in FIRST_RESPONSE_MINUTES}
    count = 0
    for ticket in tickets:
        count += 1
        targets = measure(ticket, now)
        for target in TARGETS:
            m: TargetMeasure = getattr(targets, target)
            overall[target].add(m)
            by_channel[ticket.channel][target].add(m)
    return Summary(
        tickets=count,
        targets=TargetMinutes(first_response_minutes=FIRST_RESPONSE_MINUTES, resolution_minutes=RESOLUTION_MINUTES),
        first_response=overall["first_response"].summary(),
        resolution=overall["resolution"].summary(),
        by_channel={
            c: ChannelSummary(first_response=b["first_response"].summary(), resolution=b["resolution"].summary())
            for c, b in by_channel.items()
        },
    )
