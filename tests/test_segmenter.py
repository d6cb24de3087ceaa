"""The segmenter finds pkuseg's features by fingerprints and must give spacy-pkuseg's own words."""

from __future__ import annotations

import numpy as np
import pytest

from qidu_nlp.pipeline.download import model_dir
from qidu_nlp.pipeline.loader import user_dict_words
from qidu_nlp.pipeline.segmenter import FastPkuseg, FeatureIndex, fingerprints


@pytest.fixture(scope="module")
def segmenters():
    import spacy_pkuseg

    original = spacy_pkuseg.pkuseg(str(model_dir()), user_dict="default")
    fast = FastPkuseg(model_dir())
    for word in user_dict_words():
        original.preprocesser.insert(word.strip(), "")
        fast.preprocesser.insert(word.strip(), "")
    return original, fast


def test_segmenter_bundled_report_same_words(segmenters, qidu_text):
    original, fast = segmenters
    assert fast.cut(qidu_text) == original.cut(qidu_text)


@pytest.mark.parametrize("text", [
    "全年完成一般公共预算收入1.43亿元，同比增长34%，GDP增长５．２％。",  # digits, full-width digits and %
    "建设ＡＢＣ产业园和EOD项目，推进“4+N”模式，PM2.5浓度下降。",  # full-width and ASCII letters
    "a-b.c_d,e|f/g*h:i  镇长  刘菁华\u3000调研",  # pkuseg's keyword characters, spaces
    "𠀀𠀁龘齉，😀☺，" + "一" * 300,  # characters beyond the BMP, a long run of one character
    "坚持以“1221”工作体系为统领，聚焦“强富美优”城市愿景，落实新发展理念。",  # user-dictionary words
])
def test_segmenter_hostile_text_same_words(segmenters, text):
    original, fast = segmenters
    assert fast.cut(text) == original.cut(text)


def test_segmenter_index_finds_its_strings_and_nothing_else():
    words = ["c.的", "c.了", "w1.中国", "ww.l.**noWord*中国", ""]
    index = FeatureIndex.build(words, np.array([3, 4, 5, 6, 7]))
    from qidu_nlp.pipeline.segmenter import _Fp

    queries = words + ["c.的了", "c.", "w1.中", "ww.l.**noWord*中华"]
    assert index.lookup(_Fp(*fingerprints(queries))).tolist() == [3, 4, 5, 6, 7, -1, -1, -1, -1]


def test_segmenter_loads_without_the_feature_dict():
    fast = FastPkuseg(model_dir())
    words = fast.cut("全年完成一般公共预算收入1.43亿元，同比增长34%。")
    assert words == ["全年", "完成", "一般", "公共", "预算", "收入", "1.43亿", "元", "，", "同比", "增长", "34%", "。"]
    assert fast._extractor is None  # the 2.6 million feature strings are read only to save a pipeline
