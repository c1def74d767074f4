"""Standard area codes, AREA-1/AREA-2: validity intervals of every code and succession chains.

build_versions() replays the parsed 廃置分合 records (parsing.py) over the
1970-04-01 code list and checks the result against the 2024-05-26 list. A code
gets a new CodeVersion whenever its name, reading, level or container changes;
valid_to is exclusive (the day the change took effect).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from govstat.platform.subsystems.area.lists import ListRow, Prefecture, read_code_list, read_prefectures
from govstat.platform.subsystems.area.parsing import (
    DATA_DIR,
    DATA_START,
    ChangeRecord,
    Link,
    NewCode,
    infer_level,
    parse_changes,
    with_check_digit,
)

# 北方領土 villages: coded since 1983-04-01 but not counted among the 1,718 市町村
NORTHERN_TERRITORIES = frozenset({"01695", "01696", "01697", "01698", "01699", "01700"})
OKINAWA_REVERSION = date(1972, 5, 15)  # 沖縄の本土復帰: Okinawa codes start here
_MUNICIPAL = frozenset({"designated_city", "city", "town", "village"})


@dataclass(frozen=True, slots=True)
class CodeVersion:
    """One code with one set of names over [valid_from, valid_to).
    valid_from None = on or before 1970-04-01; valid_to None = still valid.
    `name` is the entity's own name (札幌市 for 01100, 石狩振興局 for 01300);
    `desig_name` its container (政令市/郡/支庁/振興局), '' for cities, districts
    and Tokyo's special wards."""

    code: str
    pref_code: str
    pref_name: str
    desig_name: str
    desig_kana: str
    name: str
    name_kana: str
    level: str
    valid_from: date | None
    valid_to: date | None

    @property
    def code6(self) -> str:
        return with_check_digit(self.code)

    @property
    def is_special_ward(self) -> bool:  # 特別区 (Tokyo's 23 wards)
        return self.level == "ward" and not self.desig_name

    @property
    def is_municipality(self) -> bool:
        """市区町村 as officially counted: cities (incl. designated), towns, villages and
        Tokyo's special wards; not 行政区, districts or the 北方領土 villages."""
        return (self.level in _MUNICIPAL or self.is_special_ward) and self.code not in NORTHERN_TERRITORIES

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


def valid_on(versions, day: date) -> list[CodeVersion]:
    """The versions in force on `day` (1970-04-01 or later; the data says nothing earlier)."""
    if day < DATA_START:
        raise ValueError(f"データは1970-04-01以降のみです: {day} / the data starts on 1970-04-01, got {day}")
    return [v for v in versions if v.valid_on(day)]


_LEVEL_ORDER = {"prefecture": 0, "district": 1, "designated_city": 1}  # containers open before members


class _Builder:
    """Open versions by code, closed ones in a list, and the problems met on the way."""

    def __init__(self, prefs: dict[str, Prefecture], issues: list[str]) -> None:
        self.prefs, self.issues = prefs, issues
        self.open: dict[str, CodeVersion] = {}
        self.closed: list[CodeVersion] = []
        self.alias: dict[tuple[str, str], tuple[str, str]] = {}  # (pref, old container name) -> new name, kana

    def new(self, code, desig, desig_kana, name, kana, valid_from) -> CodeVersion:
        pref = self.prefs[code[:2]]
        desig, desig_kana = self.desig(code, desig, desig_kana)
        return CodeVersion(
            code, code[:2], pref.name, desig, desig_kana, name, kana, infer_level(code, name), valid_from, None
        )

    def close(self, code: str, day: date, why: str) -> None:
        v = self.open.pop(code, None)
        if v is None:
            self.issues.append(f"{day} {code}: ends ({why}) but is not in force")
        elif v.valid_from is not None and v.valid_from >= day:
            pass  # opened earlier the same day (a same-day chain): no version
        else:
            self.closed.append(dataclasses.replace(v, valid_to=day))

    def open_version(self, v: CodeVersion) -> None:
        old = self.open.get(v.code)
        if old is not None:
            if (old.name, old.desig_name) == (v.name, v.desig_name) and (
                not v.name_kana or old.name_kana == v.name_kana
            ):
                return  # the same event seen from another row
            self.close(v.code, v.valid_from, "replaced")
        self.open[v.code] = v

    def rename_container(self, code: str, row: ListRow, day: date) -> None:
        """A 郡/支庁 renamed in place: new versions for it and for every member in force."""
        old = self.open[code]
        self.issues.append(
            f"{day} {code}: {old.name} -> {row.name} from the 2024-05-26 list (no 廃置分合 row); members follow"
        )
        self.alias[(code[:2], old.name)] = (row.name, row.name_kana)
        self.close(code, day, "container renamed")
        self.open[code] = dataclasses.replace(old, name=row.name, name_kana=row.name_kana, valid_from=day)
        for c, v in list(self.open.items()):
            if c[:2] == code[:2] and v.desig_name == old.name:
                self.close(c, day, "container renamed")
                self.open[c] = dataclasses.replace(v, desig_name=row.name, desig_kana=row.name_kana, valid_from=day)

    def desig(self, code: str, name: str, kana: str) -> tuple[str, str]:
        """A container name as of now: a text written with the old 支庁 name gets the new one."""
        return self.alias.get((code[:2], name), (name, kana))

    def container(self, code: str) -> CodeVersion | None:
        """The 政令市 of a ward / the 郡・支庁 of a town: the nearest lower open container code."""
        level = "designated_city" if code[2] == "1" else "district"
        if code[2] == "2" or code.startswith("131"):
            return None  # cities and Tokyo's special wards have no container
        best = None
        for c, v in self.open.items():
            if c[:2] == code[:2] and c < code and v.level == level and c != "13100" and (best is None or c > best.code):
                best = v
        return best


def build_versions(
    start_csv: Path,
    end_csv: Path,
    changes: list[ChangeRecord],
    *,
    prefectures_csv: Path | None = None,
    issues: list[str] | None = None,
) -> list[CodeVersion]:
    """Every code's versions over 1970-04-01..2024-05-26 (plus 47 prefecture rows).
    What had to be patched from the 2024 list, or could not be resolved, is appended to `issues`."""
    issues = [] if issues is None else issues
    prefs = {p.code[:2]: p for p in read_prefectures(prefectures_csv or DATA_DIR / "prefjp-utf8.csv")}
    start_rows, end_rows = read_code_list(start_csv), read_code_list(end_csv)
    b = _Builder(prefs, issues)
    for p in prefs.values():
        b.open[p.code] = CodeVersion(p.code, p.code[:2], p.name, "", "", p.name, p.name_kana, "prefecture", None, None)
    for r in start_rows:
        b.open[r.code] = b.new(r.code, r.desig_name, r.desig_kana, r.name, r.name_kana, None)
    ordered = sorted(changes, key=lambda c: c.effective_on)
    _seed_okinawa(b, ordered, end_rows)

    # kana of containers by (prefecture, name), for texts that name a new 郡 without a row of its own
    desig_kana = {(r.code[:2], r.name): r.name_kana for r in start_rows + end_rows if r.level == "district"}
    desig_kana.update({(c.code[:2], c.desig_name): c.desig_kana for c in changes if c.desig_name})
    by_day: dict[date, list[ChangeRecord]] = defaultdict(list)
    for c in ordered:
        by_day[c.effective_on].append(c)
    renames = _container_renames(start_rows, end_rows, changes)
    for day in sorted(set(by_day) | set(renames)):
        for code, row in renames.get(day, ()):
            b.rename_container(code, row, day)
        records = by_day.get(day, [])
        row_of = {(c.code, c.name): c for c in records}
        # a name that is started and passed on the same day (三好町 -> みよし町 -> みよし市) gets no version
        consumed = {
            (l.old_code, l.old_name)
            for c in records
            for l in c.links
            if (l.old_code, l.old_name) != (l.new_code, l.new_name)
        }
        for code in dict.fromkeys(code for c in records for code in c.ended):
            b.close(code, day, "abolished or renamed")
        started = [s for s in dict.fromkeys(s for c in records for s in c.started) if (s.code, s.name) not in consumed]
        for s in sorted(started, key=lambda s: (_LEVEL_ORDER.get(infer_level(s.code, s.name), 2), s.code)):
            b.open_version(_start(b, s, day, row_of.get((s.code, s.name)), desig_kana))

    _reconcile(b, end_rows)
    versions = b.closed + list(b.open.values())
    versions = _fill_kana(versions, changes, start_rows, end_rows)
    versions.sort(key=lambda v: (v.code, v.valid_from or date.min))
    return versions


def _container_renames(start_rows, end_rows, changes) -> dict[date, list[tuple[str, ListRow]]]:
    """郡/支庁 rows whose name differs between the two lists with no 廃置分合 row about them
    (囎唹郡 -> 曽於郡 1972-04-01, the 14 支庁 -> (総合)振興局 2010-04-01), keyed by the
    2024 list's last-change date of the row."""
    touched = {code for c in changes for code in (*c.ended, *(s.code for s in c.started))}
    first = {r.code: r for r in start_rows}
    out: dict[date, list[tuple[str, ListRow]]] = defaultdict(list)
    for r in end_rows:
        old = first.get(r.code)
        if (
            r.level == "district"
            and old is not None
            and old.name != r.name
            and r.code not in touched
            and r.last_change is not None
        ):
            out[r.last_change].append((r.code, r))
    return out


def _seed_okinawa(b: _Builder, ordered: list[ChangeRecord], end_rows: list[ListRow]) -> None:
    """Okinawa (47) is absent from the 1970 list: its codes start on the reversion day
    (本土復帰 1972-05-15). A code's first appearance tells its name then: the old name of
    the first change that ends it, else its 2024 row if no change ever started it."""
    first: dict[str, tuple[ChangeRecord, bool]] = {}
    for c in ordered:
        for code in c.ended:
            first.setdefault(code, (c, True))
        for s in c.started:
            first.setdefault(s.code, (c, False))
    for code, (c, ended_first) in first.items():
        if code[:2] == "47" and ended_first and code not in b.open:
            name = next(l.old_name for l in c.links if l.old_code == code) if c.links else c.name
            row = next((r for r in ordered if r.effective_on == c.effective_on and (r.code, r.name) == (code, name)), c)
            b.open[code] = b.new(
                code, row.desig_name, row.desig_kana, name, row.name_kana if row.name == name else "", OKINAWA_REVERSION
            )
    for r in end_rows:
        if r.code[:2] == "47" and r.code not in first and r.code not in b.open:
            b.open[r.code] = b.new(r.code, r.desig_name, r.desig_kana, r.name, r.name_kana, OKINAWA_REVERSION)


def _start(
    b: _Builder, s: NewCode, day: date, row: ChangeRecord | None, desig_kana: dict[tuple[str, str], str]
) -> CodeVersion:
    """The version a started code opens, with names from its own row of that day when there is one."""
    kana = s.kana or (row.name_kana if row else "")
    if s.desig:
        return b.new(s.code, s.desig, desig_kana.get((s.code[:2], s.desig), ""), s.name, kana, day)
    if row is not None:
        return b.new(s.code, row.desig_name, row.desig_kana, s.name, kana, day)
    if infer_level(s.code, s.name) in ("district", "designated_city", "city"):
        return b.new(s.code, "", "", s.name, kana, day)
    box = b.container(s.code)
    if box is None:
        b.issues.append(f"{day} {s.code} {s.name}: no 政令市/郡 found to contain it")
    return b.new(s.code, box.name if box else "", box.name_kana if box else "", s.name, kana, day)


def _reconcile(b: _Builder, end_rows: list[ListRow]) -> None:
    """Make the open versions agree with the 2024-05-26 list. A difference the 廃置分合 file
    does not explain (支庁 -> 振興局 on 2010-04-01, a new 郡 at a merger, the 北方領土
    villages) starts a version on the list's last-change date of the row, or of its
    container when only the container's name changed. Each patch is noted in issues."""
    end = {r.code: r for r in end_rows}
    for code in sorted(set(b.open) - set(end)):
        if b.open[code].level != "prefecture":
            b.issues.append(f"{code} {b.open[code].name}: in force at the end but not in the 2024-05-26 list")
    for code, r in end.items():
        v = b.open.get(code)
        if v is not None and (v.name, v.desig_name) == (r.name, r.desig_name):
            if r.name_kana and not v.name_kana:
                b.open[code] = dataclasses.replace(v, name_kana=r.name_kana)
            continue
        since = r.last_change
        if v is not None and v.name == r.name:  # only the container was renamed
            box = b.container(code)
            since = end[box.code].last_change if box is not None and box.code in end else since
        what = f"{v.desig_name}{v.name} -> " if v else "new "
        if since is None or (v is not None and v.valid_from is not None and since <= v.valid_from):
            b.issues.append(f"{code}: {what}{r.desig_name}{r.name} from the 2024-05-26 list, no date: patched in place")
            if v is not None:
                b.open[code] = dataclasses.replace(
                    v,
                    name=r.name,
                    name_kana=r.name_kana,
                    desig_name=r.desig_name,
                    desig_kana=r.desig_kana,
                    level=r.level,
                )
                continue
            since = DATA_START
        b.issues.append(f"{since} {code}: {what}{r.desig_name}{r.name} from the 2024-05-26 list (no 廃置分合 row)")
        if v is not None:
            b.close(code, since, "2024 list")
        b.open[code] = b.new(code, r.desig_name, r.desig_kana, r.name, r.name_kana, since)


def _fill_kana(versions, changes, start_rows, end_rows) -> list[CodeVersion]:
    """Fill missing readings from any row that gives this code the same name."""
    kana: dict[tuple[str, str], str] = {}
    for r in start_rows + end_rows:
        kana.setdefault((r.code, r.name), r.name_kana)
    for c in changes:
        if c.name_kana:
            kana.setdefault((c.code, c.name), c.name_kana)
    return [v if v.name_kana else dataclasses.replace(v, name_kana=kana.get((v.code, v.name), "")) for v in versions]


class History:
    """Succession graph from the links of all change records (deduplicated)."""

    def __init__(self, changes: list[ChangeRecord]) -> None:
        self._fwd: dict[str, list[tuple[date, Link]]] = defaultdict(list)
        self._back: dict[str, list[tuple[date, Link]]] = defaultdict(list)
        seen = set()
        for c in sorted(changes, key=lambda c: c.effective_on):
            for link in c.links:
                if (c.effective_on, link) not in seen:
                    seen.add((c.effective_on, link))
                    self._fwd[link.old_code].append((c.effective_on, link))
                    self._back[link.new_code].append((c.effective_on, link))

    def forward(self, code: str, after: date | None = None) -> list[tuple[date, Link]]:
        """All successions from `code` after `after`, followed transitively, oldest first
        (上磯町 01335 -> 北斗市 01236 on 2006-02-01, then whatever 01236 became).
        Later steps may share the day (三好町 -> みよし町 -> みよし市 on 2010-01-04)."""
        return self._walk(
            code, after, self._fwd, lambda d, t: t is None or d > t, lambda d, t: d >= t, lambda link: link.new_code
        )

    def backward(self, code: str, on: date | None = None) -> list[tuple[date, Link]]:
        """All successions into `code` on or before `on`, followed transitively, oldest first."""
        return self._walk(
            code, on, self._back, lambda d, t: t is None or d <= t, lambda d, t: d <= t, lambda link: link.old_code
        )

    @staticmethod
    def _walk(code, limit, edges, first_ok, next_ok, other) -> list[tuple[date, Link]]:
        out: dict[tuple[date, Link], None] = {}
        todo = [(code, limit, True)]
        while todo:
            c, t, first = todo.pop()
            for d, link in edges.get(c, ()):
                if (first_ok(d, t) if first else next_ok(d, t)) and (d, link) not in out:
                    out[(d, link)] = None
                    todo.append((other(link), d, False))
        return sorted(out, key=lambda x: (x[0], x[1].old_code, x[1].new_code))


@dataclass(frozen=True)
class AreaData:
    versions: tuple[CodeVersion, ...]
    changes: tuple[ChangeRecord, ...]
    history: History
    prefectures: tuple[Prefecture, ...]
    issues: tuple[str, ...]  # what build_versions could not reconcile or had to patch

    def valid_on(self, day: date) -> list[CodeVersion]:
        return valid_on(self.versions, day)

    def municipalities_on(self, day: date) -> list[CodeVersion]:
        return [v for v in valid_on(self.versions, day) if v.is_municipality]


def load_all(data_dir: Path | None = None) -> AreaData:
    """Versions, changes and history from the shipped copies (cached per directory)."""
    return _load(Path(data_dir or DATA_DIR).resolve())


@lru_cache(maxsize=4)
def _load(d: Path) -> AreaData:
    changes = parse_changes(d / "estat-haichi.csv")
    issues: list[str] = []
    versions = build_versions(
        d / "estat-areacode-19700401.csv",
        d / "estat-areacode-20240526.csv",
        changes,
        prefectures_csv=d / "prefjp-utf8.csv",
        issues=issues,
    )
    return AreaData(
        tuple(versions), tuple(changes), History(changes), tuple(read_prefectures(d / "prefjp-utf8.csv")), tuple(issues)
    )
