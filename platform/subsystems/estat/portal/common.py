"""Shared bits of the portal pages: operation keys, roles, time in JST, numbers as people read them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from litestar import Request

from govstat.platform.clock import JST
from govstat.platform.errors import NotFound
from govstat.platform.module import Operation, access, public
from govstat.platform.security import Principal, PrincipalKind, Role

REGISTERED = (Role.PUBLIC, Role.ONSITE)  # registered general users (一般利用者) and on-site users
CREDIT = "出典：政府統計の総合窓口(e-Stat)"

OPERATIONS = (
    Operation("estat.portal.search", "統計データを探す（条件・キーワード検索）", unit="row"),
    Operation("estat.portal.read", "政府統計の概要・統計表一覧"),
    Operation("estat.portal.table", "統計表の表示・グラフ", unit="cell"),
    Operation("estat.portal.download", "統計表のダウンロード（CSV・XLSX・ファイル）", unit="cell"),
    Operation("estat.portal.regional", "地域別統計（都道府県・市区町村のランキング）", unit="row"),
    Operation("estat.portal.calendar", "公表予定・新着情報", unit="row"),
    Operation("estat.portal.help", "ヘルプ・お問合せ"),
    Operation("estat.portal.questionnaire", "アンケートへの回答"),
    Operation("estat.portal.mypage", "マイページ（新着通知・保存した条件）"),
    Operation("estat.portal.synonyms", "同義語辞書の維持管理（運用管理機関）"),
    Operation("estat.portal.questionnaires", "アンケートの作成・公開・集計（運用管理機関）"),
)


def op_public(name: str) -> dict[str, Any]:
    return public(f"estat.portal.{name}")


def op_registered(name: str = "mypage") -> dict[str, Any]:
    # registered general users belong to no tenant: nothing to subscribe to
    return access(*REGISTERED, op=f"estat.portal.{name}", subscription=False)


def op_operator(name: str) -> dict[str, Any]:
    return access(Role.OPERATOR, op=f"estat.portal.{name}", audit=True, subscription=False)


def is_registered(principal: Principal) -> bool:
    return principal.kind in (PrincipalKind.PUBLIC, PrincipalKind.ONSITE) and principal.has_any(set(REGISTERED))


def jst(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(JST).strftime(fmt) if value else ""


def number(value: Any, raw: str | None = None) -> str:
    """1324473 -> "1,324,473"; a special character ("-", "***") as it is."""
    if value is None:
        return raw or ""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return value
    if isinstance(value, float):
        value = Decimal(repr(value))
    if value == value.to_integral_value():
        return f"{int(value):,}"
    text = format(value, "f").rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}.{frac}" if frac else f"{int(whole):,}"


def plain(value: Any) -> int | float | None:
    """A numeric cell for JSON and spreadsheets: int when integral."""
    if value is None:
        return None
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(d)


def query_dict(request: Request) -> dict[str, str]:
    """The query string with repeated names joined by commas (checkboxes -> e-Stat's "a,b,c")."""
    out: dict[str, str] = {}
    for key in request.query_params:
        values = [v.strip() for v in request.query_params.getall(key) if v and v.strip()]
        if values:
            out[key] = ",".join(values)
    return out


STATS_DATA_ID = re.compile(r"^[0-9]{10}$")
GOV_STAT_CODE = re.compile(r"^[0-9]{8}$")


def check_stats_data_id(value: str) -> str:
    if not STATS_DATA_ID.match(value or ""):
        raise NotFound(f"統計表 {value} が見つかりません / table {value} not found")
    return value


def pages(total: int, size: int) -> int:
    return max((total + size - 1) // size, 1)
