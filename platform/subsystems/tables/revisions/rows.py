"""Row types of replaced and withdrawn table files (migration tables_0003)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class FileVersion(msgspec.Struct, kw_only=True):
    """A replaced file as it was (version n), and who replaced it, when and why."""

    version: int
    filename: str
    format: str
    sha256: str
    size_bytes: int
    reason: str
    replaced_by: str = ""
    replaced_at: dt.datetime


class FileHistory(msgspec.Struct, kw_only=True):
    file_id: uuid.UUID
    current: int
    withdrawn_at: dt.datetime | None = None
    withdrawn_reason: str = ""
    replaced: list[FileVersion]


class FileWithdrawal(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    title: str
    withdrawn_at: dt.datetime
    withdrawn_reason: str
