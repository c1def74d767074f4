"""XLSForm as an interchange profile of a questionnaire definition (the internal, DDI-mapped model
stays the master). ``export`` writes the survey, choices and settings sheets and answers, with the
workbook, what the profile cannot carry (never dropped silently); ``read`` turns an XLSForm back into
a Definition plus the same kind of report. pyxform checks the exported form (``to_xform``)."""

from __future__ import annotations

import io
from typing import Any

import msgspec

from govstat.platform.subsystems.items.definition import (
    ANSWER_TYPES,
    CodeList,
    CodeOption,
    Definition,
    EditCheck,
    Question,
    Section,
    questions,
)
from govstat.platform.subsystems.items.expr import Answered, In, Lit, Neg, Node, Not, Ref, parse, refs
from govstat.platform.web import xlsx_bounds
from govstat.platform.web.spreadsheet import xlsx_row

# a questionnaire's form is small (uploads up to 5 MB): every part bounded, together too
BOUNDS = xlsx_bounds.Bounds(shared_strings=16 * 1024 * 1024, other_xml=16 * 1024 * 1024, inflated=64 * 1024 * 1024)

SURVEY_COLUMNS = [
    "type",
    "name",
    "label::Japanese (ja)",
    "label::English (en)",
    "hint::Japanese (ja)",
    "hint::English (en)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Japanese (ja)",
    "constraint_message::English (en)",
    "read_only",
]
TYPES = {"integer": "integer", "decimal": "decimal", "text": "text", "date": "date"}
BOOLEAN_LIST = "govstat_boolean"


class Report(msgspec.Struct, kw_only=True):
    not_carried: list[str] = []  # what the other side does not hold, in Japanese / English
    notes: list[str] = []  # carried, but in a different shape


def _lit(v: Lit) -> str:
    if isinstance(v.value, bool):
        return "'1'" if v.value else "'0'"
    return str(v.value) if isinstance(v.value, int) or v.decimal else f"'{v.value}'"


def xpath(node: Node) -> str:
    """An expression of the language as XPath over ${item} references."""
    if isinstance(node, Lit):
        return _lit(node)
    if isinstance(node, Ref):
        return f"${{{node.item_id}}}"
    if isinstance(node, Answered):
        return f"${{{node.item_id}}} != ''"
    if isinstance(node, Not):
        return f"not({xpath(node.operand)})"
    if isinstance(node, Neg):
        return f"-({xpath(node.operand)})"
    if isinstance(node, In):
        return "(" + " or ".join(f"{xpath(node.operand)} = {_lit(o)}" for o in node.options) + ")"
    op = {"==": "=", "/": "div"}.get(node.op, node.op)
    return f"({xpath(node.left)} {op} {xpath(node.right)})"


def _from_xpath(text: str) -> str:
    """XPath of the shapes xpath() writes back to the language (others fail to parse and are reported)."""
    import re

    t = re.sub(r"\$\{(\w+)\}", r"\1", text).replace(" div ", " / ").replace("not(", "not (")
    return re.sub(r"(?<![<>!=])=(?!=)", "==", t)


def _constraint(q: Question) -> str:
    parts = []
    if q.minimum is not None:
        parts.append(f". >= {q.minimum}")
    if q.maximum is not None:
        parts.append(f". <= {q.maximum}")
    if q.max_length:
        parts.append(f"string-length(.) <= {q.max_length}")
    return " and ".join(parts)


def _put(ws: Any, values: list[str]) -> None:
    ws.append(xlsx_row(ws, values))


def export(definition: Definition) -> tuple[bytes, Report]:
    d = definition
    report = Report()
    checks_at: dict[str, list[EditCheck]] = {}
    order = [q.item_id for q in questions(d)]
    for check in d.edit_checks:
        last = max(refs(parse(check.rule)), key=order.index)
        checks_at.setdefault(last, []).append(check)
        report.notes.append(
            f"検査 {check.id} は {last} の制約として / edit check {check.id} carried as a constraint of {last}"
        )
    # Imported on first use: a heavy library few requests need (issue 15, the app's base RSS)
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    survey = wb.create_sheet("survey")
    _put(survey, SURVEY_COLUMNS)
    for s in d.sections:
        _put(
            survey,
            ["begin_group", s.id, s.title_ja, s.title_en, "", "", "", xpath(parse(s.show_if)) if s.show_if else ""],
        )
        for q in s.questions:
            kind = (
                TYPES.get(q.answer_type) or f"select_one {BOOLEAN_LIST if q.answer_type == 'boolean' else q.code_list}"
            )
            constraint = _constraint(q)
            messages = []
            for check in checks_at.get(q.item_id, []):
                constraint = " and ".join(x for x in (constraint, f"({xpath(parse(check.rule))})") if x)
                messages.append(check.message_ja or check.rule)
            hint = ((f"単位: {q.unit} " if q.unit else "") + q.help_ja).strip()
            hint_en = ((f"unit: {q.unit} " if q.unit else "") + q.help_en).strip()
            relevant = xpath(parse(q.show_if)) if q.show_if else ""
            row = [kind, q.item_id, q.label_ja, q.label_en, hint, hint_en, "yes" if q.required else "", relevant]
            _put(survey, [*row, constraint, " / ".join(messages), " / ".join(messages), "yes" if q.locked else ""])
            if q.preprint:
                report.not_carried.append(
                    f"{q.item_id}: プレプリント値（回答者ごとの事前記入）/ pre-printed values per respondent"
                )
            if q.unit:
                report.notes.append(f"{q.item_id}: 単位はヒントに / unit carried in the hint")
        _put(survey, ["end_group", s.id])
    choices = wb.create_sheet("choices")
    _put(choices, ["list_name", "name", "label::Japanese (ja)", "label::English (en)"])
    for c in d.code_lists:
        for o in c.options:
            _put(choices, [c.id, o.code, o.label_ja, o.label_en])
        if c.classification_version:
            report.not_carried.append(
                f"{c.id}: 分類の版 {c.classification_version} との連携 / link to classification version"
            )
    _put(choices, [BOOLEAN_LIST, "1", "はい", "Yes"])
    _put(choices, [BOOLEAN_LIST, "0", "いいえ", "No"])
    settings = wb.create_sheet("settings")
    _put(settings, ["form_title", "form_id", "version", "default_language"])
    _put(settings, [d.title_ja, f"{d.survey}_{d.cycle}".replace("-", "_"), str(d.version), "Japanese (ja)"])
    report.not_carried += [
        f"調査票の単位（{d.respondent_unit}）/ respondent unit",
        "調査項目・符号表の版（安定IDのみ）/ item and code list versions (stable ids only)",
        "和暦入力（XLSForm の date は西暦）/ 和暦 input (an XLSForm date is Gregorian)",
    ]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), report


def to_xform(workbook: bytes) -> tuple[str, list[str]]:
    """pyxform's XForm of the workbook and its warnings (raises pyxform's errors on a bad form)."""
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    result = convert(xlsform=workbook, warnings=warnings, file_type=".xlsx")
    return str(result.xform), warnings


def _sheet(wb: Any, name: str) -> list[dict[str, str]]:
    if name not in wb.sheetnames:
        return []
    rows = [[("" if c is None else str(c)).strip() for c in r] for r in wb[name].iter_rows(values_only=True)]
    if not rows:
        return []
    head = [h.lower() for h in rows[0]]
    return [dict(zip(head, r, strict=False)) for r in rows[1:] if any(r)]


def _label(row: dict[str, str], kind: str, lang: str) -> str:
    for key, value in row.items():
        if key.startswith(f"{kind}::") and f"({lang})" in key and value:
            return value
    return row.get(kind, "") if lang == "ja" else ""


def read(
    workbook: bytes, *, survey: str, cycle: str, respondent_unit: str, name: str = "", field: str = "file"
) -> tuple[Definition, Report]:
    """A Definition from an XLSForm workbook and what of the form it does not carry (`name`, `field`:
    the upload's, named when it inflates past BOUNDS)."""
    from openpyxl import load_workbook

    xlsx_bounds.check(workbook, BOUNDS, name=name, field=field)  # before openpyxl opens it (review h20)
    wb = load_workbook(io.BytesIO(workbook), read_only=True, data_only=True)
    report = Report()
    lists: dict[str, list[CodeOption]] = {}
    for r in _sheet(wb, "choices"):
        lists.setdefault(r.get("list_name", ""), []).append(
            CodeOption(code=r.get("name", ""), label_ja=_label(r, "label", "ja"), label_en=_label(r, "label", "en"))
        )
    sections: list[Section] = []
    current: list[Question] = []
    group = ("main", "調査票", "", "")
    used_lists: set[str] = set()

    def close() -> None:
        if current:
            sections.append(
                Section(
                    id=group[0],
                    title_ja=group[1] or group[0],
                    title_en=group[2],
                    show_if=group[3],
                    questions=tuple(current),
                )
            )

    def expr(text: str, where: str) -> str:
        if not text:
            return ""
        try:
            converted = _from_xpath(text)
            parse(converted)
            return converted
        except ValueError:
            report.not_carried.append(f"{where}: 条件式を変換できません / XPath not in the profile: {text}")
            return ""

    for r in _sheet(wb, "survey"):
        kind, name = r.get("type", ""), r.get("name", "")
        if kind in ("begin_group", "begin group"):
            close()
            current = []
            group = (name, _label(r, "label", "ja"), _label(r, "label", "en"), expr(r.get("relevant", ""), name))
            continue
        if kind in ("end_group", "end group"):
            close()
            current, group = [], ("main", "調査票", "", "")
            continue
        base, _, list_name = kind.partition(" ")
        answer = {"integer": "integer", "decimal": "decimal", "text": "text", "date": "date", "select_one": "code"}.get(
            base
        )
        if answer is None:
            report.not_carried.append(f"{name or kind}: 型 {kind} はプロファイル外 / type not in the profile")
            continue
        if answer == "code" and list_name == BOOLEAN_LIST:
            answer, list_name = "boolean", ""
        elif answer == "code":
            used_lists.add(list_name)
        if r.get("constraint"):
            report.not_carried.append(
                f"{name}: 制約 {r['constraint']}（範囲は調査項目の回答項目から）/ constraint (ranges come from the registered item)"
            )
        assert answer in ANSWER_TYPES
        current.append(
            msgspec.convert(
                {
                    "item_id": name,
                    "label_ja": _label(r, "label", "ja") or name,
                    "label_en": _label(r, "label", "en"),
                    "answer_type": answer,
                    "required": r.get("required", "").lower() in ("yes", "true", "true()"),
                    "code_list": list_name or None,
                    "show_if": expr(r.get("relevant", ""), name),
                    "locked": False,
                    "help_ja": _label(r, "hint", "ja"),
                },
                Question,
            )
        )
    close()
    settings = (_sheet(wb, "settings") or [{}])[0]
    code_lists = tuple(CodeList(id=k, name_ja=k, options=tuple(v)) for k, v in lists.items() if k in used_lists)
    definition = Definition(
        survey=survey,
        cycle=cycle,
        respondent_unit=respondent_unit,  # type: ignore[arg-type]
        title_ja=settings.get("form_title", "") or "XLSForm",
        sections=tuple(sections),
        code_lists=code_lists,
    )
    return definition, report
