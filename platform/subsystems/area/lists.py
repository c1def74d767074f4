"""Standard area codes (標準地域コード), AREA-1: the e-Stat code lists (1970-04-01, 2024-05-26) and the
prefectures, as shipped in ./data (see data/PROVENANCE.md). Pure stdlib, no database."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from govstat.platform.subsystems.area.codes import infer_level, nfkc, split_code


@dataclass(frozen=True, slots=True)
class ListRow:
    """One row of an e-Stat code list. For a designated city or district the
    file leaves city_name empty; here `name` is always the row's own name and
    `desig_name` its container (政令市/郡/支庁/振興局), '' if none."""

    code: str
    pref_name: str
    desig_name: str
    desig_kana: str
    name: str
    name_kana: str
    last_change: date | None  # date_absorption_separation: last 廃置分合 of this code
    level: str


def own_names(desig: str, desig_kana: str, name: str, name_kana: str) -> tuple[str, str, str, str]:
    """(desig, desig_kana, name, name_kana) with a container-only row (01100 札幌市) as its own name."""
    if name:
        return desig, desig_kana, name, name_kana
    return "", "", desig, desig_kana


def read_code_list(path: Path) -> list[ListRow]:
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            d, dk, n, nk = own_names(
                *(nfkc(r[k]) for k in ("city_desig_name", "city_desig_name_kana", "city_name", "city_name_kana"))
            )
            last = r["date_absorption_separation"]
            rows.append(
                ListRow(
                    r["city_code"],
                    nfkc(r["pref_name"]),
                    d,
                    dk,
                    n,
                    nk,
                    date.fromisoformat(last) if last else None,
                    infer_level(r["city_code"], n),
                )
            )
    return rows


@dataclass(frozen=True, slots=True)
class Prefecture:
    code: str  # '01000'
    name: str  # 北海道
    name_kana: str  # ほっかいどう (hiragana)
    name_en: str  # Hokkaido
    iso: str  # JP-01


def read_prefectures(path: Path) -> list[Prefecture]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        out = []
        for r in csv.DictReader(f):
            code = r["lgcode"].zfill(6)  # the file drops the leading zero: 10006 = 010006
            if split_code(code) != f"{int(r['pid']):02d}000":
                raise ValueError(f"prefecture row {r['pid']} has lgcode {r['lgcode']}")
            out.append(
                Prefecture(code[:5], nfkc(r["pref"]), nfkc(r["prefkana"]), r["pref_en"].strip(), r["ISO3166-2"].strip())
            )
    return out
