"""The builder's form <-> a questionnaire definition. Rows are numbered fields (s-<n>-id, q-<n>-item_id,
...); a question row without an item id is ignored (the blank rows are for adding), a question names
its section by id and sorts by its order number. The answer spec is not in the form: it comes from
the registered item when the draft is saved (questionnaires.resolve)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.items.definition import Definition, EditCheck, Question, Section

BLANK_QUESTIONS = 3
BLANK_SECTIONS = 1
QUESTION_FIELDS = ("item_id", "section", "order", "label_ja", "label_en", "show_if", "help_ja", "minimum", "maximum")
FLAGS = ("required", "preprint", "locked", "delete")


def _rows(form: Mapping[str, str], prefix: str) -> list[dict[str, str]]:
    rows: dict[int, dict[str, str]] = {}
    for key, value in form.items():
        parts = key.split("-", 2)
        if len(parts) == 3 and parts[0] == prefix and parts[1].isdigit():
            rows.setdefault(int(parts[1]), {})[parts[2]] = value.strip()
    return [rows[n] for n in sorted(rows)]


def _order(text: str, fallback: int) -> float:
    try:
        return float(text)
    except ValueError:
        return float(fallback)


def _bound(text: str, field: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(unicodedata.normalize("NFKC", text))
    except InvalidOperation:
        raise InvalidInput.field(field, f"数値ではありません / not a number: {text}") from None
    if not value.is_finite():
        raise InvalidInput.field(field, f"数値ではありません / not a number: {text}")
    return value


def _version(text: str) -> int:
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


def definition(form: Mapping[str, str]) -> Definition:
    sections = [s for s in _rows(form, "s") if s.get("id") and not s.get("delete")]
    if not sections:
        raise InvalidInput.field("s-0-id", "セクションを1つ以上 / at least one section")
    by_section: dict[str, list[tuple[float, Question]]] = {s["id"]: [] for s in sections}
    for n, r in enumerate(_rows(form, "q")):
        if not r.get("item_id") or r.get("delete"):
            continue
        section = r.get("section") or sections[0]["id"]
        if section not in by_section:
            raise InvalidInput.field(f"q-{n}-section", f"セクション {section} がありません / no section {section}")
        q = Question(
            item_id=r["item_id"],
            item_version=_version(r.get("item_version", "")),
            minimum=_bound(r.get("minimum", ""), f"q-{n}-minimum"),
            maximum=_bound(r.get("maximum", ""), f"q-{n}-maximum"),
            label_ja=r.get("label_ja", ""),
            label_en=r.get("label_en", ""),
            answer_type="text",  # replaced by the registered item's type on save
            required=bool(r.get("required")),
            show_if=r.get("show_if", ""),
            preprint=bool(r.get("preprint")) or bool(r.get("locked")),
            locked=bool(r.get("locked")),
            help_ja=r.get("help_ja", ""),
        )
        by_section[section].append((_order(r.get("order", ""), n + 1), q))
    checks = []
    for n, line in enumerate(form.get("edit_checks", "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise InvalidInput.field("edit_checks", f"{n}行目: 「ID | 式 | メッセージ」/ line {n}: id | rule | message")
        checks.append(EditCheck(id=parts[0], rule=parts[1], message_ja=parts[2] if len(parts) > 2 else ""))
    raw: dict[str, Any] = {k: form.get(k, "") for k in ("survey", "cycle", "respondent_unit", "title_ja", "title_en")}
    raw["sections"] = msgspec.to_builtins(
        [
            Section(
                id=s["id"],
                title_ja=s.get("title_ja") or s["id"],
                title_en=s.get("title_en", ""),
                show_if=s.get("show_if", ""),
                questions=tuple(q for _, q in sorted(by_section[s["id"]], key=lambda t: t[0])),
            )
            for s in sections
        ]
    )
    raw["edit_checks"] = msgspec.to_builtins(checks)
    try:
        return msgspec.convert(raw, Definition)
    except msgspec.ValidationError as exc:
        raise InvalidInput.field("definition", str(exc)) from None


def values(d: Definition | None) -> dict[str, str]:
    """The form fields of a definition (with blank rows to add to)."""
    if d is None:
        return {"respondent_unit": "household", "s-0-id": "s1", "s-0-title_ja": "調査項目"}
    out = {
        "survey": d.survey,
        "cycle": d.cycle,
        "respondent_unit": d.respondent_unit,
        "title_ja": d.title_ja,
        "title_en": d.title_en,
    }
    out["edit_checks"] = "\n".join(f"{c.id} | {c.rule} | {c.message_ja}" for c in d.edit_checks)
    for n, s in enumerate(d.sections):
        out |= {
            f"s-{n}-id": s.id,
            f"s-{n}-title_ja": s.title_ja,
            f"s-{n}-title_en": s.title_en,
            f"s-{n}-show_if": s.show_if,
        }
    n = 0
    for s in d.sections:
        for i, q in enumerate(s.questions, start=1):
            out |= {f"q-{n}-{f}": str(getattr(q, f)) for f in ("item_id", "label_ja", "label_en", "show_if", "help_ja")}
            out |= {f"q-{n}-section": s.id, f"q-{n}-order": str(i * 10), f"q-{n}-item_version": str(q.item_version)}
            out |= {f"q-{n}-{f}": str(getattr(q, f)) for f in ("minimum", "maximum") if getattr(q, f) is not None}
            out |= {f"q-{n}-{f}": "on" for f in ("required", "preprint", "locked") if getattr(q, f)}
            n += 1
    return out


def counts(vals: Mapping[str, str]) -> tuple[int, int]:
    """How many section and question rows the form shows (the filled ones and blank ones)."""
    sections = 1 + max(
        (int(k.split("-")[1]) for k in vals if k.startswith("s-") and k.split("-")[1].isdigit()), default=-1
    )
    questions = 1 + max(
        (int(k.split("-")[1]) for k in vals if k.startswith("q-") and k.split("-")[1].isdigit()), default=-1
    )
    return sections + BLANK_SECTIONS, questions + BLANK_QUESTIONS
