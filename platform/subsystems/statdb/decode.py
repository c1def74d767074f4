"""Decoding a CSV data file so that every 外字 and every undecodable byte is reported by line and column.

Real files from agencies' systems are Shift_JIS / cp932 and carry 外字 (gaiji): characters of a
vendor's user-defined area (cp932 0xF040-0xF9FC, which Python maps onto the Private Use Area
U+E000-U+E757) or bytes that are not valid in the declared encoding at all. A strict decode stops at
the first one and names no cell; here the whole file is decoded, each undecodable byte becomes a
marker (U+F0000 + the byte, in a private plane no Japanese codec produces), and `check()` names the
line and column of every cell that holds a marker or a private-use character, with the bytes."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from govstat.platform.subsystems.statdb.problems import Problems

Row = tuple[int, list[str]]
MARK = 0xF0000
HANDLER = "govstat-statdb-mark"
# private use (BMP) or a byte marker: the only characters a valid Japanese file should not hold
SUSPECT = re.compile("[\ue000-\uf8ff\U000f0000-\U000f00ff]")


MARKS = re.compile("[\U000f0000-\U000f00ff]+")
# A bad lead byte takes its trail byte with it: the codecs resume at the very next byte, which
# would turn the trail byte and the next character into a wrong character (髙取町 -> 〓燻謦ｬ).
PAIRS = {
    "shift_jis": (range(0x81, 0xFD), range(0x40, 0xFD)),
    "cp932": (range(0x81, 0xFD), range(0x40, 0xFD)),
    "euc_jp": (range(0xA1, 0xFF), range(0xA1, 0xFF)),
}


def _mark(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    data, end = exc.object, exc.end
    lead, trail = PAIRS.get(exc.encoding.replace("-", "_").lower(), ((), ()))
    if end - exc.start == 1 and data[exc.start] in lead and end < len(data) and data[end] in trail:
        end += 1
    return "".join(chr(MARK + b) for b in data[exc.start : end]), end


codecs.register_error(HANDLER, _mark)


def text(content: bytes, encoding: str) -> str:
    """The file's text; never fails: undecodable bytes become markers that `check()` reports."""
    codec = "utf-8-sig" if encoding in ("utf-8", "utf-8-sig") else encoding
    return content.decode(codec, errors=HANDLER)


def suspect(decoded: str) -> bool:
    """Whether the text holds anything `check()` would report (one regex scan of the file)."""
    return SUSPECT.search(decoded) is not None


def check(rows: Iterator[Row], encoding: str, p: Problems) -> Iterator[Row]:
    """The rows unchanged; each cell with 外字 or undecodable bytes is reported (data line, column)."""
    for line, cells in rows:
        for col, cell in enumerate(cells, start=1):
            if SUSPECT.search(cell):
                p.data(line, col, describe(cell, encoding))
        yield line, cells


def describe(cell: str, encoding: str) -> str:
    parts, gaiji, raw = [], [], bytearray()
    for ch in cell:
        o = ord(ch)
        if MARK <= o <= MARK + 0xFF:
            raw.append(o - MARK)
            continue
        if raw:
            parts.append("0x" + raw.hex().upper())
            raw = bytearray()
        if 0xE000 <= o <= 0xF8FF:
            gaiji.append(_gaiji(ch, encoding))
    if raw:
        parts.append("0x" + raw.hex().upper())
    shown = SUSPECT.sub("〓", MARKS.sub("〓", cell))[:40]
    out = []
    if gaiji:
        out.append(
            f"外字（利用者定義文字 {', '.join(gaiji)}）があります。標準の文字に置き換えてください"
            f" / a user-defined character (外字) {', '.join(gaiji)}: replace it with a standard character"
        )
    if parts:
        out.append(
            f"文字コード {encoding} として読めないバイト {' '.join(parts)} があります"
            f" / bytes {' '.join(parts)} are not valid {encoding}"
        )
    return f"{shown!r}: " + "; ".join(out)


def _gaiji(ch: str, encoding: str) -> str:
    try:
        return f"U+{ord(ch):04X} = 0x{ch.encode(encoding).hex().upper()}"
    except (UnicodeEncodeError, LookupError):
        return f"U+{ord(ch):04X}"
