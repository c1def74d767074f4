"""Event ids grow with time (events/ids.py: the layout of UUID version 7), so that the outbox's and
the markers' indexes are written at their right-hand edge; and they stay unique."""

import time
import uuid

from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.events.ids import event_id


def test_event_ids_are_version_7_unique_and_ordered_by_their_millisecond():
    before = time.time_ns() // 1_000_000
    ids = [event_id() for _ in range(20_000)]
    after = time.time_ns() // 1_000_000
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert len(set(ids)) == len(ids)
    millis = [i.int >> 80 for i in ids]
    assert before <= millis[0] and millis == sorted(millis) and millis[-1] <= after
    time.sleep(0.002)
    assert event_id() > max(ids)  # a later millisecond sorts after every earlier id
    assert new_event(UsagePayload(module="m", operation="o", principal_kind="public")).id.version == 7


def test_the_twelve_bits_after_the_version_are_random_of_their_own():
    """74 random bits, as the layout says: the 12 after the version are not a copy of 12 of the low 62
    (they were: 62 random bits per millisecond, h19 review)."""
    ids = [event_id().int for _ in range(200)]
    assert sum((i >> 64) & 0xFFF == (i >> 12) & 0xFFF for i in ids) < 10
    assert len({(i >> 64) & 0xFFF for i in ids}) > 150
