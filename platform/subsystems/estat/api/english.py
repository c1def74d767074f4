"""lang=E for the coded texts of an answer that are not names: RESULT.ERROR_MSG (getStatsDatas writes
its own, naming each request, in the language asked: bulk_shape.py) and CYCLE (TABLE_INF's and the catalogue's DATASET's: e-Stat's
fixed survey cycles). Names come
in English from the parameter file and the masters (inf.py); these are fixed words."""

from __future__ import annotations

import re
from typing import Any

from govstat.platform.subsystems.estat.api.bulk_shape import tables_of
from govstat.platform.subsystems.estat.api.faults import english

CYCLES = {
    "月次": "Monthly",
    "四半期": "Quarterly",
    "半期": "Semiannual",
    "年次": "Annual",
    "年度次": "Fiscal year",
    "一回限り": "One-time",
    "不定期": "Irregular",
    "週次": "Weekly",
    "日次": "Daily",
    "隔月": "Bimonthly",
    "その他": "Other",
}
_EVERY = re.compile(r"^(\d+)年(度)?$")  # 5年 (every five years), 3年度 (every three fiscal years)


def cycle(text: str) -> str:
    if text in CYCLES:
        return CYCLES[text]
    m = _EVERY.match(text)
    if m:
        return f"Every {m.group(1)} {'fiscal ' if m.group(2) else ''}years"
    return text


def _result(block: Any) -> None:
    if isinstance(block, dict) and isinstance(block.get("ERROR_MSG"), str):
        block["ERROR_MSG"] = english(int(block.get("STATUS", 0)), block["ERROR_MSG"])


def _tables(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    return [t for t in items if isinstance(t, dict)]


def in_english(body: dict[str, Any]) -> None:
    """Rewrites, in place, the answer's RESULT messages and CYCLEs (the answer is already English
    in its names)."""
    for root in body.values():
        if not isinstance(root, dict):
            continue
        if "PARAMETER_LIST" not in root:  # getStatsDatas' RESULT is written in the language asked
            _result(root.get("RESULT"))
        places = [root.get("DATALIST_INF"), root.get("METADATA_INF"), root.get("STATISTICAL_DATA")]
        tables = [t for p in places if isinstance(p, dict) and "TABLE_INF" in p for t in _tables(p["TABLE_INF"])]
        tables += [t for t in tables_of(root) if isinstance(t, dict)]
        catalog = root.get("DATA_CATALOG_LIST_INF")
        if isinstance(catalog, dict) and "DATA_CATALOG_INF" in catalog:
            tables += [c["DATASET"] for c in _tables(catalog["DATA_CATALOG_INF"]) if isinstance(c.get("DATASET"), dict)]
        for t in tables:
            for key in ("CYCLE", "FREQUENCY_OF_UPDATE"):  # the catalogue's DATASET writes the cycle twice
                if isinstance(t.get(key), str):
                    t[key] = cycle(t[key])
