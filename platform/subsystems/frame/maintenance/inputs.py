"""The maintenance files and their checks, line by line and field by field: an economic-census
style file of survey results and a corporate-number style file of administrative records
(国税庁法人番号公表サイトの差分データに倣う: 処理区分 01 新規, 11 商号変更, 12 所在地変更, 71/81 閉鎖)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from govstat.platform.subsystems.frame.corpnum import problem as corp_problem

CENSUS = {"事業所番号": "id", "法人番号": "corporate_number", "事業所名": "name", "事業所名カナ": "name_kana",
          "地域コード": "area_code", "郵便番号": "postal_code", "所在地": "address", "産業分類": "jsic14",
          "従業者数": "employees"}  # fmt: skip
CORPORATE = {"処理区分": "process", "法人番号": "corporate_number", "商号": "name", "商号カナ": "name_kana",
             "地域コード": "area_code", "郵便番号": "postal_code", "所在地": "address"}  # fmt: skip
PROCESS = {"01": "new", "11": "renamed", "12": "moved", "71": "closed", "81": "closed",
           "新規": "new", "商号変更": "renamed", "所在地変更": "moved", "閉鎖": "closed"}  # fmt: skip
LAYOUTS = {"census": CENSUS, "corporate": CORPORATE}


@dataclass
class Checks:
    areas: set[str]
    jsic: set[str]
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, line: int, name: str, message: str) -> None:
        self.errors.append({"line": line, "field": name, "message": message})


def rows(kind: str, content: bytes, checks: Checks) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, record) for each line that passes its checks; the others become errors."""
    layout = LAYOUTS[kind]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        checks.error(1, "file", "UTF-8 で保存してください / the file is not UTF-8")
        return
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    missing = [h for h in layout if h not in header]
    if missing:
        checks.error(1, ",".join(missing), "見出しがありません / missing columns")
        return
    at = {layout[h]: header.index(h) for h in layout}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rec = {k: (values[i].strip() if i < len(values) else "") for k, i in at.items()}
        before = len(checks.errors)
        check(kind, line, rec, checks)
        if len(checks.errors) == before:
            yield line, rec


def check(kind: str, line: int, rec: dict[str, Any], checks: Checks) -> None:
    if rec["corporate_number"] and (why := corp_problem(rec["corporate_number"])):
        checks.error(line, "法人番号", why)
    if kind == "corporate":
        rec["process"] = PROCESS.get(rec["process"], "")
        if not rec["process"]:
            checks.error(line, "処理区分", "01/11/12/71/81 または 新規/商号変更/所在地変更/閉鎖 / unknown process")
        if not rec["corporate_number"]:
            checks.error(line, "法人番号", "必須です / required")
        if rec["process"] in ("new", "renamed") and not rec["name"]:
            checks.error(line, "商号", "必須です / required")
        if rec["process"] == "moved":
            _place(line, rec, checks)
        return
    if rec["id"] and not rec["id"].isdigit():
        checks.error(line, "事業所番号", "数字で記入してください / digits only")
    if not rec["name"]:
        checks.error(line, "事業所名", "必須です / required")
    _place(line, rec, checks)
    if rec["jsic14"] not in checks.jsic:
        checks.error(line, "産業分類", f"{rec['jsic14']!r} は日本標準産業分類（第14回改定）の細分類にありません")
    if not rec["employees"].isdigit():
        checks.error(line, "従業者数", "0以上の整数です / a whole number")
    else:
        rec["employees"] = int(rec["employees"])


def _place(line: int, rec: dict[str, Any], checks: Checks) -> None:
    if rec["area_code"] not in checks.areas:
        checks.error(
            line, "地域コード", f"{rec['area_code']!r} は有効な市区町村コードではありません / not a valid area code"
        )
    if not (len(rec["postal_code"]) == 7 and rec["postal_code"].isdigit()):
        rec["postal_code"] = rec["postal_code"].replace("-", "")
        if not (len(rec["postal_code"]) == 7 and rec["postal_code"].isdigit()):
            checks.error(line, "郵便番号", "7桁の数字です / seven digits")
