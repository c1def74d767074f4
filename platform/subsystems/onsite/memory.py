"""Decoded datasets held in this process's memory for a few minutes, behind the row-level security
gate that datasets.content() passes on every call. At most MAX datasets; keyed by the content's
hash, so a reloaded dataset is never served stale; purging forgets it."""

from __future__ import annotations

import threading
import time
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

TTL_SECONDS = 300.0
MAX = 2
_lock = threading.Lock()
_held: dict[uuid.UUID, tuple[float, str, pa.Table]] = {}


def get(dataset_id: uuid.UUID, sha256: str) -> pa.Table | None:
    with _lock:
        entry = _held.get(dataset_id)
        if entry is None or entry[1] != sha256 or time.monotonic() - entry[0] > TTL_SECONDS:
            _held.pop(dataset_id, None)
            return None
        return entry[2]


def put(dataset_id: uuid.UUID, sha256: str, table: pa.Table) -> pa.Table:
    with _lock:
        now = time.monotonic()
        for key in [k for k, e in _held.items() if now - e[0] > TTL_SECONDS]:
            del _held[key]
        while len(_held) >= MAX:
            del _held[min(_held, key=lambda k: _held[k][0])]
        _held[dataset_id] = (now, sha256, table)
    return table


def forget(dataset_id: uuid.UUID) -> None:
    with _lock:
        _held.pop(dataset_id, None)
