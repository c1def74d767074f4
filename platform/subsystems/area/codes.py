"""Standard area codes and their JIS X 0402 check digit; the names' normal form."""

from __future__ import annotations

import unicodedata

# --- codes -----------------------------------------------------------------

_WEIGHTS = (6, 5, 4, 3, 2)  # JIS X 0402 check digit weights


def _digits(code: str, length: int) -> None:
    if len(code) != length or not (code.isascii() and code.isdigit()):
        raise ValueError(
            f"地域コードは{length}桁の数字です: {code!r} / an area code must be {length} ASCII digits: {code!r}"
        )


def check_digit(code5: str) -> str:
    """The JIS X 0402 check digit (検査数字): last digit of 11 - (Σ digit×weight mod 11)."""
    _digits(code5, 5)
    r = sum(int(c) * w for c, w in zip(code5, _WEIGHTS, strict=False)) % 11
    return str((11 - r) % 10)


def with_check_digit(code5: str) -> str:
    """'01236' -> '012360' (全国地方公共団体コード)."""
    return code5 + check_digit(code5)


def split_code(code: str) -> str:
    """A 2-digit prefecture, 5-digit or 6-digit (with check digit) code -> the 5-digit code.

    Full-width digits and surrounding spaces are accepted (NFKC). Raises ValueError
    on a wrong length, non-digits, a prefecture outside 01..47 or a wrong check digit.
    """
    text = unicodedata.normalize("NFKC", str(code)).strip()
    if text and not (text.isascii() and text.isdigit()):
        raise ValueError(f"地域コードに数字以外の文字があります: {code!r} / area code contains non-digits: {code!r}")
    if len(text) == 2:
        text += "000"  # prefecture, e-Stat style: 13 -> 13000
    elif len(text) == 6:
        expected = check_digit(text[:5])
        if text[5] != expected:
            raise ValueError(
                f"地域コードの検査数字が正しくありません: {code!r} (正しくは {text[:5] + expected}) / "
                f"wrong check digit in area code {code!r} (expected {text[:5] + expected})"
            )
        text = text[:5]
    elif len(text) != 5:
        raise ValueError(
            f"地域コードは2桁・5桁・6桁のいずれかです: {code!r} (長さ {len(text)}) / "
            f"an area code has 2, 5 or 6 digits: {code!r} (length {len(text)})"
        )
    if not 1 <= int(text[:2]) <= 47:
        raise ValueError(f"都道府県コードは01〜47です: {code!r} / prefecture part must be 01..47: {code!r}")
    return text


def infer_level(code: str, name: str) -> str:
    """Level from the code and the entity's own name (e.g. '01100','札幌市' -> designated_city)."""
    if code.endswith("000"):
        return "prefecture"
    if name.endswith(("郡", "支庁", "振興局")) or name == "特別区部":  # 13100 is Tokyo's 23-ward aggregate row
        return "district"
    if name.endswith("区"):
        return "ward"  # both 行政区 (desig_name set) and Tokyo 特別区 (desig_name '')
    if name.endswith("市"):
        return "designated_city" if code[2] == "1" else "city"
    if name.endswith("町"):
        return "town"
    if name.endswith("村"):
        return "village"
    raise ValueError(f"cannot infer the level of {code} {name!r}")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()
