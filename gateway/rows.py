"""Rows the gateway's own queries answer (msgspec Structs; issue 9: never dicts)."""

from __future__ import annotations

import uuid

import msgspec


class SignedIn(msgspec.Struct, kw_only=True):
    """The person a login and password name, as the session records them."""

    id: uuid.UUID
    login: str
    display_name: str
    roles: list[str]
    tenant_id: uuid.UUID | None


class PlanLimitRow(msgspec.Struct, kw_only=True):
    code: str
    rate_quota: int
    rate_window_seconds: int
    rate_burst: int
