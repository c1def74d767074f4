"""The enumerator list as CSV (UTF-8 with BOM for spreadsheets); every cell through the platform's
spreadsheet guard against formula injection."""

from __future__ import annotations

import io

from govstat.platform.subsystems.enumerators.rows import EnumeratorRow
from govstat.platform.web.spreadsheet import csv_writer

HEADER = ["氏名", "ふりがな", "電話", "メール", "任期開始", "任期終了", "状態", "担当地域コード", "備考"]


def enumerators_csv(rows: list[EnumeratorRow]) -> bytes:
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\r\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow(
            [
                r.name,
                r.name_kana,
                r.phone,
                r.email,
                r.appointed_from,
                r.appointed_to,
                r.status,
                " ".join(r.areas),
                r.note,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
