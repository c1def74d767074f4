"""Envelope encryption of answers (調査票情報), one data key per survey.

Each survey has its own AES-256-GCM data key. It is stored only wrapped (encrypted) by the master key
from the settings (`GOVSTAT_ONLINE_MASTER_KEY`, or one derived from the secret key), in its own table
beside the answers, never inside them: a copy of the answer tables alone opens nothing, and deleting
a survey's key makes its answers unreadable for good (the retention job's crypto-shredding). Every
value is sealed with a fresh 96-bit nonce and bound (AAD) to where it belongs, so a ciphertext copied
onto another submission or item fails to open.

Every process keeps the keys it unwrapped, but never trusts its copy alone: each use shows the key
row as read in the caller's unit of work (`Wrapped`, or None once shredded), and a kept key serves
only the very wrapped key it was opened from. So once the retention job deletes a survey's key, no
process opens its answers again, whichever process ran the job. The hot paths (a submission, a
draft, a page turn) get the row from the statement that already reads the unit and its survey
(`context.load`): no round trip more; the agency's reads read it themselves (`data_key`)."""

from __future__ import annotations

import hashlib
import os
import uuid

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Gone, GovstatError
from govstat.platform.settings import get_settings

NONCE = 12
# surveys' data keys once unwrapped (no unwrapping per submission), each beside the wrapped key it was
# opened from, the oldest dropped past the bound: a dropped key is unwrapped again on its next use
_open_keys: dict[uuid.UUID, tuple[bytes, AESGCM]] = {}
KEYS_KEPT = 1024


class Erased(Gone):
    slug, title = "erased", "消去されました / Erased"


ERASED = "この調査の回答は保存期間を過ぎて消去されました / this survey's answers were erased"


class Wrapped(msgspec.Struct, frozen=True):
    """A survey's data key as stored. The wrapped bytes are also the key's identity in the cache: a
    new key (fresh random key, fresh nonce) is never wrapped alike."""

    master_key_id: str
    wrapped: bytes


def _keep(survey_id: uuid.UUID, wrapped: bytes, aes: AESGCM) -> AESGCM:
    if survey_id not in _open_keys and len(_open_keys) >= KEYS_KEPT:
        _open_keys.pop(next(iter(_open_keys)))
    _open_keys[survey_id] = (wrapped, aes)
    return aes


def master_key() -> tuple[str, bytes]:
    """(key id, key): the configured master key, or one derived from the secret key (HKDF-SHA256)."""
    settings = get_settings()
    if settings.online_master_key:
        key = bytes.fromhex(settings.online_master_key)
    else:
        hkdf = HKDF(algorithm=SHA256(), length=32, salt=b"govstat-online", info=b"answers master key")
        key = hkdf.derive(settings.secret_key.encode())
    return hashlib.sha256(key).hexdigest()[:16], key


def seal(aes: AESGCM, plain: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + aes.encrypt(nonce, plain, aad)


def unseal(aes: AESGCM, sealed: bytes, aad: bytes) -> bytes:
    try:
        return aes.decrypt(sealed[:NONCE], sealed[NONCE:], aad)
    except InvalidTag as exc:
        raise GovstatError("回答の復号に失敗しました / an answer failed its integrity check") from exc


async def create_data_key(uow: UnitOfWork, survey_id: uuid.UUID, tenant_id: uuid.UUID) -> None:
    key_id, master = master_key()
    data_key = AESGCM.generate_key(bit_length=256)
    wrapped = seal(AESGCM(master), data_key, survey_id.bytes)
    await uow.execute(
        "INSERT INTO online_survey_key (survey_id, tenant_id, master_key_id, wrapped) VALUES ($1, $2, $3, $4)",
        survey_id,
        tenant_id,
        key_id,
        wrapped,
    )
    _keep(survey_id, wrapped, AESGCM(data_key))


def opened(survey_id: uuid.UUID, found: Wrapped | None) -> AESGCM:
    """The survey's data key, from its row as read in this unit of work (None: shredded, 410)."""
    if found is None:
        forget(survey_id)  # this process's copy goes too, at the first use after the shredding
        raise Erased(ERASED)
    kept = _open_keys.get(survey_id)
    if kept is not None and kept[0] == found.wrapped:
        return kept[1]
    key_id, master = master_key()
    if found.master_key_id != key_id:
        raise GovstatError(f"master key {found.master_key_id} is not configured (have {key_id})")
    return _keep(survey_id, found.wrapped, AESGCM(unseal(AESGCM(master), found.wrapped, survey_id.bytes)))


async def stored(uow: UnitOfWork, survey_id: uuid.UUID) -> Wrapped | None:
    row = await uow.fetchrow("SELECT master_key_id, wrapped FROM online_survey_key WHERE survey_id = $1", survey_id)
    return None if row is None else Wrapped(master_key_id=row["master_key_id"], wrapped=bytes(row["wrapped"]))


async def data_key(uow: UnitOfWork, survey_id: uuid.UUID) -> AESGCM:
    """The survey's data key, its row read in this unit of work (one round trip; unwrapped once per process)."""
    return opened(survey_id, await stored(uow, survey_id))


def forget(survey_id: uuid.UUID) -> None:
    _open_keys.pop(survey_id, None)
