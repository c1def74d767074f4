"""Japanese (and English) words of the reports, shared by the pages and the files."""

from __future__ import annotations

from govstat.ops.incidents.lifecycle import LABELS as STATE_LABELS
from govstat.ops.incidents.lifecycle import SEVERITY_LABELS
from govstat.ops.reports import periods

TITLES = {
    "annual": ("利用状況及び障害対応状況報告（担当者会議）", "Annual report to the liaison meeting"),
    "mic": ("運用管理状況報告（総務省）", "Operations report to MIC"),
    "plan": ("運用管理計画", "Annual operation plan"),
}
TENANT_KINDS = {"constituent": "構成府省", "approved_body": "承認機関"}
TENANT_STATUS = {
    "applied": "申請中",
    "approved": "承認",
    "rejected": "不承認",
    "contracted": "契約済",
    "active": "利用中",
    "withdrawal_applied": "脱退申請中",
    "withdrawal_approved": "脱退承認",
    "withdrawn": "脱退",
}
CHANNELS = {"phone": "電話", "email": "電子メール", "web": "ウェブフォーム"}
REQUESTERS = {"agency": "利用機関", "intermediary": "経由機関", "general": "一般利用者"}
BRIEFING_KINDS = {"annual": "年次の操作説明会", "on_request": "要請による説明会", "other": "その他の説明会"}
SOURCES = {"sla": "SLA警報（自動検知）", "check": "運用監視（自動検知）", "manual": "手動登録（通報等）"}
LEVELS = {"none": "利用なし", "low": "少", "medium": "中", "high": "多"}


def title(kind: str, fy: int) -> str:
    ja, en = TITLES[kind]
    return f"{periods.era(fy)}（{fy}年度） {ja} / FY{fy} {en}"


def severity(key: str) -> str:
    return SEVERITY_LABELS.get(key, (key, key))[0]


def state(key: str) -> str:
    return STATE_LABELS.get(key, (key, key))[0]


def month_header(label: str) -> str:
    """'2026-04' -> '2026年4月'."""
    year, month = label.split("-")
    return f"{year}年{int(month)}月"
