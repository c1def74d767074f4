"""CLASSIFICATION-1 data layer: the shipped files read as published, and the correspondence rule."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest

from govstat.platform.subsystems.classification.correspondence import base_name, compare, counts, name_key
from govstat.platform.subsystems.classification.parsing import DATA_DIR, load_all, search_norm


@pytest.fixture(scope="module")
def data():
    return {v.key: v for v in load_all().versions}


def test_counts_per_level_as_published(data):
    assert Counter(i.level for i in data["jsic-13"].items) == {1: 20, 2: 99, 3: 530, 4: 1460}
    assert Counter(i.level for i in data["jsic-14"].items) == {1: 20, 2: 99, 3: 536, 4: 1473}
    assert Counter(i.level for i in data["jsoc-2009"].items) == {1: 12, 2: 74, 3: 329}
    assert [i.code for i in data["jsoc-2009"].items if i.level == 1] == list("ABCDEFGHIJKL")


def test_paths_english_names_and_descriptions(data):
    rev14 = {i.code: i for i in data["jsic-14"].items}
    assert rev14["3911"].path_codes == ["G", "39", "391", "3911"]
    assert rev14["3911"].path_names == ["情報通信業", "情報サービス業", "ソフトウェア業", "受託開発ソフトウェア業"]
    assert rev14["3911"].name_en == "Custom software services"
    assert all(i.name_en for i in rev14.values())
    assert not any(i.name_en for i in data["jsic-13"].items)
    jsoc = {i.code: i for i in data["jsoc-2009"].items}
    # description = name + 「。」 + explanation in the file; the repeated name is dropped
    assert jsoc["104"].name_ja == "ソフトウェア作成者" and jsoc["104"].description.startswith("ソフトウェア作成（")
    assert "\n" in jsoc["A"].description  # multi-line quoted field kept whole
    assert jsoc["01"].parent_code == "A" and jsoc["011"].path_codes == ["A", "01", "011"]
    # the 2009 effective date is the 施行 day, not the 告示 month
    assert str(data["jsoc-2009"].effective_from) == "2010-04-01" and str(data["jsic-14"].effective_from) == "2024-04-01"


def test_the_shipped_csv_carries_a_bom():
    assert (DATA_DIR / "jsic-rev13-000420038.csv").read_bytes()[:3] == b"\xef\xbb\xbf"


def test_name_key_reads_notation_alike():
    assert name_key("農業，林業") == name_key("農業、林業")
    assert name_key("管理，補助的経済活動を行う事業所（01農業）") == name_key("管理、補助的経済活動を行う事業所")
    assert name_key("携帯電話機・PHS電話機製造業") != name_key("スマートフォン・携帯電話機・ＰＨＳ電話機製造業")
    assert base_name("コンビニエンスストア（飲食料品を中心とするものに限る）") == "コンビニエンスストア"
    assert search_norm("ＰＨＳ　電話") == "phs 電話"


def _item(code, name, level=4, parent=None):
    return SimpleNamespace(code=code, name_ja=name, level=level, parent_code=parent or code[:-1])


def test_the_rule_on_a_small_case():
    old = [
        _item("0001", "甲業"),
        _item("0002", "乙業"),
        _item("0003", "丙業"),
        _item("0004", "丁業（大）"),
        _item("0005", "戊業"),
    ]
    new = [
        _item("0001", "甲業"),
        _item("0002", "丙業"),
        _item("0003", "新丙業"),
        _item("0009", "丁業"),
        _item("0006", "己業"),
    ]
    pairs = {(p.kind, p.old_code, p.new_code) for p in compare(old, new)}
    assert pairs == {
        ("unchanged", "0001", "0001"),
        ("moved", "0003", "0002"),
        ("removed", "0002", None),
        ("moved", "0004", "0009"),
        ("removed", "0005", None),
        ("added", None, "0003"),
        ("added", None, "0006"),
    }


def test_revision_13_to_14_computed_from_the_data(data):
    pairs = compare(data["jsic-13"].items, data["jsic-14"].items)
    c = counts(pairs)
    assert {k: sum(v.values()) for k, v in c.items()} == {
        "unchanged": 2049,
        "renamed": 35,
        "moved": 22,
        "removed": 3,
        "added": 22,
    }
    # every item on either side appears exactly once
    assert sum(1 for p in pairs if p.old_code) == 2109 and sum(1 for p in pairs if p.new_code) == 2128
    by_old = {(p.level, p.old_code): p for p in pairs if p.old_code}
    assert by_old[(4, "0796")].kind == "renamed" and by_old[(4, "0796")].new_name == "解体・はつり工事業"
    assert by_old[(4, "8493")].kind == "removed"
    assert by_old[(4, "5892")].kind == "moved" and by_old[(4, "5892")].new_code == "5891"
    assert by_old[(3, "010")].kind == "unchanged"  # differs only by the （01農業） label and 「，」
