"""The surveys' unwrapped data keys kept in a process are bounded (issue 10 §7 / issue 15 §4): past
KEYS_KEPT the oldest is dropped (its next use reads and unwraps it again); a survey's own key is
replaced, not kept twice."""

from __future__ import annotations

import uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from govstat.platform.subsystems.online import keys


def test_the_open_keys_are_bounded_oldest_first(monkeypatch):
    monkeypatch.setattr(keys, "KEYS_KEPT", 3)
    monkeypatch.setattr(keys, "_open_keys", {})
    surveys = [uuid.uuid4() for _ in range(5)]
    for s in surveys:
        keys._keep(s, AESGCM(AESGCM.generate_key(bit_length=256)))
    assert list(keys._open_keys) == surveys[2:]
    keys._keep(surveys[4], AESGCM(AESGCM.generate_key(bit_length=256)))  # again: still three
    assert list(keys._open_keys) == surveys[2:]
