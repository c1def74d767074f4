"""Server-side validation of answers against a questionnaire definition (pure: no I/O).

Answers arrive as text keyed by item id (a form post, a CSV row). Each is NFKC-normalised and typed
by its question; skip logic decides which questions are shown (a hidden question is neither
required nor checked, and its answer is dropped); edit checks run over the typed values. Every
message names the item, in Japanese and English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache

import msgspec

from govstat.platform.subsystems.items import japanese
from govstat.platform.subsystems.items.definition import Definition, FieldError, Question, questions
from govstat.platform.subsystems.items.expr import Node, Value, evaluate, parse, refs


class Cleaned(msgspec.Struct, frozen=True, kw_only=True):
    values: dict[str, str]  # canonical text of each visible, valid, non-empty answer
    errors: list[FieldError]


@lru_cache(maxsize=2048)
def _tree(text: str) -> Node:
    return parse(text)


def _name(q: Question) -> tuple[str, str]:
    return f"「{q.label_ja}」（{q.item_id}）", f'"{q.label_en or q.label_ja}" ({q.item_id})'


def _err(q: Question, code: str, ja: str, en: str) -> FieldError:
    nja, nen = _name(q)
    return FieldError(item_id=q.item_id, code=code, message_ja=f"{nja}{ja}", message_en=f"{nen} {en}")


def _typed(q: Question, raw: str, definition: Definition) -> tuple[Value, str, FieldError | None]:
    """(typed value, canonical text, error) of one non-empty answer."""
    t = q.answer_type
    if t == "integer" or t == "decimal":
        n: int | Decimal | None = japanese.parse_integer(raw) if t == "integer" else japanese.parse_decimal(raw)
        if n is None:
            kind = ("整数", "a whole number") if t == "integer" else ("数値", "a number")
            return None, "", _err(q, t, f"は{kind[0]}で記入してください。", f"must be {kind[1]}.")
        if (q.minimum is not None and n < q.minimum) or (q.maximum is not None and n > q.maximum):
            lo = "" if q.minimum is None else str(q.minimum)
            hi = "" if q.maximum is None else str(q.maximum)
            return (
                n,
                "",
                _err(
                    q,
                    "range",
                    f"は {lo}～{hi}{q.unit} の範囲で記入してください。",
                    f"must be within {lo}..{hi} {q.unit}.".replace(" .", "."),
                ),
            )
        return n, str(n), None
    if t == "date":
        d = japanese.parse_date(raw)
        if d is None:
            return (
                None,
                "",
                _err(
                    q,
                    "date",
                    "は日付（例: 2026-04-01、令和8年4月1日）で記入してください。",
                    "must be a date (e.g. 2026-04-01 or 令和8年4月1日).",
                ),
            )
        return d, d.isoformat(), None
    if t == "boolean":
        b = japanese.parse_boolean(raw)
        if b is None:
            return None, "", _err(q, "boolean", "は「はい」か「いいえ」で記入してください。", "must be yes or no.")
        return b, "1" if b else "0", None
    text = japanese.nfkc(raw)
    if t == "code":
        codes = next((c for c in definition.code_lists if c.id == q.code_list), None)
        if codes is None or text not in {o.code for o in codes.options}:
            return None, "", _err(q, "code", "は選択肢の中から選んでください。", "must be one of the listed codes.")
        return text, text, None
    if q.max_length is not None and len(text) > q.max_length:
        return (
            None,
            "",
            _err(
                q,
                "length",
                f"は{q.max_length}文字以内で記入してください。",
                f"must be at most {q.max_length} characters.",
            ),
        )
    return text, text, None


def _shown(text: str, values: Mapping[str, Value]) -> bool:
    return not text.strip() or bool(evaluate(_tree(text), values))


def _walk(
    definition: Definition, answers: Mapping[str, str]
) -> tuple[list[Question], dict[str, Value], dict[str, str], list[FieldError]]:
    shown: list[Question] = []
    values: dict[str, Value] = {}
    canon: dict[str, str] = {}
    errors: list[FieldError] = []
    for section in definition.sections:
        if not _shown(section.show_if, values):
            continue
        for q in section.questions:
            if not _shown(q.show_if, values):
                continue
            shown.append(q)
            raw = answers.get(q.item_id, "") or ""
            if not japanese.nfkc(raw):
                if q.required:
                    errors.append(_err(q, "required", "は必須です。記入してください。", "is required."))
                continue
            value, text, error = _typed(q, raw, definition)
            if error is not None:
                errors.append(error)
            else:
                values[q.item_id] = value
                canon[q.item_id] = text
    return shown, values, canon, errors


def visible_questions(definition: Definition, answers: Mapping[str, str]) -> list[Question]:
    """The questions skip logic shows for these answers, in order."""
    return _walk(definition, answers)[0]


def clean(definition: Definition, answers: Mapping[str, str], preprinted: Mapping[str, str] | None = None) -> Cleaned:
    """The canonical values of the visible answers and every error, in questionnaire order."""
    shown, values, canon, errors = _walk(definition, answers)
    pre = preprinted or {}
    for q in shown:
        if q.locked and q.item_id in pre and q.item_id in canon:
            expected = _typed(q, pre[q.item_id], definition)[1]
            if expected and canon[q.item_id] != expected:
                errors.append(
                    _err(
                        q,
                        "locked",
                        f"はプレプリント値（{pre[q.item_id]}）から変更できません。",
                        f"is pre-printed ({pre[q.item_id]}) and may not be changed.",
                    )
                )
    labels = {q.item_id: q for q in questions(definition)}
    for check in definition.edit_checks:
        tree = _tree(check.rule)
        used = refs(tree)
        if any(i not in values for i in used):
            continue  # a rule over items not answered (or hidden, or invalid) is not judged
        if evaluate(tree, values) is not True:
            names_ja = "、".join(f"「{labels[i].label_ja}」" for i in sorted(used) if i in labels)
            names_en = ", ".join(f'"{labels[i].label_en or labels[i].label_ja}"' for i in sorted(used) if i in labels)
            errors.append(
                FieldError(
                    item_id=f"check:{check.id}",
                    code="check",
                    message_ja=f"{check.message_ja or '回答の整合性に誤りがあります'}（{names_ja}: {check.rule}）",
                    message_en=f"{check.message_en or 'The answers do not agree'} ({names_en}: {check.rule})",
                )
            )
    return Cleaned(values=canon, errors=errors)


def validate(
    definition: Definition, answers: Mapping[str, str], preprinted: Mapping[str, str] | None = None
) -> list[FieldError]:
    """Every error of these answers (empty when they may be submitted)."""
    return clean(definition, answers, preprinted).errors


def typed_value(q: Question, text: str) -> int | Decimal | str | bool | dt.date | None:
    """The typed value of a stored canonical answer (for aggregation and export)."""
    if q.answer_type == "integer":
        return japanese.parse_integer(text)
    if q.answer_type == "decimal":
        return japanese.parse_decimal(text)
    if q.answer_type == "date":
        return japanese.parse_date(text)
    if q.answer_type == "boolean":
        return japanese.parse_boolean(text)
    return text
