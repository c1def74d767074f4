"""The parameter file (パラメータファイル) of a database table: a small YAML document.
See PARAMS.md beside this file for the format. `parse()` validates it whole and names the
line and field of every error; it touches no database."""

from __future__ import annotations

import re

from govstat.platform.subsystems.statdb import params_catalog, params_classes
from govstat.platform.subsystems.statdb.params_layout import dimensions, layout, special
from govstat.platform.subsystems.statdb.params_model import Params, TableInfo, date, mapping, text
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.yamlnodes import MAX_BYTES, Map, YamlError, line_of, load

FORMAT = "1"
TOP_KEYS = {"format", "table", "data", "dimensions", "special", "special_en", "annotations", "annotations_en"}
TABLE_KEYS = {
    "gov_stat_code",
    "title",
    "table_no",
    "statistics_name",
    "cycle",
    "survey_date",
    "open_date",
    "explanation",
    *params_catalog.TABLE_KEYS,  # English names, SUB_CATEGORY and the sub-categories (issue 14)
}
SURVEY_DATE = re.compile(r"^[0-9]{4}([0-9]{2})?(-[0-9]{4}([0-9]{2})?)?$")


def parse(raw: bytes, problems: Problems) -> Params | None:
    """The parameter file, or None with the reasons in `problems`."""
    if len(raw) > MAX_BYTES:
        problems.add(
            1,
            "(file)",
            f"パラメータファイルが大きすぎます（{MAX_BYTES // 1024 // 1024} MiB まで）"
            f" / the parameter file is larger than {MAX_BYTES // 1024 // 1024} MiB",
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(1, "(file)", "UTF-8で保存してください / the parameter file must be UTF-8")
        return None
    try:
        root = load(text)
    except YamlError as exc:
        problems.add(exc.line, exc.field, str(exc))
        return None
    if not isinstance(root, Map):
        problems.add(1, "(file)", "YAMLの対応付け（key: value）で書いてください / must be a YAML mapping")
        return None
    for key in root:
        if key not in TOP_KEYS:
            problems.add(
                root.key_lines[key], key, f"知らない項目です / unknown key (expected one of {sorted(TOP_KEYS)})"
            )
    if root.get("format") != FORMAT:
        problems.add(line_of(root, "format"), "format", f"format: {FORMAT} を指定してください / must be {FORMAT}")
    table = _table(root.get("table"), root, problems)
    dims = dimensions(root.get("dimensions"), root, problems)
    lay = layout(root.get("data"), root, dims, problems)
    chars = special(root.get("special"), root, problems)
    params_catalog.dimensions(root.get("dimensions"), root, dims, problems)
    chars_en = params_catalog.special_en(root.get("special_en"), root, chars, problems)
    params_classes.dimensions(root.get("dimensions"), dims, problems)
    annotated = params_classes.annotation_symbols(root.get("annotations"), root, "annotations", problems)
    annotated_en = params_classes.annotation_symbols(root.get("annotations_en"), root, "annotations_en", problems)
    if problems:
        return None
    if annotated:  # kept with e-Stat's other catalogue fields (stat_table.spec)
        table.spec["annotations"] = params_classes.notes(annotated, annotated_en)
    return Params(
        table=table,
        layout=lay,
        dimensions=dims,
        special=chars,
        special_en=chars_en,
    )


def _table(value, root: Map, p: Problems) -> TableInfo:
    m = mapping(value, root, "table", "table", p)
    for key in m:
        if key not in TABLE_KEYS:
            p.add(m.key_lines[key], f"table.{key}", "知らない項目です / unknown key")
    info = TableInfo(
        gov_stat_code=text(m, "gov_stat_code", "table.gov_stat_code", p, required=True),
        title=text(m, "title", "table.title", p, required=True, max_len=500),
        table_no=text(m, "table_no", "table.table_no", p, max_len=32),
        statistics_name=text(m, "statistics_name", "table.statistics_name", p, max_len=500),
        cycle=text(m, "cycle", "table.cycle", p, max_len=50),
        survey_date=text(m, "survey_date", "table.survey_date", p, max_len=13),
        open_date=date(m, "open_date", "table.open_date", p),
        explanation=text(m, "explanation", "table.explanation", p, max_len=20000),
        gov_stat_line=line_of(m, "gov_stat_code"),
    )
    params_catalog.table(m, info, p)
    if info.gov_stat_code and not re.fullmatch(r"[0-9]{8}", info.gov_stat_code):
        p.add(info.gov_stat_line, "table.gov_stat_code", "政府統計コードは8桁の数字です / must be 8 digits")
    if info.survey_date and not SURVEY_DATE.match(info.survey_date):
        p.add(
            line_of(m, "survey_date"),
            "table.survey_date",
            "YYYY, YYYYMM または YYYYMM-YYYYMM で書いてください / YYYY, YYYYMM or YYYYMM-YYYYMM",
        )
    return info
