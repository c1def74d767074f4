"""Request shapes of the portal's JSON API (msgspec; unknown fields are refused)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Word = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
StatsDataId = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{10}$")]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Choice = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class SynonymIn(Base, kw_only=True):
    """A word and its synonym: each finds what the other finds."""

    word: Word
    synonym: Word


class SavedQueryIn(Base, kw_only=True):
    """A table page's selection, by name (e-Stat narrowing parameters such as cdCat01, lvArea)."""

    name: Name
    stats_data_id: StatsDataId
    params: dict[str, str] = {}


class QuestionIn(Base, kw_only=True):
    kind: Literal["single", "multiple", "text"]
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    required: bool = False
    choices: Annotated[list[Choice], msgspec.Meta(max_length=30)] = []


class QuestionnaireIn(Base, kw_only=True):
    title: Title
    description: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    audience: Literal["anyone", "registered"] = "anyone"
    show_results: bool = False
    questions: Annotated[list[QuestionIn], msgspec.Meta(min_length=1, max_length=50)]


class ResponseIn(Base, kw_only=True):
    """Answers by question id: a list of choice numbers (0-based) or a text."""

    answers: dict[str, list[int] | str]
