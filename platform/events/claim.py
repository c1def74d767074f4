"""Where the relay's next claim starts (issue 15 §3): past the rows it last claimed, not at the
outbox's first index entry.

A published row leaves the `outbox_pending` index only when vacuum removes its old version, and
vacuum (and the index's own clean-up of dead entries) waits for the oldest snapshot in the cluster:
one long transaction, or a replication slot's horizon, leaves every row published since in the
index. A claim from the start of the index then walks all of them: 170 ms for a claim that found
nothing, measured here with an idle replica slot holding the horizon, on every claim of a burst.

So the relay claims `seq > after`, where `after` is the highest seq it claimed. A row committed
late with a lower seq (its transaction began before the rows claimed since) is not lost: a claim
that finds nothing past `after`, and every claim once `FULL_EVERY` has passed, starts from the
beginning again, as every claim did before. Such a row leaves at most `FULL_EVERY` later.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

FULL_EVERY = 1.0  # seconds: at least this often a claim starts from the first pending row


class ClaimCursor:
    def __init__(self) -> None:
        self.after = 0
        self._full_at = time.monotonic()

    def start(self) -> int:
        """The seq the next claim starts after (0: from the beginning)."""
        if time.monotonic() - self._full_at >= FULL_EVERY:
            self.reset()
        return self.after

    def reset(self) -> None:
        """From the beginning (a claim past `after` found nothing, a failure, the periodic sweep)."""
        self.after = 0
        self._full_at = time.monotonic()

    def claimed(self, rows: Sequence[Any]) -> None:
        if rows:
            self.after = max(self.after, max(int(row["seq"]) for row in rows))
