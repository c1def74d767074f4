"""Usage event ids without `uuid4` per call (issue 15): a random prefix per process and a counter.

The id is a usage event's idempotency key all the way (the open record's field, the stream, the
outbox takes an id once), so it must be unique across processes and restarts (nothing relies on
its being unguessable). Each process draws 60 random bits once (again in a forked child)
and counts in the low 62 bits; the version (4) and variant bits are set as in a random UUID, so
the ids are ordinary UUIDs to every reader. Made without `uuid.UUID.__init__`'s argument checks
and with its text made from the prefix's text, built once.
"""

from __future__ import annotations

import itertools
import os
import uuid

_VARIANT = 0x8000_0000_0000_0000  # RFC 9562 variant bits '10' at the top of the low 64 bits
_COUNTER_MASK = (1 << 62) - 1
_new = object.__new__
_set = object.__setattr__
_SAFE = uuid.SafeUUID.unknown


def _seed() -> None:
    global _high, _prefix, _counter
    high = int.from_bytes(os.urandom(8), "big")
    _high = ((high & ~(0xF << 12)) | (0x4 << 12)) << 64  # version 4
    text = f"{_high >> 64:016x}"
    _prefix = f"{text[:8]}-{text[8:12]}-{text[12:16]}-"
    _counter = itertools.count(int.from_bytes(os.urandom(2), "big"))  # not 0: ids differ from a restart's at once


_high = 0
_prefix = ""
_counter = itertools.count()
_seed()
os.register_at_fork(after_in_child=_seed)


def next_id() -> tuple[uuid.UUID, str]:
    """A new event id, and its text (the open record's field)."""
    low = _VARIANT | (next(_counter) & _COUNTER_MASK)
    value = _new(uuid.UUID)
    _set(value, "int", _high | low)
    _set(value, "is_safe", _SAFE)
    return value, f"{_prefix}{low >> 48:04x}-{low & 0xFFFF_FFFF_FFFF:012x}"
