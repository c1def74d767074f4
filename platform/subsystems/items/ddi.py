"""A questionnaire definition as DDI-Lifecycle 3.3 XML (the codebook): a StudyUnit whose
DataCollection holds the QuestionScheme (one QuestionItem per question, with its response domain),
the ControlConstructScheme (a Sequence per section, IfThenElse for skip logic, ComputationItem for
edit checks) and the Instrument; its LogicalProduct holds the CategoryScheme, the CodeListScheme and
the VariableScheme (one Variable per item: the hand-off columns). Every element is identified by a
URN urn:ddi:jp.go.govstat:<id>:<version>; ``check`` confirms that every reference resolves."""

from __future__ import annotations

from lxml import etree

from govstat.platform.subsystems.items.definition import CodeList, CodeOption, Definition, Question, questions

AGENCY = "jp.go.govstat"
NS = {
    "ddi": "ddi:instance:3_3",
    "r": "ddi:reusable:3_3",
    "d": "ddi:datacollection:3_3",
    "l": "ddi:logicalproduct:3_3",
    "s": "ddi:studyunit:3_3",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NUMERIC = {"integer": "Integer", "decimal": "Decimal"}
BOOLEAN = CodeList(
    id="boolean",
    name_ja="はい・いいえ",
    name_en="Yes/No",
    options=(
        CodeOption(code="1", label_ja="はい", label_en="Yes"),
        CodeOption(code="0", label_ja="いいえ", label_en="No"),
    ),
)


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    e = etree.SubElement(parent, _q(tag), attrs)
    if text is not None:
        e.text = text
    return e


def _urn(ident: str, version: int) -> str:
    return f"urn:ddi:{AGENCY}:{ident}:{version}"


def _ident(parent: etree._Element, ident: str, version: int) -> None:
    _el(parent, "r:URN", _urn(ident, version))
    _el(parent, "r:Agency", AGENCY)
    _el(parent, "r:ID", ident)
    _el(parent, "r:Version", str(version))


def _strings(parent: etree._Element, tag: str, ja: str, en: str, inner: str = "r:String") -> None:
    e = _el(parent, tag)
    _el(e, inner, ja).set(XML_LANG, "ja")
    if en:
        _el(e, inner, en).set(XML_LANG, "en")


def _ref(parent: etree._Element, tag: str, ident: str, version: int, type_of: str) -> None:
    e = _el(parent, tag)
    _el(e, "r:URN", _urn(ident, version))
    _el(e, "r:TypeOfObject", type_of)


def _domain(item: etree._Element, q: Question, lists: dict[str, CodeList]) -> None:
    if q.answer_type in NUMERIC:
        dom = _el(item, "d:NumericDomain")
        _el(dom, "r:NumericTypeCode", NUMERIC[q.answer_type])
        if q.minimum is not None or q.maximum is not None:
            rng = _el(dom, "r:NumberRange")
            if q.minimum is not None:
                _el(rng, "r:Low", str(q.minimum), isInclusive="true")
            if q.maximum is not None:
                _el(rng, "r:High", str(q.maximum), isInclusive="true")
        if q.unit:
            _el(dom, "r:Label").append(_content(q.unit))
    elif q.answer_type == "code" and q.code_list in lists:
        c = lists[q.code_list]
        _ref(_el(item, "d:CodeDomain"), "r:CodeListReference", f"codelist-{c.id}", c.version, "CodeList")
    elif q.answer_type == "date":
        _el(_el(item, "d:DateTimeDomain"), "r:DateTypeCode", "Date")
    elif q.answer_type == "boolean":
        _ref(_el(item, "d:CodeDomain"), "r:CodeListReference", "codelist-boolean", 1, "CodeList")
    else:
        attrs = {"maxLength": str(q.max_length)} if q.max_length else {}
        _el(item, "d:TextDomain", **attrs)


def _content(text: str) -> etree._Element:
    e = etree.Element(_q("r:Content"))
    e.text = text
    e.set(XML_LANG, "ja")
    return e


def _command(parent: etree._Element, tag: str, rule: str) -> None:
    cmd = _el(_el(parent, tag), "r:Command")
    _el(cmd, "r:ProgramLanguage", "govstat-expr")
    _el(cmd, "r:CommandContent", rule)


def _code_lists(lp: etree._Element, lists: list[CodeList]) -> None:
    cats = _el(lp, "l:CategoryScheme")
    _ident(cats, "categories", 1)
    codes = _el(lp, "l:CodeListScheme")
    _ident(codes, "codelists", 1)
    for c in [*lists, BOOLEAN]:
        cl = _el(codes, "l:CodeList")
        _ident(cl, f"codelist-{c.id}", c.version)
        _strings(cl, "r:Label", c.name_ja, c.name_en, inner="r:Content")
        for o in c.options:
            code, ja, en = o.code, o.label_ja, o.label_en
            cat_id = f"category-{c.id}-{code}"
            cat = _el(cats, "l:Category")
            _ident(cat, cat_id, c.version)
            _strings(cat, "r:Label", ja, en, inner="r:Content")
            code_el = _el(cl, "l:Code")
            _ident(code_el, f"code-{c.id}-{code}", c.version)
            _ref(code_el, "r:CategoryReference", cat_id, c.version, "Category")
            _el(code_el, "r:Value", code)


def export(definition: Definition) -> bytes:
    """The definition as a DDI-Lifecycle 3.3 instance document (UTF-8)."""
    d, v = definition, definition.version
    base = f"questionnaire-{d.questionnaire_id or 'draft'}"
    root = etree.Element(_q("ddi:DDIInstance"), nsmap=NS)
    _ident(root, base, v)
    _strings(_el(root, "r:Citation"), "r:Title", d.title_ja, d.title_en)
    study = _el(root, "s:StudyUnit")
    _ident(study, f"{base}-study", v)
    _strings(_el(study, "r:Citation"), "r:Title", d.title_ja, d.title_en)
    pair = _el(study, "r:UserAttributePair")
    _el(pair, "r:AttributeKey", "govstat:survey/cycle/respondent_unit")
    _el(pair, "r:AttributeValue", f"{d.survey}/{d.cycle}/{d.respondent_unit}")
    dc = _el(study, "d:DataCollection")
    _ident(dc, f"{base}-collection", v)
    qs = _el(dc, "d:QuestionScheme")
    _ident(qs, f"{base}-questions", v)
    lists = {c.id: c for c in d.code_lists}
    for q in questions(d):
        item = _el(qs, "d:QuestionItem")
        _ident(item, f"question-{q.item_id}", q.item_version)
        _strings(item, "d:QuestionItemName", q.item_id, "")
        text = _el(item, "d:QuestionText")
        for lang, words in (("ja", q.label_ja), ("en", q.label_en)):
            if words:
                _el(_el(text, "d:LiteralText"), "d:Text", words).set(XML_LANG, lang)
        _domain(item, q, lists)
    ccs = _el(dc, "d:ControlConstructScheme")
    _ident(ccs, f"{base}-constructs", v)
    top = _el(ccs, "d:Sequence")
    _ident(top, f"{base}-sequence", v)
    for s in d.sections:
        seq = _el(ccs, "d:Sequence")
        _ident(seq, f"section-{s.id}", v)
        _strings(seq, "r:Label", s.title_ja, s.title_en, inner="r:Content")
        for q in s.questions:
            qc = _el(ccs, "d:QuestionConstruct")
            _ident(qc, f"construct-{q.item_id}", v)
            _ref(qc, "r:QuestionReference", f"question-{q.item_id}", q.item_version, "QuestionItem")
            target = f"construct-{q.item_id}"
            if q.show_if:
                ite = _el(ccs, "d:IfThenElse")
                _ident(ite, f"if-{q.item_id}", v)
                _command(ite, "d:IfCondition", q.show_if)
                _ref(ite, "d:ThenConstructReference", target, v, "QuestionConstruct")
                target = f"if-{q.item_id}"
                _ref(seq, "d:ControlConstructReference", target, v, "IfThenElse")
            else:
                _ref(seq, "d:ControlConstructReference", target, v, "QuestionConstruct")
        _ref(top, "d:ControlConstructReference", f"section-{s.id}", v, "Sequence")
    for c in d.edit_checks:
        comp = _el(ccs, "d:ComputationItem")
        _ident(comp, f"check-{c.id}", v)
        _strings(comp, "r:Description", c.message_ja or c.rule, c.message_en, inner="r:Content")
        _command(comp, "r:CommandCode", c.rule)
        _ref(top, "d:ControlConstructReference", f"check-{c.id}", v, "ComputationItem")
    inst = _el(dc, "d:Instrument")
    _ident(inst, f"{base}-instrument", v)
    _ref(inst, "d:ControlConstructReference", f"{base}-sequence", v, "Sequence")
    lp = _el(study, "l:LogicalProduct")
    _ident(lp, f"{base}-logical", v)
    _code_lists(lp, list(d.code_lists))
    vs = _el(lp, "l:VariableScheme")
    _ident(vs, f"{base}-variables", v)
    for q in questions(d):
        var = _el(vs, "l:Variable")
        _ident(var, f"variable-{q.item_id}", q.item_version)
        _strings(var, "l:VariableName", q.item_id, "")
        _strings(var, "r:Label", q.label_ja, q.label_en, inner="r:Content")
        _ref(var, "r:QuestionReference", f"question-{q.item_id}", q.item_version, "QuestionItem")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def check(document: bytes) -> list[str]:
    """Structural problems: unresolved references, identifiables without a URN; empty when sound."""
    root = etree.fromstring(document)
    defined = {e.text for e in root.iter(_q("r:URN")) if e.getparent() is not None and not _is_ref(e.getparent())}
    problems = [
        f"unresolved reference {e.text}"
        for e in root.iter(_q("r:URN"))
        if _is_ref(e.getparent()) and e.text not in defined
    ]
    if root.tag != _q("ddi:DDIInstance"):
        problems.append("root is not ddi:DDIInstance")
    return problems


def _is_ref(e: etree._Element | None) -> bool:
    return e is not None and etree.QName(e).localname.endswith("Reference")
