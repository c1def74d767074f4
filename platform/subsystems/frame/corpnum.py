"""法人番号 (corporate number): 13 digits, the first a check digit over the 12-digit base number
(国税庁「法人番号の指定等に関する省令」第2条): check = 9 - (sum of P_n * Q_n mod 9), where P_n is the
n-th digit of the base counted from the right and Q_n is 1 for odd n and 2 for even n."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{13}")


def check_digit(base: str) -> int:
    """The check digit of a 12-digit base number."""
    if len(base) != 12 or not base.isdigit():
        raise ValueError("the base number has 12 digits")
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return 9 - total % 9


def with_check_digit(base: str) -> str:
    return f"{check_digit(base)}{base}"


def problem(number: str) -> str | None:
    """Why `number` is not a valid corporate number, or None."""
    if not _DIGITS.fullmatch(number):
        return "法人番号は13桁の数字です / a corporate number has 13 digits"
    if int(number[0]) != check_digit(number[1:]):
        return "法人番号のチェックデジットが一致しません / the check digit does not match"
    return None


def is_valid(number: str) -> bool:
    return problem(number) is None
