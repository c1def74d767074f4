"""Envelope encryption of answers (調査票情報), one data key per survey.

Each survey has its own AES-256-GCM data key. It is stored only wrapped (encrypted) by the master key
from the settings (`GOVSTAT_ONLINE_MASTER_KEY`, or one derived from the secret key), in its own table
beside the answers, never inside them: a copy of the answer tables alone opens nothing, and deleting
a survey's key makes its answers unreadable for good (the retention job's crypto-shredding). Every
value is sealed with a fresh 96-bit nonce and bound (AAD) to where it belongs, so a ciphertext copied
onto another submission or item fails to open."""

from __future__ import annotations

import hashlib
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, NotFound
from govstat.platform.settings import get_settings

NONCE = 12
# surveys' data keys once unwrapped (no round trip per submission), the oldest dropped past the bound:
# a dropped key is read and unwrapped again on its next use
_open_keys: dict[uuid.UUID, AESGCM] = {}
KEYS_KEPT = 1024


def _keep(survey_id: uuid.UUID, aes: AESGCM) -> AESGCM:
    if survey_id not in _open_keys and len(_open_keys) >= KEYS_KEPT:
        _open_keys.pop(next(iter(_open_keys)))
    _open_keys[survey_id] = aes
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
    _keep(survey_id, AESGCM(data_key))


async def data_key(uow: UnitOfWork, survey_id: uuid.UUID) -> AESGCM:
    """The survey's data key, unwrapped (kept open in this process once read)."""
    aes = _open_keys.get(survey_id)
    if aes is not None:
        return aes
    row = await uow.fetchrow("SELECT master_key_id, wrapped FROM online_survey_key WHERE survey_id = $1", survey_id)
    if row is None:
        raise NotFound("この調査の回答は保存期間を過ぎて消去されました / this survey's answers were erased")
    key_id, master = master_key()
    if row["master_key_id"] != key_id:
        raise GovstatError(f"master key {row['master_key_id']} is not configured (have {key_id})")
    return _keep(survey_id, AESGCM(unseal(AESGCM(master), bytes(row["wrapped"]), survey_id.bytes)))


def forget(survey_id: uuid.UUID) -> None:
    _open_keys.pop(survey_id, None)
