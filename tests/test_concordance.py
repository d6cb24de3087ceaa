"""Readable output: KWIC examples and concordances, values as reports write them, English renderings."""

from __future__ import annotations

import re

import pytest

from qidu_nlp.corpus import Corpus
from qidu_nlp.corpus.report import render
from qidu_nlp.resources import sample_path
from qidu_nlp.text.display import format_value, kwic


@pytest.fixture(scope="module")
def bundled(nlp):
    return Corpus.from_paths(sample_path()).analyze(nlp)


def test_concordance_every_slogan_example_holds_the_slogan(bundled):
    slogans = bundled.slogans
    assert len(slogans) > 40
    for _, row in slogans.iterrows():
        surfaces = row["variants"].split(";")
        assert any(s in row["example"] for s in surfaces), (row["norm"], row["example"])


def test_concordance_example_is_a_window_not_the_sentence_start(bundled):
    # 三区两园一线 stands 135 characters into its 188-character sentence: the report used to cut
    # the sentence at 90 characters, before the slogan
    row = bundled.slogans.set_index("norm").loc["三区两园一线"]
    assert row["example"] == ("…愿景，真抓实干、提效争先，推进“文化齐都 品质小城”建设和“三区两园一线”发展蓝图落地落实，"
                              "较好地完成了镇第二十届人大二次会议确定的…")
    assert row["example_doc"] == "qidu-2024"


def test_concordance_of_a_slogan_norm(bundled):
    table = bundled.concordance("强富美优", width=8)
    assert table.values.tolist() == [["…工作体系，聚焦“", "强富美优", "”城市愿景，真抓…", "qidu-2024", 2024]]


def test_concordance_places_repeated_surfaces_in_order(bundled):
    table = bundled.concordance("两个确立", label="SLOGAN", width=6)
    assert table["match"].tolist() == ["两个确立"] * len(table)
    assert len(table) == (bundled.mentions["norm"] == "两个确立").sum()


def test_concordance_of_a_pattern(bundled):
    table = bundled.concordance(r"同比增长\d+(?:\.\d+)?%", width=5)
    assert table["match"].tolist()[:2] == ["同比增长34%", "同比增长3.45%"]


def test_concordance_unknown_label_gives_an_empty_table(bundled):
    assert bundled.concordance("强富美优", label="PERSON").empty


@pytest.mark.parametrize("value, unit, text", [(143000000.0, "元", "1.43亿元"), (8071000000.0, "元", "80.71亿元"),
                                                (34.0, "%", "34%"), (3.45, "%", "3.45%"), (20000.0, "立方米", "2万立方米"),
                                                (600.0, "余户", "600余户"), (12000.0, "", "1.2万")])
def test_display_values_as_reports_write_them(value, unit, text):
    assert format_value(value, unit) == text


def test_display_kwic_refuses_a_span_outside_the_text():
    with pytest.raises(ValueError, match=r"span \(3, 9\) lies outside a text of length 5"):
        kwic("全年完成收", 3, 9)


def test_report_shows_formatted_values_and_marks_slogans(bundled):
    page = render(bundled)
    assert "<td>1.43亿元</td>" in page and "<td>34%</td>" in page
    assert "143000000" not in page
    assert re.search(r"聚焦“<mark>强富美优</mark>”城市愿景", page)


def test_report_gives_the_english_of_a_national_slogan(bundled):
    row = bundled.slogans.set_index("norm").loc["习近平新时代中国特色社会主义思想"]
    assert row["english"] == "Xi Jinping Thought on Socialism with Chinese Characteristics for a New Era"
    assert row["english_years"] == "2018-2022"


def test_report_document_table_is_searchable(bundled):
    page = render(bundled)
    assert "id=\"qidu-docs\"" in page and "qiduFind(this,'qidu-docs')" in page
