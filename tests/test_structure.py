"""Document structure: sentences, paragraphs, sections, header, normalisation and span alignment."""

from __future__ import annotations

import pytest

from qidu_nlp.text.header import parse_header
from qidu_nlp.text.structure import is_heading, section_paths, split_paragraphs, split_sentences
from qidu_nlp.text.normalize import normalize


def test_structure_sentences_keep_quotes_whole():
    text = "组织“春风行动”、“就在齐都”等专项招聘活动，做好人岗精准对接。巩固脱贫攻坚成果。"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "组织“春风行动”、“就在齐都”等专项招聘活动，做好人岗精准对接。", "巩固脱贫攻坚成果。"]


def test_structure_sentences_half_width_ends():
    text = "经济总量突破千亿!人均收入增长8%;城乡面貌焕然一新."
    assert [text[s:e] for s, e in split_sentences(text)] == ["经济总量突破千亿!", "人均收入增长8%;", "城乡面貌焕然一新."]


def test_structure_sentences_unbalanced_quote_does_not_swallow_the_paragraph():
    text = "开展“清零行动。" + "完成改造。" * 40
    assert len(split_sentences(text)) == 41


def test_structure_line_break_ends_a_sentence():
    text = "2023年政府工作回顾\n这一年，是齐都赓续奋进的一年。"
    assert [text[s:e] for s, e in split_sentences(text)] == ["2023年政府工作回顾", "这一年，是齐都赓续奋进的一年。"]


def test_structure_bundled_sections(qidu_text):
    paragraphs = split_paragraphs(qidu_text)
    paths = section_paths(qidu_text, paragraphs)
    by_text = {qidu_text[s:e][:9]: p for (s, e), p in zip(paragraphs, paths)}
    assert by_text["这是乡村振兴全面起"] == "2023年政府工作回顾"
    assert by_text["持续壮大产业园区。"] == "2024年目标任务和工作重点 > 一、突出产业赋能，创新驱动引领高位发展"
    assert by_text["深化美丽乡村建设。"] == "2024年目标任务和工作重点 > 二、致力城乡一体，精准施策推动全域振兴"
    assert by_text["坚持忠诚为政，铸牢"] == "全面加强政府自身建设"
    assert by_text["镇长  刘菁华"] == ""


@pytest.mark.parametrize(
    "line,level",
    [("2023年政府工作回顾", 1), ("一、突出产业赋能，创新驱动引领高位发展", 2), ("（一）坚持稳中求进", 3),
     ("各位代表、同志们：", 0), ("现在，我代表齐都镇第二十届人民政府向大会作工作报告。", 0)],
)
def test_structure_heading_levels(line, level):
    assert is_heading(line) == level


def test_structure_header_of_a_national_report():
    text = "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理 李强\n各位代表："
    h = parse_header(text)
    assert (h.date, h.place, h.level, h.speaker) == ("2024-03-05", "中国", "national", "李强")


def test_structure_header_county_report_with_acting_head():
    text = "政 府 工 作 报 告\n\n——2019年1月20日在平阴县第十八届人民代表大会第三次会议上\n\n平阴县代理县长王秀成\n\n各位代表:"
    h = parse_header(text)
    assert (h.date, h.place, h.level, h.meeting) == ("2019-01-20", "平阴县", "county", "平阴县第十八届人民代表大会第三次会议")


def test_normalize_keeps_length_and_folds_full_width():
    text = "增长１２．５％，[bookmark: _GoBack]政\uf020府\u200b"
    norm = normalize(text)
    assert len(norm) == len(text)
    assert norm.startswith("增长12.5%，") and "bookmark" not in norm and "\uf020" not in norm


def test_pipeline_sentences_and_text_unchanged(qidu_doc, qidu_text):
    assert qidu_doc.text == qidu_text
    sents = [s.text.strip() for s in qidu_doc.sents]
    assert "全年完成一般公共预算收入1.43亿元，同比增长34%；" in sents
    assert qidu_doc._.qidu.sections[0][2] == ""


def test_spans_split_tokens_at_boundaries():
    import spacy
    from spacy.tokens import Doc

    from qidu_nlp.pipeline.spans import write_spans

    nlp = spacy.blank("zh")
    doc = Doc(nlp.vocab, words=["以", "“", "三区两园一线发展", "规划", "”"], spaces=[False] * 5)
    doc.spans["earlier"] = [doc[2:4]]
    write_spans(doc, "slogans", [{"start": 2, "end": 8, "label": "SLOGAN", "kind": "numeric"}])
    assert [s.text for s in doc.spans["slogans"]] == ["三区两园一线"]
    assert doc.spans["slogans"][0]._.qidu.kind == "numeric"
    assert [s.text for s in doc.spans["earlier"]] == ["三区两园一线发展规划"]
