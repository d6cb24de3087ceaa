"""The reference baselines on sentences of the bundled report and the annotation guide."""

from __future__ import annotations

import pytest

from qidu_nlp.evaluation import baselines
from qidu_nlp.evaluation.baselines import (
    available_baselines,
    formulas_baseline,
    guess_kind,
    is_money,
    load_formulas,
    numeral_abbreviations,
    quoted_spans,
    quotes_baseline,
    rules_baseline,
)

S1 = "围绕“1221”工作体系，聚焦“强富美优”城市愿景，真抓实干、提效争先，推进“文化齐都 品质小城”建设和“三区两园一线”发展蓝图落地落实。"


def _surfaces(text, spans):
    return [text[s["start"] : s["end"]] for s in spans]


def test_quoted_spans_take_the_text_inside_the_marks():
    assert [S1[s:e] for s, e in quoted_spans(S1)] == ["1221", "强富美优", "文化齐都 品质小城", "三区两园一线"]


def test_adjacent_quotes_are_separate_spans():
    text = "盘活“闲地”“闲产”“闲人”“闲钱”"
    assert [text[s:e] for s, e in quoted_spans(text)] == ["闲地", "闲产", "闲人", "闲钱"]


def test_nested_quotes_give_the_outer_span_only():
    text = "打造“‘一村一品’示范镇”品牌"
    assert [text[s:e] for s, e in quoted_spans(text)] == ["‘一村一品’示范镇"]
    text = "打造“争创“一村一品”示范镇”品牌"
    assert [text[s:e] for s, e in quoted_spans(text)] == ["争创“一村一品”示范镇"]


def test_quotes_do_not_cross_a_line_break():
    text = "推进“文化齐都\n品质小城”建设"
    assert quoted_spans(text) == []


def test_half_width_quotes_pair_within_a_line():
    text = '实施"春风行动",开展"三提三争"活动'
    assert [text[s:e] for s, e in quoted_spans(text)] == ["春风行动", "三提三争"]


@pytest.mark.parametrize(
    "surface, kind",
    [("1221", "numeric"), ("三区两园一线", "numeric"), ("春风行动", "campaign"), ("强富美优", "motto")],
)
def test_guess_kind(surface, kind):
    assert guess_kind(surface) == kind


def test_quotes_baseline_spans_and_kinds():
    spans = quotes_baseline(S1)
    assert [(S1[s["start"] : s["end"]], s["kind"], s["label"]) for s in spans] == [
        ("1221", "numeric", "SLOGAN"),
        ("强富美优", "motto", "SLOGAN"),
        ("文化齐都 品质小城", "motto", "SLOGAN"),
        ("三区两园一线", "numeric", "SLOGAN"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("严格落实三重一大集体决策制度", ["三重一大"]),
        ("坚决打好三大攻坚战", ["三大攻坚战"]),
        ("科学编制十四五规划", ["十四五"]),
        ("推进三区两园一线建设", ["三区两园一线"]),
        ("新建三个村级服务站，完成两项改造", []),  # plain counts
        ("齐都镇第二十届人民代表大会第三次会议", []),  # ordinals
    ],
)
def test_numeral_abbreviations(text, expected):
    assert _surfaces(text, numeral_abbreviations(text)) == expected


def test_formula_list_has_the_guide_closed_list():
    formulas = load_formulas()  # the slogan rules' list, qidu_nlp/data/slogans/formulas.txt
    assert {"新发展理念", "新发展格局", "两个确立", "两个维护", "四个意识", "四个自信", "四个全面", "五位一体", "三个代表",
            "科学发展观", "放管服", "六稳", "六保", "三农", "双碳", "稳中求进工作总基调"} <= set(formulas)
    assert formulas["习近平新时代中国特色社会主义思想"] == "formula"
    assert formulas["中央八项规定"] == "numeric"
    assert formulas["放管服"] == "formula"


def test_formulas_baseline_on_a_report_sentence():
    text = "坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实党的二十大和二十届二中全会精神"
    assert formulas_baseline(text) == [{"start": 3, "end": 19, "label": "SLOGAN", "kind": "formula"}]
    assert text[3:19] == "习近平新时代中国特色社会主义思想"


def test_rules_baseline_prefers_the_quoted_span():
    text = "扎实做好“六稳”工作，全面落实“六保”任务，巩固三农基础"
    spans = rules_baseline(text)
    assert [(text[s["start"] : s["end"]], s["kind"]) for s in spans] == [
        ("六稳", "numeric"),
        ("六保", "numeric"),
        ("三农", "numeric"),
    ]


def test_rules_baseline_never_overlaps_itself():
    text = "以“两个维护”践行两个确立，坚持稳中求进工作总基调，打好三大攻坚战"
    spans = rules_baseline(text)
    assert _surfaces(text, spans) == ["两个维护", "两个确立", "稳中求进工作总基调", "三大攻坚战"]
    for a, b in zip(spans, spans[1:]):
        assert a["end"] <= b["start"]


def test_rules_baseline_on_local_dev_is_the_simple_rules_reference(local_dev_gold):
    from qidu_nlp.evaluation import predict, score

    pred = predict(local_dev_gold, detector=rules_baseline)
    result = score(local_dev_gold, pred, labels=["SLOGAN"])
    # the reference that any slogan detector has to beat (measured 0.902 strict F1)
    assert result["labels"]["SLOGAN"]["strict"]["f1"] > 0.85


def test_jieba_entities_offsets_and_labels():
    pytest.importorskip("jieba")
    text = "在区委、区政府和镇党委的坚强领导下，齐都镇与临淄区"
    spans = baselines.jieba_entities(text)
    assert {(text[s["start"] : s["end"]], s["label"]) for s in spans} >= {("临淄区", "PLACE"), ("镇党委", "ORG")}
    assert all(s["label"] in {"PERSON", "PLACE", "ORG"} for s in spans)


def test_jionlp_money_value_and_unit():
    pytest.importorskip("jionlp")
    text = "全年完成一般公共预算收入1.43亿元，同比增长34%；"
    assert baselines.jionlp_money(text) == [
        {"start": 12, "end": 18, "label": "QUANTITY", "value": 143000000.0, "unit": "元"}
    ]


def test_money_scope():
    assert is_money({"label": "QUANTITY", "unit": "元", "value": 1.0})
    assert is_money({"label": "QUANTITY", "unit": "美元", "value": 1.0})
    assert not is_money({"label": "QUANTITY", "unit": "%", "value": 34.0})
    assert not is_money({"label": "ORG"})


def test_available_baselines_order_and_scopes():
    table = {b.name: b for b in available_baselines()}
    assert list(table) == ["quotes", "rules", "formulas", "jieba", "lac", "jionlp"]
    assert table["rules"].labels == ("SLOGAN",)
    assert table["jieba"].labels == ("PERSON", "PLACE", "ORG")
    assert table["jionlp"].scope is is_money


def test_missing_optional_package_is_a_note(monkeypatch):
    def missing():
        raise ImportError("no jieba")

    monkeypatch.setattr(baselines, "_jieba_posseg", missing)
    (jieba,) = [b for b in available_baselines() if b.name == "jieba"]
    assert jieba.detect is None
    assert "pip install jieba" in jieba.note


class _FakeLAC:
    """What LAC's ``run`` returns for one line: its words and their tags."""

    def run(self, line):
        table = {"镇长刘菁华到临淄区调研": (["镇长", "刘菁华", "到", "临淄区", "调研"], ["n", "PER", "v", "LOC", "v"]),
                 "淄博市诗词学会命名": (["淄博市诗词学会", "命名"], ["ORG", "v"])}
        return table[line]


def test_lac_entities_lays_words_back_on_the_text(monkeypatch):
    # LAC itself needs PaddlePaddle; its output format is mocked here, the offsets are ours
    monkeypatch.setattr(baselines, "_lac", lambda: _FakeLAC())
    text = "镇长刘菁华到临淄区调研\n淄博市诗词学会命名"
    spans = baselines.lac_entities(text)
    assert [(text[s["start"]:s["end"]], s["label"]) for s in spans] == [
        ("刘菁华", "PERSON"), ("临淄区", "PLACE"), ("淄博市诗词学会", "ORG")]


def test_missing_lac_is_a_note(monkeypatch):
    def missing():
        raise ImportError("no LAC")

    monkeypatch.setattr(baselines, "_lac", missing)
    (lac,) = [b for b in available_baselines() if b.name == "lac"]
    assert lac.detect is None and "pip install lac" in lac.note
