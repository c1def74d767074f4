"""One observation-status flag for a cell that holds a special character instead of a number
(ISSUE-14 §4): what the table's note says the character means, as SDMX's OBS_STATUS codes.

statdb owns the notes ("x" 秘匿, "-" 該当なし, ...); every reader that shows a cell without its
value (the e-Stat API keeps the character, SDMX and linked data a status) takes the flag from here,
so a confidential cell reads as confidential everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# code: (Japanese, English)
STATUSES: dict[str, tuple[str, str]] = {
    "C": ("秘匿", "Confidential"),
    "M": ("該当数値なし", "Missing value; data cannot exist"),
    "L": ("数値が得られないもの", "Missing value; data exist but were not collected"),
    "O": ("数値なし（その他の特殊文字）", "Missing value"),
}
# words of a note's text, first match wins: confidentiality before "no such value"
_BY_TEXT = (
    ("秘匿", "C"),
    ("秘密", "C"),
    ("不詳", "L"),
    ("得られない", "L"),
    ("不明", "L"),
    ("該当", "M"),
    ("ない", "M"),
)
_BY_CHAR = {"x": "C", "X": "C", "χ": "C", "-": "M", "−": "M", "…": "L", "...": "L"}


def status(char: str | None, notes: Mapping[str, str]) -> str | None:
    """The OBS_STATUS of a cell whose raw text is `char` (None for a number), given the table's
    notes as {char: text}."""
    if char is None:
        return None
    text = notes.get(char, "")
    for word, code in _BY_TEXT:
        if word in text:
            return code
    return _BY_CHAR.get(char.strip(), "O")


def notes_map(notes: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """statdb's notes ([{"char", "text"}], statdb.notes.decode) as {char: text}."""
    return {n["char"]: n.get("text", "") for n in notes if "char" in n}
