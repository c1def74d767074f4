"""Area names -> standard area codes (`data.columns.area.match: name`), from the codes valid on a day
that the area module publishes (area/published.py).

A name matches after NFKC and with every space removed (`東　京　都` is 東京都). Accepted forms:
全国; a prefecture (`東京都`, or `東京` without 都府県; 北海道); a municipality (`府中市`), a ward
of a designated city (`札幌市中央区`, or `中央区` where that is unique), and either prefixed by
its prefecture (`東京都府中市`). A name several areas share (府中市 in 東京都 and 広島県) takes the
prefecture of the nearest prefecture row above it in the file, as e-Stat's files list them; if
that does not decide it, the error names the candidates."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from govstat.platform.subsystems.area.published import AreaCode

NATION = "00000"
SPACES = re.compile(r"\s+")


def normal(name: str) -> str:
    return SPACES.sub("", unicodedata.normalize("NFKC", name))


class AreaNames:
    def __init__(self, codes: dict[str, AreaCode]) -> None:
        self.codes = codes
        self.index: dict[str, set[str]] = defaultdict(set)
        self.prefs = prefs = {c.pref_code: normal(c.name) for c in codes.values() if c.level == "prefecture"}
        self.index["全国"].add(NATION)
        for code, c in codes.items():
            name = normal(c.name)
            if c.level == "prefecture":
                self.index[name].add(code)
                if name[-1:] in "都府県" and name != "北海道":
                    self.index[name[:-1]].add(code)
                continue
            if c.level == "district":
                continue
            pref = prefs.get(c.pref_code, "")
            forms = {name, pref + name}
            if c.level == "ward" and c.desig_name:
                full = normal(c.desig_name) + name
                forms |= {full, pref + full}
            for form in forms:
                self.index[form].add(code)

    def match(self, name: str, pref_code: str | None) -> tuple[str | None, list[str]]:
        """The code of `name` (None if none or several), and the candidates when several."""
        found = sorted(self.index.get(normal(name), ()))
        if len(found) > 1 and pref_code:
            narrowed = [c for c in found if c[:2] == pref_code[:2]]
            found = narrowed or found
        if len(found) == 1:
            return found[0], []
        return None, found

    def label(self, code: str) -> str:
        c = self.codes.get(code)
        if c is None:
            return code
        pref = "" if c.level == "prefecture" else self.prefs.get(c.pref_code, "")
        return f"{code} {pref}{c.desig_name}{c.name}"
