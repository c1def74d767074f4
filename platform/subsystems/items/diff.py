"""The version diff report of two questionnaire definitions and the answer migration map by stable
item id: an answer to an item kept in the new version carries over (with a note when its answer
spec changed, e.g. a narrower range or a new code list version); an answer to a removed item is not
carried; a new item starts empty."""

from __future__ import annotations

from typing import Literal

import msgspec

from govstat.platform.subsystems.items.definition import Definition, Question, question_map

SPEC = (
    "answer_type",
    "unit",
    "minimum",
    "maximum",
    "max_length",
    "code_list",
    "required",
    "show_if",
    "locked",
    "label_ja",
)


class Change(msgspec.Struct, frozen=True, kw_only=True):
    item_id: str
    kind: Literal["added", "removed", "changed", "moved"]
    fields: list[str] = []  # what changed (for "changed")
    old: dict[str, str] = {}
    new: dict[str, str] = {}


class Migration(msgspec.Struct, frozen=True, kw_only=True):
    item_id: str
    action: Literal["carry", "carry-check", "drop", "new"]  # carry-check: carried, re-validate against the new spec


class VersionDiff(msgspec.Struct, frozen=True, kw_only=True):
    old_version: int
    new_version: int
    changes: list[Change]
    migration: list[Migration]
    code_lists: list[str]  # code lists whose version or codes changed


def _text(q: Question, f: str) -> str:
    v = getattr(q, f)
    return "" if v is None else str(v)


def diff(old: Definition, new: Definition) -> VersionDiff:
    a, b = question_map(old), question_map(new)
    order_a, order_b = list(a), list(b)
    changes: list[Change] = []
    migration: list[Migration] = []
    for item_id in order_b:
        if item_id not in a:
            changes.append(Change(item_id=item_id, kind="added"))
            migration.append(Migration(item_id=item_id, action="new"))
            continue
        fields = [f for f in SPEC if _text(a[item_id], f) != _text(b[item_id], f)]
        if fields:
            changes.append(
                Change(
                    item_id=item_id,
                    kind="changed",
                    fields=fields,
                    old={f: _text(a[item_id], f) for f in fields},
                    new={f: _text(b[item_id], f) for f in fields},
                )
            )
        elif [i for i in order_a if i in b].index(item_id) != [i for i in order_b if i in a].index(item_id):
            changes.append(Change(item_id=item_id, kind="moved"))
        spec_changed = any(f in fields for f in SPEC[:6]) or a[item_id].item_version != b[item_id].item_version
        migration.append(Migration(item_id=item_id, action="carry-check" if spec_changed else "carry"))
    for item_id in order_a:
        if item_id not in b:
            changes.append(Change(item_id=item_id, kind="removed"))
            migration.append(Migration(item_id=item_id, action="drop"))
    lists_a = {c.id: c for c in old.code_lists}
    changed_lists = [c.id for c in new.code_lists if c.id not in lists_a or lists_a[c.id] != c]
    return VersionDiff(
        old_version=old.version, new_version=new.version, changes=changes, migration=migration, code_lists=changed_lists
    )


def migrate(old_answers: dict[str, str], migration: list[Migration]) -> dict[str, str]:
    """Answers of the old version as answers of the new one (by stable item id)."""
    keep = {m.item_id for m in migration if m.action in ("carry", "carry-check")}
    return {k: v for k, v in old_answers.items() if k in keep}
