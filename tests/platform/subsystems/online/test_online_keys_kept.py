"""The surveys' unwrapped data keys kept in a process are bounded (issue 10 §7 / issue 15 §4): past
KEYS_KEPT the oldest is dropped (its next use unwraps it again); a survey's own key is replaced, not
kept twice. A kept key serves only the wrapped key it was opened from, as read by the caller: a
shredded key (no row) is refused and dropped, another key is unwrapped, never answered by the old."""

from __future__ import annotations

import uuid

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from govstat.platform.subsystems.online import keys


def _aes() -> AESGCM:
    return AESGCM(AESGCM.generate_key(bit_length=256))


def _wrapped(survey_id: uuid.UUID) -> tuple[keys.Wrapped, bytes]:
    key_id, master = keys.master_key()
    raw = AESGCM.generate_key(bit_length=256)
    return keys.Wrapped(master_key_id=key_id, wrapped=keys.seal(AESGCM(master), raw, survey_id.bytes)), raw


def test_the_open_keys_are_bounded_oldest_first(monkeypatch):
    monkeypatch.setattr(keys, "KEYS_KEPT", 3)
    monkeypatch.setattr(keys, "_open_keys", {})
    surveys = [uuid.uuid4() for _ in range(5)]
    for s in surveys:
        keys._keep(s, s.bytes, _aes())
    assert list(keys._open_keys) == surveys[2:]
    keys._keep(surveys[4], b"another", _aes())  # again: still three
    assert list(keys._open_keys) == surveys[2:]


def test_a_kept_key_serves_only_its_own_wrapped_key(monkeypatch):
    monkeypatch.setattr(keys, "_open_keys", {})
    survey = uuid.uuid4()
    first, raw = _wrapped(survey)
    aes = keys.opened(survey, first)
    assert keys.opened(survey, first) is aes  # kept: not unwrapped again
    sealed = keys.seal(aes, b"answer", b"aad")
    assert keys.unseal(AESGCM(raw), sealed, b"aad") == b"answer"

    second, raw2 = _wrapped(survey)  # the row now holds another key: the kept one must not answer
    other = keys.opened(survey, second)
    assert other is not aes and keys.unseal(AESGCM(raw2), keys.seal(other, b"x", b""), b"") == b"x"

    with pytest.raises(keys.Erased) as refused:  # shredded: no row
        keys.opened(survey, None)
    assert refused.value.status == 410 and survey not in keys._open_keys
