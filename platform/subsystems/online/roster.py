"""Reading the agency's respondent list (名簿) CSV: one row per unit, errors by line and field.

Columns (header row, any order): `respondent_id`, `unit_name`, `area_code` (required), `unit_id`
(default: the respondent id; several rows with one respondent id are one respondent's units),
`address`, `email`, and `pre:<item id>` for each pre-printed value. UTF-8 (with or without BOM) or
Shift_JIS (cp932), as spreadsheets in Japanese offices save it."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from govstat.platform.errors import FieldError, InvalidInput

CODE = re.compile(r"^[0-9A-Za-z_-]{1,32}$")
AREA = re.compile(r"^[0-9]{5}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]+$")
REQUIRED = ("respondent_id", "unit_name", "area_code")
KNOWN = {*REQUIRED, "unit_id", "address", "email"}
PRE = "pre:"
MAX_ROWS = 50_000
MAX_ERRORS = 200


@dataclass
class UnitLine:
    line: int
    unit_code: str
    unit_name: str
    address: str
    area_code: str
    preprint: dict[str, str]


@dataclass
class RespondentLines:
    code: str
    email: str
    units: list[UnitLine] = field(default_factory=list)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp932")
        except UnicodeDecodeError:
            raise InvalidInput.field(
                "file", "UTF-8 か Shift_JIS のCSVにしてください / save the CSV as UTF-8 or Shift_JIS"
            ) from None


def norm(text: str) -> str:
    """Full-width digits and letters folded to half-width (ＡＢ１２ -> AB12), blanks trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def parse(data: bytes) -> list[RespondentLines]:
    reader = csv.reader(io.StringIO(decode(data)))
    header = [norm(h) for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(
            "見出し行に必要な列がありません / the header lacks required columns",
            errors=[FieldError(f"line 1.{c}", "必須の列です / required column") for c in missing],
        )
    unknown = [h for h in header if h not in KNOWN and not (h.startswith(PRE) and len(h) > len(PRE))]
    if unknown:
        raise InvalidInput(
            "見出し行に不明な列があります / unknown columns",
            errors=[
                FieldError(f"line 1.{h}", "不明な列です（事前印字は pre:項目ID）/ unknown column") for h in unknown
            ],
        )
    errors: list[FieldError] = []
    out: dict[str, RespondentLines] = {}
    units: set[str] = set()
    for n, raw in enumerate(reader, start=2):
        if n > MAX_ROWS + 1:
            raise InvalidInput.field("file", f"{MAX_ROWS}行までにしてください / at most {MAX_ROWS} rows")
        if not any(v.strip() for v in raw):
            continue
        if len(raw) != len(header):
            errors.append(
                FieldError(f"line {n}", f"列の数が {len(raw)} です（見出しは {len(header)}）/ wrong number of columns")
            )
            continue
        row = {h: (norm(v) if not h.startswith(PRE) else v.strip()) for h, v in zip(header, raw, strict=True)}
        errors.extend(_check(n, row))
        code, unit_code = row["respondent_id"], row.get("unit_id") or row["respondent_id"]
        if unit_code in units:
            errors.append(FieldError(f"line {n}.unit_id", f"調査単位 {unit_code} が重複しています / duplicate unit"))
        units.add(unit_code)
        resp = out.setdefault(code, RespondentLines(code=code, email=row.get("email", "")))
        if row.get("email", "") and resp.email and row["email"] != resp.email:
            errors.append(
                FieldError(f"line {n}.email", "同じ回答者IDでメールアドレスが異なります / one e-mail per respondent")
            )
        resp.email = resp.email or row.get("email", "")
        pre = {h[len(PRE) :]: v for h, v in row.items() if h.startswith(PRE) and v != ""}
        resp.units.append(UnitLine(n, unit_code, row["unit_name"], row.get("address", ""), row["area_code"], pre))
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise InvalidInput(f"名簿に {len(errors)} 件の誤りがあります / the list has errors", errors=errors)
    if not out:
        raise InvalidInput.field("file", "回答者がいません / no respondents in the file")
    return list(out.values())


def _check(n: int, row: dict[str, str]) -> list[FieldError]:
    errors = []
    if not CODE.match(row["respondent_id"]):
        errors.append(FieldError(f"line {n}.respondent_id", "英数字・-・_ の32文字以内 / 1-32 letters, digits, - or _"))
    if row.get("unit_id") and not CODE.match(row["unit_id"]):
        errors.append(FieldError(f"line {n}.unit_id", "英数字・-・_ の32文字以内 / 1-32 letters, digits, - or _"))
    if not row["unit_name"] or len(row["unit_name"]) > 300:
        errors.append(FieldError(f"line {n}.unit_name", "必須です（300文字以内）/ required, at most 300 characters"))
    if not AREA.match(row["area_code"]):
        errors.append(
            FieldError(
                f"line {n}.area_code", f"5桁の標準地域コードにしてください（{row['area_code']!r}）/ a 5-digit area code"
            )
        )
    if row.get("email") and not EMAIL.match(row["email"]):
        errors.append(FieldError(f"line {n}.email", "メールアドレスの形式ではありません / not an e-mail address"))
    return errors
