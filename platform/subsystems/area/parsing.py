"""Standard area codes (標準地域コード), AREA-1/AREA-2: code checks and file parsing.

Pure stdlib, no database. This file reads the shipped e-Stat 廃置分合等情報 in ./data
(see data/PROVENANCE.md) and turns each row into a ChangeRecord; lists.py reads the code
lists and prefectures. history.py builds validity intervals and successor chains from both.

Every 改正事由 (reason) text is parsed into code successions (Link) plus the codes
that end and start on that day. A template below matches each pattern in the
real file; rows that match none become kind 'other'.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from govstat.platform.subsystems.area.codes import (  # noqa: F401  (re-exported for callers)
    check_digit,
    infer_level,
    nfkc,
    split_code,
    with_check_digit,
)
from govstat.platform.subsystems.area.lists import own_names

DATA_DIR = Path(__file__).with_name("data")
DATA_START = date(1970, 4, 1)  # the first code list; valid_from None means "on or before this"
DATA_END = date(2024, 5, 26)  # the last code list

LEVELS = ("prefecture", "designated_city", "ward", "city", "town", "village", "district")
KINDS = (
    "merger_new",
    "merger_absorb",
    "promotion",
    "rename",
    "designated_city",
    "ward_change",
    "split",
    "boundary",
    "other",
)

# --- 廃置分合等情報 (changes) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """One succession old -> new implied by a change (the codes may be equal)."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str


@dataclass(frozen=True, slots=True)
class NewCode:
    """A code that (re)starts on the change date with this name; desig only when the text says it."""

    code: str
    name: str
    kana: str = ""
    desig: str = ""


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One row of estat-haichi.csv. The row describes `code` (its name on that day);
    the same event appears once per code involved. `ended`/`started` say which
    versions close/open on effective_on (used by history.build_versions)."""

    code: str
    pref_name: str
    desig_name: str
    name: str
    name_kana: str
    effective_on: date
    reason: str  # 改正事由 exactly as in the file
    kind: str
    links: tuple[Link, ...]
    desig_kana: str = ""
    ended: tuple[str, ...] = ()
    started: tuple[NewCode, ...] = ()


# An entity in the text is NAME(CODE) or NAME(かな、CODE); parentheticals without
# a code ("(7区から3区へ再編)", "(よなしろそん)") carry no succession and are dropped.
_CODE_PAREN = re.compile(r"\((?:([^()、]+)、)?(\d{5})\)")
_NO_CODE_PAREN = re.compile(r"\((?![^()]*\d{5}\))[^()]*\)")
_ITEM_SEP = re.compile(r"^(?:大字\S*?)?[、と]")  # between list items; 大字… = part of a village
_PREFECTURES = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
]
# "長野県山口村(20431)が岐阜県中津川市(21206)に編入": cross-prefecture texts qualify names
_PREF_PREFIX = re.compile(rf"^(?:{'|'.join(_PREFECTURES)})(?=.)")
_DISTRICT_PREFIX = re.compile(r"^(.+?(?:郡|支庁|振興局))(.+)$")
_VERB = r"(名称変更|市制施行|町制施行)"
_ONE = r"[^()]+\(\d{5}\)|[^()]+\([^()、]+、\d{5}\)"  # exactly one entity

_DESIGNATE = re.compile(r"^(?P<a>.+?\))の(?P<b>.+)への政令指定都市(?:施行|移行)$")
_MERGE = re.compile(r"^(?P<a>.*\))が合併し、(?P<b>.+)を新設$")
_SPLIT_OFF = re.compile(r"^(?P<a>.*\))から分離し、(?P<b>.+)を新設$")  # 分区: source continues
_DIVIDE = re.compile(r"^(?P<a>.*\))を分割し、(?P<b>.+)を新設$")  # 分割: source ends
_JOIN = re.compile(r"^(?P<a>.*\))が統合し、(?P<b>.+)を新設$")  # 合区
_REORG = re.compile(r"^(?P<a>.*\))を(?P<b>[^を]+\))に再編$")  # Hamamatsu 2024
_REORG_HEAD = re.compile(r"^.+\)の区の再編$")
_MOVE = re.compile(r"^(?P<a>.*\))が(?P<b>.+\))に(?:郡の)?区域変更$")  # 郡/支庁 changes
_STATUS = re.compile(r"^.+\)が(?:特例市|中核市|特例市から中核市)に移行$")  # no code change
_TWO_STEP = re.compile(rf"^(?P<a>{_ONE})が(?P<mid>[^()]+?)に{_VERB}し、(?P<b>{_ONE})に{_VERB}$")
_ONE_STEP = re.compile(rf"^(?P<a>{_ONE})が(?P<b>{_ONE})に{_VERB}$")
_NEW = re.compile(r"^(?P<a>.+\))の新設$")
_ABOLISH = re.compile(r"^(?P<a>.+\))の廃止$")
_ABSORB_CLAUSE = re.compile(r"^(?:(?P<a>.*\)(?:大字\S*?)?)|[^()]*)が(?P<b>[^()]+\(\d{5}\))$")


_WARD_TEMPLATES = (_SPLIT_OFF, _DIVIDE, _JOIN, _REORG)


def _match_any(line: str, templates: tuple) -> tuple | None:
    for t in templates:
        if m := t.match(line):
            return t, m
    return None


def _entities(segment: str) -> list[tuple[str, str, str]]:
    """'A町(01335)、B町(01336)' -> [('A町', '', '01335'), ('B町', '', '01336')]."""
    out, pos = [], 0
    for m in _CODE_PAREN.finditer(segment):
        head = segment[pos : m.start()]
        if out:  # the first item's connector was consumed by the template
            head = _ITEM_SEP.sub("", head, count=1)
        out.append((_PREF_PREFIX.sub("", head.strip()), (m.group(1) or "").strip(), m.group(2)))
        pos = m.end()
    return out


def _undistrict(name: str) -> tuple[str, str]:
    """'鳳珠郡穴水町' -> ('鳳珠郡', '穴水町'); used only where the text qualifies names by district."""
    m = _DISTRICT_PREFIX.match(name)
    return (m.group(1), m.group(2)) if m else ("", name)


def _is_ward(code: str) -> bool:
    return code[2] == "1"


class _Parsed:
    """Accumulates what the lines of one reason imply."""

    def __init__(self) -> None:
        self.kind: str | None = None
        self.links: list[Link] = []
        self.ended: list[str] = []
        self.started: list[NewCode] = []

    def set_kind(self, kind: str) -> None:
        self.kind = self.kind or kind  # the first line decides; later lines add 廃止/新設 of districts

    def link(self, old: tuple, new: tuple) -> None:
        self.links.append(Link(old[2], old[0], new[2], new[0]))

    def start(self, e: tuple, desig: str = "") -> None:
        self.started.append(NewCode(e[2], e[0], e[1], desig))


def _parse_line(line: str, p: _Parsed, siblings: set[str]) -> bool:
    """Apply one clause; False when no template matches."""
    if m := _DESIGNATE.match(line):
        old, new = _entities(m["a"])[0], _entities(m["b"])[0]
        p.set_kind("designated_city")
        p.link(old, new)
        p.ended.append(old[2])
        p.start(new)
    elif m := _MERGE.match(line):
        olds, new_part = _entities(m["a"]), m["b"]
        news = _entities(new_part)
        if news:
            new = news[0]
        else:  # "…が合併し、釧路市を新設": the new code is the same-named old one, else the sibling row's code
            same = [e[2] for e in olds if e[0] == new_part]
            rest = sorted(siblings - {e[2] for e in olds})
            code = same[0] if same else rest[0] if len(rest) == 1 else ""
            if not code:
                return False
            new = (new_part, "", code)
        p.set_kind("merger_new")
        for old in olds:
            p.link(old, new)
            p.ended.append(old[2])
        p.start(new)
    elif m := _match_any(line, _WARD_TEMPLATES):
        template, m = m
        olds, news = _entities(m["a"]), _entities(m["b"])
        wards = all(_is_ward(e[2]) for e in olds + news)
        p.set_kind("ward_change" if wards else "merger_new" if template is _JOIN else "split")
        for old in olds:
            for new in news:
                p.link(old, new)
        if template is not _SPLIT_OFF:  # 分離 keeps the source; 分割/統合/再編 end it
            p.ended.extend(e[2] for e in olds)
        for new in news:
            p.start(new)
    elif _REORG_HEAD.match(line):
        p.set_kind("ward_change")
    elif m := _MOVE.match(line):
        olds, news = _entities(m["a"]), _entities(m["b"])
        if len(olds) != len(news):
            return False
        p.set_kind("boundary")
        desig = ""
        for old, new in zip(olds, news, strict=False):
            old = (_undistrict(old[0])[1], old[1], old[2])
            d, name = _undistrict(new[0])
            desig = d or desig  # "鳳珠郡穴水町(17461)、門前町(17462)": the prefix carries over
            new = (name, new[1], new[2])
            p.link(old, new)
            p.ended.append(old[2])
            p.start(new, desig)
    elif _STATUS.match(line):
        p.set_kind("other")  # 中核市/特例市 status: no code or name change
    elif m := (_TWO_STEP.match(line) or _ONE_STEP.match(line)):
        old, new = _entities(m["a"])[0], _entities(m["b"])[0]
        verbs = [g for g in m.groups() if g in ("名称変更", "市制施行", "町制施行")]
        p.set_kind("promotion" if any(v.endswith("施行") for v in verbs) else "rename")
        p.link(old, new)
        p.ended.append(old[2])
        p.start(new)
    elif m := _NEW.match(line):
        news = _entities(m["a"])
        p.set_kind("ward_change" if all(_is_ward(e[2]) for e in news) else "other")
        for new in news:
            p.start(new)
    elif m := _ABOLISH.match(line):
        p.set_kind("other")
        p.ended.extend(e[2] for e in _entities(m["a"]))
    elif "に編入" in line:
        return _parse_absorb(line, p)
    else:
        return False
    return True


def _parse_absorb(line: str, p: _Parsed) -> bool:
    """'A(x)、B(y)がC(z)に編入' and the split form '…がC(z)に編入し、大字…がD(w)に編入'."""
    clauses = [c for c in re.split(r"に編入(?:し、)?", line)]
    if clauses[-1] != "":
        return False
    sources: list[tuple] = []
    targets = set()
    for clause in clauses[:-1]:
        m = _ABSORB_CLAUSE.match(clause)
        if not m:
            return False
        sources = _entities(m["a"]) if m["a"] else sources  # "大字精進…が" reuses the last source
        target = _entities(m["b"])[0]
        if not sources:
            return False
        targets.add(target[2])
        for src in sources:
            p.link(src, target)
            p.ended.append(src[2])
    # one source divided among several targets (上九一色村 2006) is a split (分割編入)
    p.set_kind("split" if len(targets) > 1 else "merger_absorb")
    return True


def parse_reason(reason: str, siblings: set[str] = frozenset()) -> tuple[str, list[Link], list[str], list[NewCode]]:
    """Parse one 改正事由. `siblings` = codes of all rows sharing this reason and date
    (used when a 新設 name carries no code). Returns (kind, links, ended, started)."""
    text = _NO_CODE_PAREN.sub("", unicodedata.normalize("NFKC", reason))
    p = _Parsed()
    ok = True
    for line in re.split(r"\s+", text):  # clauses are separated by newlines (and spaces in 2024 rows)
        if line and not _parse_line(line, p, siblings):
            ok = False
    if not ok:
        return "other", [], [], []
    links = list(dict.fromkeys(p.links))
    return p.kind or "other", links, list(dict.fromkeys(p.ended)), list(dict.fromkeys(p.started))


def parse_changes(path: Path) -> list[ChangeRecord]:
    """All rows of estat-haichi.csv as ChangeRecords, in file order."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    siblings: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        siblings.setdefault((r["廃置分合等施行年月日"], r["改正事由"]), set()).add(r["標準地域コード"])
    out = []
    for r in rows:
        kind, links, ended, started = parse_reason(r["改正事由"], siblings[(r["廃置分合等施行年月日"], r["改正事由"])])
        d, dk, n, nk = own_names(
            *(
                nfkc(r[k])
                for k in (
                    "政令市・郡・支庁・振興局等",
                    "政令市・郡・支庁・振興局等（ふりがな）",
                    "市区町村",
                    "市区町村（ふりがな）",
                )
            )
        )
        out.append(
            ChangeRecord(
                code=r["標準地域コード"],
                pref_name=nfkc(r["都道府県"]),
                desig_name=d,
                name=n,
                name_kana=nk,
                effective_on=date.fromisoformat(r["廃置分合等施行年月日"]),
                reason=r["改正事由"],
                kind=kind,
                links=tuple(links),
                desig_kana=dk,
                ended=tuple(ended),
                started=tuple(started),
            )
        )
    return out
