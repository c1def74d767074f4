"""Envelope encryption of microdata at rest: each dataset has its own random 256-bit data key; the
content is sealed with AES-256-GCM under it, and the data key is kept only wrapped (AES-GCM) by the
master key from the settings. The dataset's id is the associated data of both, so a blob or a
wrapped key moved onto another dataset does not open. Purging a dataset drops its wrapped key:
without it the ciphertext is noise (crypto-shredding)."""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass

from govstat.platform.errors import ConfigError
from govstat.platform.settings import get_settings


@dataclass(frozen=True)
class Sealed:
    wrapped_key: bytes
    key_nonce: bytes
    nonce: bytes
    ciphertext: bytes


def master_key() -> bytes:
    settings = get_settings()
    if settings.onsite_master_key:
        try:
            key = bytes.fromhex(settings.onsite_master_key)
        except ValueError:
            key = b""
        if len(key) != 32:
            raise ConfigError("GOVSTAT_ONSITE_MASTER_KEY: 64 hex digits (a 256-bit key)")
        return key
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"govstat onsite master key (dev)")
    return hkdf.derive(settings.secret_key.encode())


def seal(dataset_id: uuid.UUID, plaintext: bytes) -> Sealed:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data_key = AESGCM.generate_key(bit_length=256)
    nonce, key_nonce = os.urandom(12), os.urandom(12)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, dataset_id.bytes)
    wrapped = AESGCM(master_key()).encrypt(key_nonce, data_key, dataset_id.bytes)
    return Sealed(wrapped, key_nonce, nonce, ciphertext)


def unseal(dataset_id: uuid.UUID, sealed: Sealed) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data_key = AESGCM(master_key()).decrypt(sealed.key_nonce, sealed.wrapped_key, dataset_id.bytes)
    return AESGCM(data_key).decrypt(sealed.nonce, sealed.ciphertext, dataset_id.bytes)


def device_hash(secret: str) -> str:
    """A terminal's device key as stored: an HMAC under the platform secret (a copy of the table
    does not let anyone forge a terminal)."""
    return hmac.new(get_settings().secret_key.encode(), secret.encode(), hashlib.sha256).hexdigest()
