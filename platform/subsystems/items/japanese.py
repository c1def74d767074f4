"""Japanese input done right: full-width and half-width normalisation (NFKC), numbers written with
commas or full-width digits, and dates in the Western calendar or in 和暦 (令和6年4月1日, R6.4.1,
平成元年1月8日, H31/4/30), each checked against its era's first and last day."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

# era: (names, first day, last day or None)
ERAS: tuple[tuple[tuple[str, ...], dt.date, dt.date | None], ...] = (
    (("令和", "R"), dt.date(2019, 5, 1), None),
    (("平成", "H"), dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    (("昭和", "S"), dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    (("大正", "T"), dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    (("明治", "M"), dt.date(1868, 10, 23), dt.date(1912, 7, 29)),
)
_MINUS = str.maketrans({"−": "-", "ー": "-", "‐": "-", "―": "-", "－": "-"})
_WAREKI = re.compile(
    r"^(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$"
)
_WESTERN = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def nfkc(text: str) -> str:
    """Full-width letters, digits and signs to half-width, half-width kana to full-width, trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def number_text(text: str) -> str:
    """A number as typed (１，２３４ / 1,234 / －5 / ▲5) in plain form ('1234', '-5')."""
    t = nfkc(text).translate(_MINUS).replace(",", "").replace(" ", "")
    if t.startswith(("▲", "△")):  # the Japanese accounting minus
        t = "-" + t[1:]
    return t


def parse_integer(text: str) -> int | None:
    t = number_text(text)
    # past 4,000 digits not a number a form means (and past 4,300 int() raises: a 500 on a form post)
    return int(t) if re.fullmatch(r"-?\d{1,4000}", t) else None


def parse_decimal(text: str) -> Decimal | None:
    t = number_text(text)
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def parse_date(text: str) -> dt.date | None:
    """A date in the Western calendar or 和暦; None when it is not one (or not a day of its era)."""
    t = nfkc(text).upper()
    m = _WAREKI.match(t)
    if m:
        era = next(e for e in ERAS if m.group(1) in e[0])
        year = 1 if m.group(2) == "元" else int(m.group(2))
        if year < 1:
            return None
        try:
            day = dt.date(era[1].year + year - 1, int(m.group(3)), int(m.group(4)))
        except ValueError:
            return None
        last = era[2]
        return day if era[1] <= day and (last is None or day <= last) else None
    m = _WESTERN.match(t) or _COMPACT.match(t)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def wareki(day: dt.date) -> str:
    """The 和暦 form of a date (令和6年4月1日; 元年 for an era's first year)."""
    for names, first, last in ERAS:
        if first <= day and (last is None or day <= last):
            year = day.year - first.year + 1
            return f"{names[0]}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return day.isoformat()


_TRUE = {"1", "true", "yes", "y", "はい", "有", "あり", "○"}
_FALSE = {"0", "false", "no", "n", "いいえ", "無", "なし", "×"}


def parse_boolean(text: str) -> bool | None:
    t = nfkc(text).lower()
    return True if t in _TRUE else False if t in _FALSE else None
