"""Request parameters exactly as e-Stat names them (appId, statsDataId, lvCat01, cdAreaFrom, ...)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from govstat.platform.subsystems.estat.api.faults import EstatFault, invalid, missing

MAX_LIMIT = 100_000
# e-Stat's suffix in parameter names -> the dimension (obj_id) it narrows
DIMENSIONS = {"Tab": "tab", "Time": "time", "Area": "area", **{f"Cat{i:02d}": f"cat{i:02d}" for i in range(1, 16)}}
_LEVEL = re.compile(r"^(\d+)?(-)?(\d+)?$")


@dataclass
class Narrowing:
    obj_id: str
    suffix: str
    level: str | None = None  # "1", "1-3", "-2", "2-"
    codes: list[str] = field(default_factory=list)
    code_from: str | None = None
    code_to: str | None = None

    def level_range(self) -> tuple[int | None, int | None]:
        m = _LEVEL.match(self.level or "")
        if not self.level or not m or not (m.group(1) or m.group(3)):
            raise invalid(f"lv{self.suffix}", self.level or "")
        low, dash, high = m.groups()
        if not dash:
            return int(low), int(low)
        return (int(low) if low else None), (int(high) if high else None)

    def echo(self) -> dict[str, str]:
        key = self.suffix.upper()
        out = {}
        if self.level:
            out[f"LEVEL_{key}_COND"] = self.level
        if self.codes:
            out[f"CODE_{key}_SELECT"] = ",".join(self.codes)
        if self.code_from:
            out[f"CODE_{key}_FROM"] = self.code_from
        if self.code_to:
            out[f"CODE_{key}_TO"] = self.code_to
        return out


def narrowings(q: Mapping[str, str]) -> list[Narrowing]:
    out = []
    for suffix, obj in DIMENSIONS.items():
        n = Narrowing(
            obj,
            suffix,
            level=q.get(f"lv{suffix}") or None,
            codes=[c.strip() for c in (q.get(f"cd{suffix}") or "").split(",") if c.strip()],
            code_from=q.get(f"cd{suffix}From") or None,
            code_to=q.get(f"cd{suffix}To") or None,
        )
        if len(n.codes) > 100:
            raise invalid(f"cd{suffix}", "100件を超えるコード / more than 100 codes")
        if n.level:
            n.level_range()
        if n.level or n.codes or n.code_from or n.code_to:
            out.append(n)
    return out


def flag(q: Mapping[str, str], name: str, default: str) -> str:
    value = q.get(name, default) or default
    if value not in ("Y", "N"):
        raise invalid(name, value)
    return value


def integer(q: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = q.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise invalid(name, raw)
    return int(raw)


def lang(q: Mapping[str, str]) -> str:
    value = q.get("lang", "J") or "J"
    if value not in ("J", "E"):
        raise invalid("lang", value)
    return value


def stats_data_id(q: Mapping[str, str], required: bool = True) -> str | None:
    value = q.get("statsDataId")
    if not value:
        if required:
            raise missing("statsDataId")
        return None
    if not re.fullmatch(r"[0-9]{10}", value):
        raise EstatFault(103, value)
    return value


def replace_sp_chars(q: Mapping[str, str]) -> int:
    # e-Stat documents replaceSpChars; some clients send replaceSpChar: accept both
    raw = q.get("replaceSpChars", q.get("replaceSpChar", "0")) or "0"
    if raw not in ("0", "1", "2", "3"):
        raise invalid("replaceSpChars", raw)
    return int(raw)


def require_app_id(q: Mapping[str, str], authenticated: bool) -> None:
    if not q.get("appId") or not authenticated:
        raise EstatFault(100)
