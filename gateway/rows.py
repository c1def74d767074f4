"""Rows the gateway's own queries answer (msgspec Structs; issue 9: never dicts)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class SignedIn(msgspec.Struct, kw_only=True):
    """The person a login and password name, as the session records them."""

    id: uuid.UUID
    login: str
    display_name: str
    roles: list[str]
    tenant_id: uuid.UUID | None


class PasswordCheck(SignedIn, kw_only=True):
    """What sign-in checks: the hash and whether the person and their tenant may sign in."""

    password_hash: str
    status: str
    tenant_status: str | None  # None: a registered general user (no tenant)


class KeyCheck(msgspec.Struct, kw_only=True):
    """An API key by its prefix, with what the check needs."""

    id: uuid.UUID
    name: str
    key_hash: str
    roles: list[str]
    tenant_id: uuid.UUID
    revoked_at: dt.datetime | None
    tenant_status: str


class AppIdOwner(msgspec.Struct, kw_only=True):
    user_id: uuid.UUID
    display_name: str


class PlanLimitRow(msgspec.Struct, kw_only=True):
    code: str
    rate_quota: int
    rate_window_seconds: int
    rate_burst: int
