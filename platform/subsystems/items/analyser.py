"""Japanese search text: NFKC, lower case, katakana folded to hiragana, plus each word's reading by
SudachiPy (sudachidict_core), so that 'せたい', 'セタイ' and '世帯' find the same item. Stored in a
`search` column when a row is written; a query is folded the same way and matched as substrings."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

_KATA = {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().translate(_KATA)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from sudachipy import Dictionary, SplitMode

    return Dictionary().tokenizer(mode=SplitMode.C)


def readings(text: str) -> str:
    """The text's reading in hiragana, word by word ('世帯員数' -> 'せたいいんすう')."""
    words = _tokenizer().tokenize(unicodedata.normalize("NFKC", text)[:2000])
    return "".join(fold(w.reading_form()) for w in words if not w.surface().isascii())


def index_text(*texts: str) -> str:
    """What a row's search column holds: the folded texts and their readings."""
    joined = " ".join(t for t in texts if t)
    return f"{fold(joined)} {readings(joined)}"


def terms(query: str) -> list[str]:
    """The words of a query, folded; a word in kanji also matches by its reading."""
    return [fold(w) for w in unicodedata.normalize("NFKC", query).split() if w][:8]
