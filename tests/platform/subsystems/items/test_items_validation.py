"""Issue 10 §2: the pure validator of a questionnaire definition: NFKC normalisation, 和暦 dates,
ranges, code lists, required items, skip logic, locked pre-print values and edit checks across items,
each message naming the item in Japanese and English; the expression language never evaluates Python."""

import datetime as dt

import pytest

from govstat.platform.subsystems.items import japanese
from govstat.platform.subsystems.items.definition import check_definition, decode, encode
from govstat.platform.subsystems.items.expr import ExprError, parse
from govstat.platform.subsystems.items.validation import clean, validate, visible_questions
from tests.platform.subsystems.items.items_support import household

GOOD = {
    "hh_members": "３",
    "hh_male": "1",
    "hh_female": "２",
    "head_sex": "１",
    "head_birth": "昭和60年4月1日",
    "head_works": "いいえ",
}


def test_a_good_answer_is_normalised_and_a_hidden_question_is_not_required():
    d = household()
    assert check_definition(d) == []
    out = clean(d, GOOD)
    assert out.errors == []
    assert out.values["hh_members"] == "3" and out.values["head_sex"] == "1"
    assert out.values["head_birth"] == "1985-04-01" and out.values["head_works"] == "0"
    assert "head_hours" not in [q.item_id for q in visible_questions(d, GOOD)]
    shown = visible_questions(d, {**GOOD, "head_works": "はい"})
    assert shown[-1].item_id == "head_hours"
    errors = validate(d, {**GOOD, "head_works": "はい"})
    assert [(e.item_id, e.code) for e in errors] == [("head_hours", "required")]
    assert (
        "「週間就業時間」（head_hours）は必須" in errors[0].message_ja
        and '"Hours worked per week" (head_hours)' in errors[0].message_en
    )
    # a hidden question's answer is dropped, never stored
    assert "head_hours" not in clean(d, {**GOOD, "head_hours": "40"}).values


def test_each_error_names_its_item():
    d = household()
    bad = {**GOOD, "hh_members": "31", "hh_male": "x", "head_sex": "3", "head_birth": "平成31年5月1日"}
    errors = {e.item_id: e for e in validate(d, bad)}
    assert (
        errors["hh_members"].code == "range"
        and "「世帯員数」（hh_members）は 1～30人" in errors["hh_members"].message_ja
    )
    assert errors["hh_male"].code == "integer" and "Males" in errors["hh_male"].message_en
    assert errors["head_sex"].code == "code"
    assert errors["head_birth"].code == "date"  # 平成 ended on 30 April 2019
    assert "check:members_sum" not in errors  # a check over invalid answers is not judged


def test_edit_check_across_items_and_locked_preprint():
    d = household()
    errors = validate(d, {**GOOD, "hh_female": "1", "hh_name": "統計 花子"}, preprinted={"hh_name": "統計 太郎"})
    codes = {e.item_id: e for e in errors}
    assert codes["check:members_sum"].code == "check" and "「世帯員数」" in codes["check:members_sum"].message_ja
    assert codes["hh_name"].code == "locked"
    assert (
        validate(d, {**GOOD, "hh_name": "統計　太郎"}, preprinted={"hh_name": "統計 太郎"}) == []
    )  # NFKC: full-width space


def test_wareki_and_widths():
    assert japanese.parse_date("R6.4.1") == dt.date(2024, 4, 1)
    assert japanese.parse_date("令和元年５月１日") == dt.date(2019, 5, 1)
    assert japanese.parse_date("令和元年4月30日") is None
    assert japanese.parse_date("H31/4/30") == dt.date(2019, 4, 30)
    assert japanese.parse_date("2024年2月30日") is None
    assert japanese.wareki(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert japanese.parse_integer("１，２３４") == 1234 and japanese.parse_integer("▲５") == -5
    assert japanese.parse_decimal("１２．５") is not None


def test_the_expression_language_is_parsed_never_evaluated_as_python():
    with pytest.raises(ExprError):
        parse("__import__('os').system('true')")
    with pytest.raises(ExprError):
        parse("a ==")
    tree = parse("ｈｈ_members >= 2 and head_sex in ('1', '2') or not answered(x)")
    assert decode(encode(household())) == household()
    assert tree.op == "or"  # type: ignore[union-attr]
    broken = household()
    import msgspec

    late = msgspec.structs.replace(
        broken.sections[0],
        questions=(
            msgspec.structs.replace(broken.sections[0].questions[0], show_if="head_sex = '1'"),
            *broken.sections[0].questions[1:],
        ),
    )
    problems = check_definition(msgspec.structs.replace(broken, sections=(late, *broken.sections[1:])))
    assert any("head_sex" in p for p in problems)
