"""What the templates use to show a definition (one definition, every rendering: the printable
調査票, the codebook, the builder's preview): names of answer types and units, a question's answer
spec in words, and the code list of a question."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from govstat.platform.clock import JST
from govstat.platform.subsystems.items.definition import RESPONDENT_UNITS, CodeList, Definition, FieldError, Question
from govstat.platform.subsystems.items.validation import visible_questions

ANSWER_TYPES = {
    "integer": "整数 / integer",
    "decimal": "数値 / decimal",
    "text": "文字 / text",
    "code": "符号 / code",
    "date": "日付（和暦可）/ date",
    "boolean": "はい・いいえ / yes-no",
}
STATUSES = {"draft": "下書き / draft", "published": "公開 / published", "superseded": "旧版 / superseded"}


def spec(q: Question) -> str:
    """The answer spec in words: 1～30 人, 40文字以内, ..."""
    parts = []
    if q.minimum is not None or q.maximum is not None:
        lo = "" if q.minimum is None else str(q.minimum)
        hi = "" if q.maximum is None else str(q.maximum)
        parts.append(f"{lo}～{hi}")
    if q.unit:
        parts.append(q.unit)
    if q.max_length:
        parts.append(f"{q.max_length}文字以内")
    return " ".join(parts)


def code_list(d: Definition, q: Question) -> CodeList | None:
    if q.answer_type != "code":
        return None
    return next((c for c in d.code_lists if c.id == q.code_list), None)


def choices(d: Definition, q: Question) -> list[tuple[str, str, str]]:
    """(code, label ja, label en) of a code or yes/no question."""
    if q.answer_type == "boolean":
        return [("1", "はい", "Yes"), ("0", "いいえ", "No")]
    found = code_list(d, q)
    return [(o.code, o.label_ja, o.label_en) for o in found.options] if found else []


def by_item(errors: Sequence[FieldError]) -> dict[str, list[FieldError]]:
    out: dict[str, list[FieldError]] = {}
    for e in errors:
        out.setdefault(e.item_id, []).append(e)
    return out


def jst(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(JST).strftime(fmt) if value else ""


def form_context(
    d: Definition,
    answers: Mapping[str, str],
    errors: Sequence[FieldError] = (),
    locked_values: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The context of the shared web form (templates/items/_form.html, `{% include %}` it): the
    answers, their errors, and the questions skip logic shows for these answers."""
    return {
        **CONTEXT,
        "d": d,
        "form_values": dict(answers),
        "form_errors": list(errors),
        "shown": [q.item_id for q in visible_questions(d, answers)],
        "locked_values": dict(locked_values or {}),
    }


CONTEXT: dict[str, Any] = {
    "answer_types": ANSWER_TYPES,
    "statuses": STATUSES,
    "respondent_units": RESPONDENT_UNITS,
    "spec": spec,
    "code_list": code_list,
    "choices": choices,
    "by_item": by_item,
    "jst": jst,
}
