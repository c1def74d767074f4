"""One change of a questionnaire in the builder (issue 10 §2): move a question or a section, add a
registered item, edit a question's required flag, range or skip condition, or step a question or
section up or down. A change applies to the
newest stored definition and answers a new definition, or InvalidInput naming the change's field
(`position`, `item_id`, `minimum`, `maximum`, `show_if`). The caller saves the result as the draft
(questionnaires.save_draft: a published version is never changed, saving opens version n+1), which
checks it against the registry once more. The builder's script sends these as JSON; the plain form's
up/down buttons (no JavaScript) become the same moves through `step`."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Literal

import msgspec

from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.items.definition import ITEM_ID, Definition, Question, Section, check_definition
from govstat.platform.subsystems.items.expr import ExprError, parse, refs


class MoveQuestion(msgspec.Struct, frozen=True, kw_only=True, tag_field="op", tag="move_question"):
    item_id: str
    section: str  # the section it lands in
    position: int  # its place there, from 0


class MoveSection(msgspec.Struct, frozen=True, kw_only=True, tag_field="op", tag="move_section"):
    section: str
    position: int


class AddItem(msgspec.Struct, frozen=True, kw_only=True, tag_field="op", tag="add_item"):
    item_id: str
    section: str  # added at the end of this section


class EditQuestion(msgspec.Struct, frozen=True, kw_only=True, tag_field="op", tag="edit_question"):
    item_id: str
    required: bool
    minimum: str = ""  # "" = the registered item's own bound
    maximum: str = ""
    show_if: str = ""


class Step(msgspec.Struct, frozen=True, kw_only=True, tag_field="op", tag="step"):
    move: str  # an up/down button's value, as `step` reads it


Change = MoveQuestion | MoveSection | AddItem | EditQuestion | Step
Direction = Literal["up", "down"]


def decode_change(body: bytes) -> Change:
    try:
        change: Change = msgspec.json.decode(body, type=Change)
        return change
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        text = str(exc)
        field = text.rsplit("$.", 1)[1].split("`")[0].split("[")[0] if "$." in text else "op"
        raise InvalidInput.field(field, text) from None


def _section(d: Definition, section_id: str, field: str = "section") -> int:
    for n, s in enumerate(d.sections):
        if s.id == section_id:
            return n
    raise InvalidInput.field(field, f"セクション {section_id} がありません / no section {section_id}")


def _find(d: Definition, item_id: str) -> tuple[int, int]:
    for n, s in enumerate(d.sections):
        for i, q in enumerate(s.questions):
            if q.item_id == item_id:
                return n, i
    raise InvalidInput.field("item_id", f"{item_id} はこの調査票にありません / not in this questionnaire")


def _with(d: Definition, sections: list[Section]) -> Definition:
    return msgspec.structs.replace(d, sections=tuple(sections))


def _no_new_problems(before: Definition, after: Definition, field: str) -> Definition:
    known = set(check_definition(before))
    new = [p for p in check_definition(after) if p not in known]
    if new:
        raise InvalidInput.field(field, "; ".join(new))
    return after


def _move_question(d: Definition, c: MoveQuestion) -> Definition:
    n, i = _find(d, c.item_id)
    to = _section(d, c.section)
    sections = list(d.sections)
    q = sections[n].questions[i]
    sections[n] = msgspec.structs.replace(
        sections[n], questions=sections[n].questions[:i] + sections[n].questions[i + 1 :]
    )
    target = list(sections[to].questions)
    if not 0 <= c.position <= len(target):
        raise InvalidInput.field("position", f"0〜{len(target)} で指定してください / between 0 and {len(target)}")
    target.insert(c.position, q)
    sections[to] = msgspec.structs.replace(sections[to], questions=tuple(target))
    return _no_new_problems(d, _with(d, sections), "position")


def _move_section(d: Definition, c: MoveSection) -> Definition:
    n = _section(d, c.section)
    if not 0 <= c.position < len(d.sections):
        raise InvalidInput.field(
            "position", f"0〜{len(d.sections) - 1} で指定してください / between 0 and {len(d.sections) - 1}"
        )
    sections = list(d.sections)
    sections.insert(c.position, sections.pop(n))
    return _no_new_problems(d, _with(d, sections), "position")


def _add(d: Definition, c: AddItem) -> Definition:
    if not re.match(ITEM_ID, c.item_id):
        raise InvalidInput.field("item_id", "項目IDの形式が不正 / malformed item id")
    if any(q.item_id == c.item_id for s in d.sections for q in s.questions):
        raise InvalidInput.field("item_id", f"{c.item_id} はもう使われています / already in this questionnaire")
    to = _section(d, c.section)
    sections = list(d.sections)
    added = Question(item_id=c.item_id, label_ja="", answer_type="text")  # its spec comes from the item on save
    sections[to] = msgspec.structs.replace(sections[to], questions=(*sections[to].questions, added))
    return _with(d, sections)


def _bound(text: str, field: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidInput.field(field, f"数値ではありません / not a number: {text}") from None
    if not value.is_finite():
        raise InvalidInput.field(field, f"数値ではありません / not a number: {text}")
    return value


def _edit(d: Definition, c: EditQuestion) -> Definition:
    n, i = _find(d, c.item_id)
    q = d.sections[n].questions[i]
    minimum, maximum = _bound(c.minimum, "minimum"), _bound(c.maximum, "maximum")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise InvalidInput.field("maximum", "上限が下限より小さい / maximum below minimum")
    if (minimum is not None or maximum is not None) and q.answer_type not in ("integer", "decimal"):
        raise InvalidInput.field("minimum", "範囲は数値の設問だけ / only numeric questions have a range")
    earlier = {p.item_id for s in d.sections[:n] for p in s.questions} | {
        p.item_id for p in d.sections[n].questions[:i]
    }
    if c.show_if.strip():
        try:
            late = sorted(refs(parse(c.show_if)) - earlier)
        except ExprError as exc:
            raise InvalidInput.field("show_if", str(exc)) from None
        if late:
            raise InvalidInput.field("show_if", f"前の設問にない項目 / not an earlier item: {', '.join(late)}")
    edited = msgspec.structs.replace(
        q, required=c.required, minimum=minimum, maximum=maximum, show_if=c.show_if.strip()
    )
    sections = list(d.sections)
    sections[n] = msgspec.structs.replace(
        sections[n], questions=(*sections[n].questions[:i], edited, *sections[n].questions[i + 1 :])
    )
    return _with(d, sections)


def apply(d: Definition, change: Change) -> Definition:
    if isinstance(change, MoveQuestion):
        return _move_question(d, change)
    if isinstance(change, MoveSection):
        return _move_section(d, change)
    if isinstance(change, AddItem):
        return _add(d, change)
    if isinstance(change, Step):
        return apply(d, step(d, change.move))
    return _edit(d, change)


def step(d: Definition, what: str) -> MoveQuestion | MoveSection:
    """An up/down button's value as a move: "q:<item_id>:up" (across a section's edge into the
    neighbouring section) or "s:<section_id>:down"."""
    kind, _, rest = what.partition(":")
    key, _, direction = rest.rpartition(":")
    if direction not in ("up", "down") or kind not in ("q", "s"):
        raise InvalidInput.field("move", f"不正な移動 / not a move: {what[:80]}")
    delta = -1 if direction == "up" else 1
    if kind == "s":
        n = _section(d, key, "move")
        return MoveSection(section=key, position=min(max(n + delta, 0), len(d.sections) - 1))
    n, i = _find(d, key)
    size = len(d.sections[n].questions)
    if 0 <= i + delta < size:
        return MoveQuestion(item_id=key, section=d.sections[n].id, position=i + delta)
    if delta < 0 and n > 0:  # first of its section: to the end of the one before
        return MoveQuestion(item_id=key, section=d.sections[n - 1].id, position=len(d.sections[n - 1].questions))
    if delta > 0 and n < len(d.sections) - 1:  # last of its section: to the start of the next
        return MoveQuestion(item_id=key, section=d.sections[n + 1].id, position=0)
    return MoveQuestion(item_id=key, section=d.sections[n].id, position=i)  # already at the edge
