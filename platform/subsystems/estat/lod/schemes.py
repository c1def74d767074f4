"""The reference code lists as SKOS: the standard area codes (area subsystem's published
interface) and the classifications (classification subsystem's), with Japanese and English labels
where the English name is known. Area codes keep e-Stat's own vocabulary (sacs:) and owl:sameAs
to e-Stat's URIs, so a table's area concepts (skos:exactMatch) lead to the code's history."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.area import published as areas
from govstat.platform.subsystems.classification import published as classifications
from govstat.platform.subsystems.estat.lod import vocab as v

EPOCH = dt.date(1970, 4, 1)  # the standard area codes' first day (e-Stat's URIs name it)
PREFECTURES_EN = [
    "Hokkaido",
    "Aomori",
    "Iwate",
    "Miyagi",
    "Akita",
    "Yamagata",
    "Fukushima",
    "Ibaraki",
    "Tochigi",
    "Gunma",
    "Saitama",
    "Chiba",
    "Tokyo",
    "Kanagawa",
    "Niigata",
    "Toyama",
    "Ishikawa",
    "Fukui",
    "Yamanashi",
    "Nagano",
    "Gifu",
    "Shizuoka",
    "Aichi",
    "Mie",
    "Shiga",
    "Kyoto",
    "Osaka",
    "Hyogo",
    "Nara",
    "Wakayama",
    "Tottori",
    "Shimane",
    "Okayama",
    "Hiroshima",
    "Yamaguchi",
    "Tokushima",
    "Kagawa",
    "Ehime",
    "Kochi",
    "Fukuoka",
    "Saga",
    "Nagasaki",
    "Kumamoto",
    "Oita",
    "Miyazaki",
    "Kagoshima",
    "Okinawa",
]


def area_name_en(code: str, level: str) -> str:
    """English names are known for the prefectures (their romanised names), not for municipalities."""
    if level == "prefecture" and code[:2].isdigit() and 1 <= int(code[:2]) <= 47:
        return PREFECTURES_EN[int(code[:2]) - 1]
    return ""


def _concept(code: str, name: str, level: str) -> v.Triples:
    s = v.n(v.area_uri(code))
    return [
        ox.Triple(s, v.A, v.CONCEPT),
        ox.Triple(s, v.A, v.n(v.SACS + "StandardAreaCode")),
        ox.Triple(s, v.IN_SCHEME, v.n(v.area_scheme_uri())),
        ox.Triple(s, v.NOTATION, v.plain(code)),
        ox.Triple(s, v.n(v.DCT + "identifier"), v.plain(code)),
        *v.labels(s, name, area_name_en(code, level)),
    ]


async def area_scheme(uow: UnitOfWork, day: dt.date) -> v.Triples:
    """The standard area codes valid on `day`: prefectures at the top, municipalities below them."""
    scheme = v.n(v.area_scheme_uri())
    out: v.Triples = [
        ox.Triple(scheme, v.A, v.SCHEME),
        *v.labels(scheme, "標準地域コード", "Standard area codes", pred=v.LABEL),
    ]
    codes = await areas.valid_on(uow, day)
    for a in codes.values():
        out += _concept(a.code, a.name, a.level)
        s = v.n(v.area_uri(a.code))
        parent = f"{a.pref_code}000"
        if a.level == "prefecture" or parent not in codes:
            out += [ox.Triple(scheme, v.TOP, s), ox.Triple(s, v.n(v.SKOS + "topConceptOf"), scheme)]
        else:
            p = v.n(v.area_uri(parent))
            out += [ox.Triple(s, v.BROADER, p), ox.Triple(p, v.NARROWER, s)]
    return out


async def area_code(uow: UnitOfWork, code: str) -> v.Triples:
    """One code with every version (names over time) and the codes it succeeded and that succeeded
    it (廃置分合); empty when the code is unknown."""
    versions = await areas.versions(uow, code)
    if not versions:
        return []
    last = versions[-1]
    s = v.n(v.area_uri(code))
    out = _concept(code, last.name, last.level)
    out += [
        ox.Triple(s, v.n(v.SACS + "checkDigitCode"), v.plain(last.code6)),
        *v.labels(s, last.pref_name, area_name_en(code[:2] + "000", "prefecture"), pred=v.n(v.SACS + "prefecture")),
    ]
    for ver in versions:
        start = ver.valid_from or EPOCH
        node = v.n(f"{v.area_uri(code)}/{start:%Y%m%d}")
        out += [
            ox.Triple(s, v.n(v.OWL + "sameAs"), v.n(f"http://data.e-stat.go.jp/lod/sac/C{code}-{start:%Y%m%d}")),
            ox.Triple(s, v.n(v.SACS + "version"), node),
            ox.Triple(node, v.LABEL, v.ja(ver.name)),
            ox.Triple(node, v.n(v.SACS + "level"), v.plain(ver.level)),
            ox.Triple(node, v.n(v.DCT + "valid"), v.plain(_period(start, ver.valid_to))),
        ]
        if ver.name_kana:
            out.append(ox.Triple(node, v.n(v.SACS + "kana"), v.ja(ver.name_kana)))
    for link in await areas.links(uow, code):
        when = ox.Literal(link.effective_on.isoformat(), datatype=v.DATE)
        if link.old_code == code and link.new_code != code:
            out.append(ox.Triple(s, v.n(v.SACS + "succeedingMunicipality"), v.n(v.area_uri(link.new_code))))
            out.append(ox.Triple(s, v.n(v.DCT + "isReplacedBy"), v.n(v.area_uri(link.new_code))))
        elif link.new_code == code and link.old_code != code:
            out.append(ox.Triple(s, v.n(v.SACS + "precedingMunicipality"), v.n(v.area_uri(link.old_code))))
            out.append(ox.Triple(s, v.n(v.DCT + "replaces"), v.n(v.area_uri(link.old_code))))
        else:
            continue
        out.append(ox.Triple(s, v.n(v.DCT + "date"), when))
    return out


def _period(start: dt.date, end: dt.date | None) -> str:
    """dcterms:valid as a DCMI Period (start=...; end=...;)."""
    return f"start={start.isoformat()};" + (f" end={end.isoformat()};" if end else "")


async def classification_schemes(uow: UnitOfWork, key: str | None = None) -> v.Triples:
    """Every classification version (or the one with `key`) with its items as a SKOS hierarchy."""
    out: v.Triples = []
    for s in await classifications.schemes(uow):
        if key is not None and s.key != key:
            continue
        scheme = v.n(v.classification_uri(s.key))
        out += [
            ox.Triple(scheme, v.A, v.SCHEME),
            ox.Triple(scheme, v.NOTATION, v.plain(s.key)),
            *v.labels(scheme, f"{s.name_ja}（{s.revision_ja}）", s.name_en),
            ox.Triple(scheme, v.n(v.DCT + "valid"), v.plain(_period(s.effective_from, None))),
        ]
        for i in await classifications.scheme_items(uow, s.key):
            c = v.n(f"{v.classification_uri(s.key)}/{v.code_part(i.code)}")
            out += [
                ox.Triple(c, v.A, v.CONCEPT),
                ox.Triple(c, v.IN_SCHEME, scheme),
                ox.Triple(c, v.NOTATION, v.plain(i.code)),
                *v.labels(c, i.name_ja, i.name_en),
            ]
            if i.parent_code:
                p = v.n(f"{v.classification_uri(s.key)}/{v.code_part(i.parent_code)}")
                out += [ox.Triple(c, v.BROADER, p), ox.Triple(p, v.NARROWER, c)]
            else:
                out += [ox.Triple(scheme, v.TOP, c), ox.Triple(c, v.n(v.SKOS + "topConceptOf"), scheme)]
    return out
