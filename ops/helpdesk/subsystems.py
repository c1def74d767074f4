"""The subsystems a question, a briefing or a request may concern (SPEC.md, 基本規程 第2条 表).

All fifteen of the system, whether or not govstat serves them yet: the helpdesk answers for all.
"""

from __future__ import annotations

SUBSYSTEMS: dict[str, str] = {
    "area": "標準地域コード管理システム",
    "frame": "事業所母集団データベース",
    "items": "調査項目データベース",
    "online": "オンライン調査システム",
    "enumerators": "調査員管理システム",
    "auth": "認証システム",
    "tables": "統計表管理システム",
    "statdb": "統計情報データベース",
    "region": "地域統計分析システム",
    "gis": "統計地理情報システム",
    "classification": "統計分類データベース",
    "estat": "政府統計の総合窓口 (e-Stat)",
    "portal": "業務ポータルサイト",
    "metadata": "統計メタデータレジストリ",
    "onsite": "オンサイト利用システム",
}


def check_subsystem(field: str, key: str | None) -> None:
    from govstat.platform.errors import InvalidInput

    if key is not None and key not in SUBSYSTEMS:
        raise InvalidInput.field(field, f"不明なサブシステムです / unknown subsystem {key!r}")
