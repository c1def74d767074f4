"""What a revision changed, computed from the two versions' items (nothing here is typed in).

Items are only ever paired at the same level (大 with 大, 細 with 細), and each item is used
at most once. Names are compared after `name_key`:

    NFKC; whitespace removed; "," (Rev.13 writes the list comma as 「，」) read as 「、」;
    a trailing 「（NN…）」 that starts with a two-digit 中分類 code dropped (Rev.13's
    「管理，補助的経済活動を行う事業所（01農業）」 labels, absent from the Rev.14 source).

The passes, in this order:

1. unchanged - same code, same name key, same parent code. When the printed names differ
   (only in notation, e.g. 「，」 and 「、」) the row notes it.
   (Same code and name under another parent would be `moved`, rule "parent".)
2. moved     - different code, same name key; only where exactly one old and one new item
   of the level carry that name (rule "same_name").
3. renamed   - same code, different name, both items still unpaired (rule "code").
4. moved     - different code, same *base* name (the name key without a trailing
   parenthetical qualifier), one-to-one as in 2 (rule "similar_name"); e.g.
   「コンビニエンスストア（飲食料品を中心とするものに限る）」 5891 -> 「コンビニエンスストア」 5631.
5. removed / added - whatever is left. If the code still exists on the other side (taken by
   an item that moved there), the row notes that the code was reused.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

KINDS = ("unchanged", "renamed", "moved", "removed", "added")
KIND_NAMES = {
    "unchanged": "変更なし",
    "renamed": "名称変更",
    "moved": "移動（コード変更）",
    "removed": "廃止",
    "added": "新設",
}
KIND_NAMES_EN = {
    "unchanged": "unchanged",
    "renamed": "renamed",
    "moved": "moved (new code)",
    "removed": "removed",
    "added": "added",
}
NOTATION_ONLY = "表記のみ変更 / notation only"
CODE_REUSED = "コードは別項目が使用 / code reused by another item"

_MIDDLE_LABEL = re.compile(r"\(\d{2}[^()]*\)$")
_TRAILING_QUALIFIER = re.compile(r"\([^()]*\)$")


class ItemLike(Protocol):
    code: str
    level: int
    name_ja: str
    parent_code: str | None


@dataclass(frozen=True)
class Pair:
    level: int
    kind: str
    old_code: str | None
    old_name: str | None
    new_code: str | None
    new_name: str | None
    rule: str
    note: str = ""


def name_key(name: str) -> str:
    key = unicodedata.normalize("NFKC", name)
    key = re.sub(r"\s+", "", key).replace(",", "、")
    return _MIDDLE_LABEL.sub("", key)


def base_name(name: str) -> str:
    return _TRAILING_QUALIFIER.sub("", name_key(name))


def _one_to_one(olds: list[ItemLike], news: list[ItemLike], key) -> list[tuple[ItemLike, ItemLike]]:
    """Pairs (old, new) with equal key and different code, where the key is unique on both sides."""
    by_old, by_new = defaultdict(list), defaultdict(list)
    for o in olds:
        by_old[(o.level, key(o.name_ja))].append(o)
    for n in news:
        by_new[(n.level, key(n.name_ja))].append(n)
    pairs = []
    for k, candidates in by_old.items():
        targets = by_new.get(k, [])
        if len(candidates) == 1 and len(targets) == 1 and candidates[0].code != targets[0].code:
            pairs.append((candidates[0], targets[0]))
    return pairs


def compare(old_items: Iterable[ItemLike], new_items: Iterable[ItemLike]) -> list[Pair]:
    """Every old and every new item appears in exactly one pair (old first, in source order)."""
    old = list(old_items)
    new = list(new_items)
    new_by_code = {(n.level, n.code): n for n in new}
    old_codes = {(o.level, o.code) for o in old}
    paired_old: dict[int, Pair] = {}
    paired_new: set[int] = set()

    def pair(o: ItemLike | None, n: ItemLike | None, kind: str, rule: str, note: str = "") -> None:
        p = Pair(
            level=(o or n).level,
            kind=kind,
            old_code=o.code if o else None,
            old_name=o.name_ja if o else None,
            new_code=n.code if n else None,
            new_name=n.name_ja if n else None,
            rule=rule,
            note=note,
        )
        if o is not None:
            paired_old[id(o)] = p
        if n is not None:
            paired_new.add(id(n))
        if o is None:
            added.append(p)

    added: list[Pair] = []
    # 1. same code, same name
    for o in old:
        n = new_by_code.get((o.level, o.code))
        if n is not None and name_key(o.name_ja) == name_key(n.name_ja):
            if o.parent_code == n.parent_code:
                pair(o, n, "unchanged", "code+name", NOTATION_ONLY if o.name_ja != n.name_ja else "")
            else:
                pair(o, n, "moved", "parent", f"上位 {o.parent_code} -> {n.parent_code} / new parent")

    def left_old() -> list[ItemLike]:
        return [o for o in old if id(o) not in paired_old]

    def left_new() -> list[ItemLike]:
        return [n for n in new if id(n) not in paired_new]

    # 2. different code, same name
    for o, n in _one_to_one(left_old(), left_new(), name_key):
        pair(o, n, "moved", "same_name")
    # 3. same code, different name
    free_new = {(n.level, n.code): n for n in left_new()}
    for o in left_old():
        n = free_new.get((o.level, o.code))
        if n is not None:
            pair(o, n, "renamed", "code")
    # 4. different code, similar name
    for o, n in _one_to_one(left_old(), left_new(), base_name):
        pair(o, n, "moved", "similar_name")
    # 5. the rest
    for o in left_old():
        pair(o, None, "removed", "", CODE_REUSED if (o.level, o.code) in new_by_code else "")
    for n in left_new():
        pair(None, n, "added", "", CODE_REUSED if (n.level, n.code) in old_codes else "")

    return [paired_old[id(o)] for o in old] + added


def counts(pairs: Iterable[Pair]) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {k: {} for k in KINDS}
    for p in pairs:
        out[p.kind][p.level] = out[p.kind].get(p.level, 0) + 1
    return out
