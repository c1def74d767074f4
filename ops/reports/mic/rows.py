"""Rows the report to MIC counts from (tenants, contracts, helpdesk, briefings, requests, the security
audit) as msgspec Structs (issue 9: queries answer Structs, never dicts)."""

from __future__ import annotations

import datetime as dt

import msgspec


class Row(msgspec.Struct, kw_only=True):
    pass


class KindCount(Row, kw_only=True):
    kind: str
    n: int


class RegistrationCounts(Row, kw_only=True):
    registered: int
    attended: int


class RequestCounts(Row, kw_only=True):
    improvement: int
    change: int


class SecurityAuditRow(Row, kw_only=True):
    auditor: str
    started_on: dt.date
    completed_on: dt.date | None
    findings: int
    open: int  # findings still open
