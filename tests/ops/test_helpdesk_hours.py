"""GOV-11: phone hours from the holiday calendar, business-time targets across weekends and holidays."""

import datetime as dt

import pytest

from govstat.ops.helpdesk.calendar import JST, add_business_minutes, business_seconds_between, holiday_name, phone_open
from govstat.ops.helpdesk.metrics import measure, summarize
from govstat.ops.helpdesk.rows import TicketTimes
from govstat.ops.helpdesk.schemas import TargetMeasure
from tests.support.factories import csrf_headers, make_tenant, operator_client_csrf
from tests.support.helpdesk_factories import record_ticket


def jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JST)


CASES = [  # (when, phone line open?)
    (jst(2026, 1, 10, 10, 0), False),  # a Saturday
    (jst(2026, 1, 7, 20, 30), False),  # a Wednesday after 20:00
    (jst(2026, 1, 1, 10, 0), False),  # New Year's Day, a Thursday
    (jst(2025, 5, 6, 10, 0), False),  # a substitute holiday (振替休日), a Tuesday
    (jst(2026, 1, 7, 10, 0), True),  # a normal Wednesday morning
    (jst(2026, 1, 7, 9, 0), True),  # opening time
    (jst(2026, 1, 7, 19, 59), True),  # the last minute
    (jst(2026, 1, 7, 20, 0), False),  # closed at 20:00
]


@pytest.mark.parametrize("when,open_", CASES)
def test_phone_hours(when, open_):
    assert phone_open(when) is open_
    assert phone_open(when.astimezone(dt.UTC)) is open_  # the zone of the instant does not matter


def test_holidays_come_from_the_library():
    assert holiday_name(dt.date(2025, 5, 6)) is not None  # 振替休日 (5/4 Greenery Day fell on a Sunday)
    assert holiday_name(dt.date(2026, 9, 22)) is not None  # 国民の休日 between two holidays
    assert holiday_name(dt.date(2026, 1, 12)) is not None  # 成人の日, second Monday of January
    assert holiday_name(dt.date(2026, 1, 7)) is None


async def test_recorded_phone_calls_are_accepted_or_out_of_hours(client):
    tenant = await make_tenant()
    h = csrf_headers(await operator_client_csrf(client))
    seen = {}
    for when, _open in CASES[:5]:
        t = await record_ticket(
            client,
            h,
            channel="phone",
            requester_kind="agency",
            tenant_id=str(tenant.id),
            subject="操作方法",
            received_at=when.isoformat(),
        )
        seen[when] = t["out_of_hours"]
    assert seen == {when: not open_ for when, open_ in CASES[:5]}
    mail = await record_ticket(
        client,
        h,
        channel="email",
        requester_kind="general",
        subject="統計表の所在",
        received_at=CASES[0][0].isoformat(),
    )
    assert mail["out_of_hours"] is False  # e-mail: 24 hours


def test_business_time_skips_weekends_and_holidays():
    # Friday 2026-01-09 19:30; Sat, Sun and Monday 1/12 (成人の日) are not business days
    friday = jst(2026, 1, 9, 19, 30)
    assert add_business_minutes(friday, 60) == jst(2026, 1, 13, 9, 30)
    assert business_seconds_between(friday, jst(2026, 1, 13, 9, 30)) == 3600
    # a mail on Saturday: one business day (9:00-20:00) from the next opening, Tuesday
    assert add_business_minutes(jst(2026, 1, 10, 3, 0), 660) == jst(2026, 1, 13, 20, 0)
    # three business days from Friday 19:30: 30 min Fri + Tue + Wed + 10.5 h Thu
    assert add_business_minutes(friday, 3 * 660) == jst(2026, 1, 15, 19, 30)
    # Golden Week 2025: Sat 5/3 - Tue 5/6 are all off (the 6th a substitute holiday)
    assert add_business_minutes(jst(2025, 5, 2, 19, 0), 120) == jst(2025, 5, 7, 10, 0)


async def test_targets_are_fixed_at_receipt_in_business_time(client):
    h = csrf_headers(await operator_client_csrf(client))
    t = await record_ticket(
        client,
        h,
        channel="phone",
        requester_kind="general",
        subject="e-Statの使い方",
        received_at="2026-01-09T19:30:00+09:00",
    )
    assert dt.datetime.fromisoformat(t["first_response_due"]) == jst(2026, 1, 13, 9, 30)
    assert dt.datetime.fromisoformat(t["resolution_due"]) == jst(2026, 1, 15, 19, 30)
    mail = await record_ticket(
        client, h, channel="email", requester_kind="general", subject="API", received_at="2026-01-10T03:00:00+09:00"
    )
    assert dt.datetime.fromisoformat(mail["first_response_due"]) == jst(2026, 1, 13, 20, 0)


def _ticket(channel, received, first=None, resolved=None):
    from govstat.ops.helpdesk.metrics import due_times

    return TicketTimes(
        channel=channel,
        received_at=received,
        first_response_at=first,
        resolved_at=resolved,
        **due_times(channel, received),
    )


def test_measures_and_summary_count_met_missed_pending_with_business_medians():
    friday = jst(2026, 1, 9, 19, 30)
    now = jst(2026, 1, 20, 12, 0)
    met = _ticket("phone", friday, first=jst(2026, 1, 13, 9, 15), resolved=jst(2026, 1, 14, 10, 0))
    late = _ticket("phone", friday, first=jst(2026, 1, 13, 9, 45))  # 75 business minutes: missed
    waiting = _ticket("email", jst(2026, 1, 20, 11, 0))  # due 1/21 11:00: pending
    m = measure(met, now)
    assert m.first_response.status == "met" and m.first_response.business_minutes == 45.0
    assert m.resolution.status == "met"
    assert measure(late, now).first_response == TargetMeasure(
        due=jst(2026, 1, 13, 9, 30), at=jst(2026, 1, 13, 9, 45), status="missed", business_minutes=75.0
    )
    assert measure(late, now).resolution.status == "missed"  # never resolved, past due
    s = summarize([met, late, waiting], now)
    assert s.tickets == 3
    fr, res = s.first_response, s.resolution
    assert (fr.met, fr.missed, fr.pending) == (1, 1, 1)
    assert fr.median_business_minutes == 60.0  # of 45 and 75
    assert s.by_channel["phone"].first_response.missed == 1
    assert s.by_channel["email"].first_response.pending == 1
    assert (res.met, res.missed, res.pending) == (1, 1, 1)
