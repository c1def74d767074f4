"""Japanese text for the search index: NFKC (full-width letters and digits, half-width kana), kana
folded to hiragana, and morphemes from MeCab (fugashi) with the UniDic dictionary that installs as a
package (unidic-lite). A document's index text is its tokens and their readings, space-separated,
so PostgreSQL's 'simple' configuration makes one lexeme of each; a query's tokens must all be there.

人口推計 -> 人口 推計, 総人口 -> 総 人口: a search for 人口 finds both."""

from __future__ import annotations

import functools
import unicodedata

import fugashi

KATAKANA_START, KATAKANA_END, KANA_SHIFT = 0x30A1, 0x30F6, 0x60
MAX_INDEXED_CHARS = 200_000  # a page longer than this is indexed by its beginning


@functools.cache
def _tagger() -> fugashi.Tagger:
    import unidic_lite  # the dictionary is a package: no download at run time

    return fugashi.Tagger(f"-d {unidic_lite.DICDIR}")


def fold(text: str) -> str:
    """NFKC, lower case, katakana to hiragana: ｼﾞﾝｺｳ, ジンコウ and じんこう are one word."""
    normal = unicodedata.normalize("NFKC", text).lower()
    return "".join(chr(ord(c) - KANA_SHIFT) if KATAKANA_START <= ord(c) <= KATAKANA_END else c for c in normal)


def _morphemes(text: str) -> list[tuple[str, str]]:
    """(surface, reading) of each word of NFKC text, punctuation and spaces left out."""
    out = []
    for word in _tagger()(text):
        pos = getattr(word.feature, "pos1", "") or ""
        if pos in ("補助記号", "空白"):
            continue
        reading = getattr(word.feature, "kana", None) or ""
        out.append((word.surface, reading if reading != "*" else ""))
    return out


def tokens(text: str) -> list[str]:
    """The distinct folded surfaces of a text's words, in order (what a query must match)."""
    normal = unicodedata.normalize("NFKC", text)[:MAX_INDEXED_CHARS]
    seen: dict[str, None] = {}
    for surface, _reading in _morphemes(normal):
        for lexeme in _lexemes(fold(surface)):
            seen.setdefault(lexeme, None)
    return list(seen)


def index_text(*parts: str) -> str:
    """What a document stores for the index: each word's folded surface and its reading."""
    normal = unicodedata.normalize("NFKC", " ".join(parts))[:MAX_INDEXED_CHARS]
    seen: dict[str, None] = {}
    for surface, reading in _morphemes(normal):
        for value in (surface, reading):
            for lexeme in _lexemes(fold(value)):
                seen.setdefault(lexeme, None)
    return " ".join(seen)


def _lexemes(value: str) -> list[str]:
    """Split as PostgreSQL's parser would on what it treats as separators, so query and index agree."""
    cleaned = "".join(c if c.isalnum() or ord(c) > 0x3000 else " " for c in value)
    return [p for p in cleaned.split() if p]


def tsquery(query: str) -> str | None:
    """The query as tsquery text: every word's token, or the whole query folded as one word (so a
    kana query also finds a document by its words' readings: ｼﾞﾝｺｳ finds 人口). None: nothing to find."""
    words = tokens(query)
    whole = "".join(_lexemes(fold(unicodedata.normalize("NFKC", query))))
    if not words and not whole:
        return None
    parts = []
    if words:
        parts.append("(" + " & ".join(f"'{w}'" for w in words) + ")")
    if whole and [whole] != words:
        parts.append(f"'{whole}'")
    return " | ".join(parts)
