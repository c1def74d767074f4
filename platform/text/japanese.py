"""Japanese text for search, one analyser for the whole platform: SudachiPy with its core dictionary
(sudachidict_core, a package: no download at run time; both maintained by Works Applications).

- `fold`: NFKC, lower case, katakana to hiragana: ｼﾞﾝｺｳ, ジンコウ and じんこう are one word.
- `morphemes`: (surface, reading) of each word, short units (SplitMode.A: 総人口 -> 総 人口),
  punctuation and spaces left out.
- `tokens` / `index_text` / `tsquery`: token search in PostgreSQL's 'simple' configuration (the
  business portal, the e-Stat catalogue): a document stores each word's folded surface and
  reading; a query's words must all be there, or the whole query folded as one word.
- `readings` / `substring_text` / `terms`: substring search (the items database): the folded text
  followed by its reading, so that 'せたい', 'セタイ' and '世帯' find the same item.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import Any

MAX_INDEXED_CHARS = 200_000  # a page longer than this is indexed by its beginning
_CHUNK = 8_000  # Sudachi refuses inputs over 49,149 bytes: analyse long texts in pieces
_KATA = {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}
_SKIPPED = ("補助記号", "空白")
_KANA_ONLY = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\s]+$")
_local = threading.local()


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().translate(_KATA)


@functools.cache
def _dictionary() -> Any:
    from sudachipy import Dictionary

    return Dictionary()


def _tokenizer() -> Any:
    """One tokenizer per thread (a Sudachi tokenizer is not to be shared between threads)."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import SplitMode

        tok = _local.tokenizer = _dictionary().tokenizer(mode=SplitMode.A)
    return tok


def _pieces(text: str) -> list[str]:
    """The text cut into pieces Sudachi accepts, at a space or line end where there is one."""
    out = []
    while len(text) > _CHUNK:
        cut = max(text.rfind(" ", 0, _CHUNK), text.rfind("\n", 0, _CHUNK))
        cut = cut if cut > _CHUNK // 2 else _CHUNK
        out.append(text[:cut])
        text = text[cut:]
    return [*out, text] if text else out


def morphemes(text: str) -> list[tuple[str, str]]:
    """(surface, reading in katakana or '') of each word of the NFKC text, punctuation and spaces left out."""
    out = []
    tok = _tokenizer()
    for piece in _pieces(unicodedata.normalize("NFKC", text)):
        for m in tok.tokenize(piece):
            if m.part_of_speech()[0] in _SKIPPED:
                continue
            surface = m.surface()
            reading = m.reading_form() if not surface.isascii() else ""
            out.append((surface, reading))
    return out


def _lexemes(value: str) -> list[str]:
    """Split as PostgreSQL's parser would on what it treats as separators, so query and index agree."""
    cleaned = "".join(c if c.isalnum() or ord(c) > 0x3000 else " " for c in value)
    return [p for p in cleaned.split() if p]


def tokens(text: str) -> list[str]:
    """The distinct folded surfaces of a text's words, in order (what a query must match)."""
    seen: dict[str, None] = {}
    if _KANA_ONLY.match(unicodedata.normalize("NFKC", text)):  # a reading typed in kana is one word
        return _lexemes(fold(text))
    for surface, _reading in morphemes(text[:MAX_INDEXED_CHARS]):
        for lexeme in _lexemes(fold(surface)):
            seen.setdefault(lexeme, None)
    return list(seen)


def index_text(*parts: str) -> str:
    """What a document stores for a token index: each word's folded surface and its reading."""
    seen: dict[str, None] = {}
    for surface, reading in morphemes(" ".join(parts)[:MAX_INDEXED_CHARS]):
        for value in (surface, reading):
            for lexeme in _lexemes(fold(value)):
                seen.setdefault(lexeme, None)
    return " ".join(seen)


def tsquery(query: str) -> str | None:
    """The query as tsquery text: every word's token, or the whole query folded as one word (so a
    kana query also finds a document by its words' readings: ｼﾞﾝｺｳ finds 人口). None: nothing to find."""
    words = tokens(query)
    whole = "".join(_lexemes(fold(query)))
    if not words and not whole:
        return None
    parts = []
    if words:
        parts.append("(" + " & ".join(f"'{w}'" for w in words) + ")")
    if whole and [whole] != words:
        parts.append(f"'{whole}'")
    return " | ".join(parts)


def readings(text: str) -> str:
    """The text's reading in hiragana, word by word ('世帯員数' -> 'せたいいんすう')."""
    return "".join(fold(r) for _s, r in morphemes(text[:2000]) if r)


def substring_text(*texts: str) -> str:
    """What a row's column for substring search holds: the folded texts and their readings."""
    joined = " ".join(t for t in texts if t)
    return f"{fold(joined)} {readings(joined)}"


def terms(query: str) -> list[str]:
    """The words of a query, folded (at most eight); a word in kanji also matches by its reading."""
    return [fold(w) for w in unicodedata.normalize("NFKC", query).split() if w][:8]
