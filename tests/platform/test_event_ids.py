"""Event ids (events/ids.py, one generator for every event, the gateway's usage events too): the
layout of UUID version 7, so that the outbox's and the markers' indexes are written at their
right-hand edge; growing within a process, unique across threads, processes and forks."""

import itertools
import multiprocessing
import threading
import time
import uuid

from govstat.platform.events import ids
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.events.ids import event_id, event_id_and_text

_TAIL = (1 << 48) - 1  # the counter's bits


def _process_bits(value: uuid.UUID) -> int:
    return (
        (value.int >> 48) & ((1 << 32) - 1) & ~(0xF << 28) & ~(0b11 << 14)
    )  # after the time, less version and variant


def test_event_ids_are_version_7_strictly_growing_and_carry_their_millisecond():
    before = time.time_ns() // 1_000_000
    made = [event_id() if i % 2 else event_id_and_text()[0] for i in range(20_000)]
    after = time.time_ns() // 1_000_000
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in made)
    assert all(a < b for a, b in itertools.pairwise(made))  # strictly: each after the one before
    millis = [i.int >> 80 for i in made]
    assert before <= millis[0] and millis[-1] <= after
    time.sleep(0.002)
    assert event_id() > max(made)
    assert new_event(UsagePayload(module="m", operation="o", principal_kind="public")).id.version == 7


def test_the_text_is_the_ids_own():
    for _ in range(3):
        value, text = event_id_and_text()
        assert text == str(value) and uuid.UUID(text) == value
        time.sleep(0.0015)  # a new millisecond: its text is made afresh


def test_a_clock_stepped_back_keeps_the_order_and_the_last_millisecond(monkeypatch):
    first = event_id()
    monkeypatch.setattr(ids, "_time_ns", lambda: (first.int >> 80) * 1_000_000 - 60_000_000_000)  # a minute back
    (second, text), third = event_id_and_text(), event_id()
    assert first < second < third and text == str(second)
    assert {v.int >> 80 for v in (second, third)} == {first.int >> 80}  # the last millisecond, kept
    made = ids._state
    assert ids._advance(made[0] - 1) is made and ids._state is made  # a thread late with an earlier one: no step back


def test_threads_never_share_an_id():
    made: list[list[uuid.UUID]] = [[] for _ in range(4)]

    def make(out: list[uuid.UUID]) -> None:
        for _ in range(20_000):
            out.append(event_id())

    threads = [threading.Thread(target=make, args=(out,)) for out in made]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for out in made for i in out]
    assert len(set(every)) == len(every) == 80_000
    assert all(out == sorted(out) for out in made)  # each thread's own ids grow


def _child(conn) -> None:
    conn.send([event_id_and_text() for _ in range(5_000)])
    conn.close()


def test_a_forked_child_draws_its_own_bits_and_counter():
    event_id()  # the parent's state is set before the fork
    ctx = multiprocessing.get_context("fork")
    children = []
    for _ in range(3):
        mine, theirs = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_child, args=(theirs,))
        process.start()
        children.append((process, mine))
    parent = [event_id() for _ in range(5_000)]
    got = []
    for process, pipe in children:
        got.append(pipe.recv())
        process.join(10)
        assert process.exitcode == 0
    every = parent + [v for made in got for v, _ in made]
    assert len(set(every)) == len(every)
    bits = {_process_bits(parent[0])} | {_process_bits(made[0][0]) for made in got}
    assert len(bits) == 4, "each forked child draws its own random bits"
    starts = {parent[0].int & _TAIL} | {made[0][0].int & _TAIL for made in got}
    assert len(starts) == 4, "... and its own counter"
    assert all(v.version == 7 and text == str(v) for made in got for v, text in made)
