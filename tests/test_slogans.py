"""Tests of the slogans (qidu_nlp.rules.slogans and the qidu_slogans component): real sentences, exact
spans, kinds, norms, frames."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import spacy

import qidu_nlp
from qidu_nlp.corpus.inventory import inventory
from qidu_nlp.resources import data_folder
from qidu_nlp.rules import slogans
from qidu_nlp.rules.slogans.candidates import find_candidates, numeral_candidates, quoted_candidates, slogan_norm
from qidu_nlp.rules.slogans.features import candidate_features, kind_features
from qidu_nlp.rules.slogans.judge import SloganModel, vectorize
from qidu_nlp.rules.slogans.lexicons import load_lexicons
from qidu_nlp.training.slogans import train

ROOT = Path(__file__).resolve().parents[1]
QIDU_GOLD = ROOT / "corpora" / "annotations" / "qidu_2024.jsonl"


@pytest.fixture(scope="module")
def nlp_sl():
    """Structure + slogans on the character segmenter (no pkuseg model needed)."""
    return qidu_nlp.load(segmenter="char", components=["qidu_structure", "qidu_slogans"])


@pytest.fixture(scope="module")
def qidu_gold() -> dict:
    return json.loads(QIDU_GOLD.read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture(scope="module")
def qidu_sl_doc(nlp_sl, qidu_gold):
    return nlp_sl(qidu_gold["text"])


def found(doc):
    return [(s.text, s._.qidu.kind) for s in doc.spans["slogans"]]


# --- the bundled report -----------------------------------------------------------------------


def test_slogans_bundled_report_matches_gold(qidu_sl_doc, qidu_gold):
    gold = {(s["start"], s["end"], s["kind"]) for s in qidu_gold["spans"] if s["label"] == "SLOGAN"}
    pred = {(s.start_char, s.end_char, s._.qidu.kind) for s in qidu_sl_doc.spans["slogans"]}
    tp = len(gold & pred)
    assert tp / len(pred) >= 0.95 and tp / len(gold) >= 0.95, sorted(pred ^ gold)


@pytest.mark.parametrize(
    "text,kind,norm,frame",
    [
        ("1221", "numeric", "1221", "工作体系"),
        ("强富美优", "motto", "强富美优", "城市愿景"),
        ("三区两园一线", "numeric", "三区两园一线", "发展蓝图"),
        ("4+N", "numeric", "4+N", "模式"),
        ("一村一品", "campaign", "一村一品", "文化品牌"),
        ("三提三争", "numeric", "三提三争", "活动"),
        ("婚姻登记下基层", "campaign", "婚姻登记下基层", "办证窗口"),
        ("零容忍", "motto", "零容忍", "态度"),
        ("八五", "numeric", "八五", "普法"),
        ("三公", "numeric", "三公", "经费"),
        ("就在齐都", "campaign", "就在齐都", "专项招聘活动"),
        ("稳中求进工作总基调", "formula", "稳中求进工作总基调", None),
        ("中央八项规定", "numeric", "中央八项规定", None),
    ],
)
def test_slogans_bundled_report_kind_norm_frame(qidu_sl_doc, text, kind, norm, frame):
    spans = [s for s in qidu_sl_doc.spans["slogans"] if s.text == text]
    assert spans, text
    assert (spans[0]._.qidu.kind, spans[0]._.qidu.norm, spans[0]._.qidu.frame) == (kind, norm, frame)
    assert 0.0 <= spans[0]._.qidu.score <= 1.0


def test_slogans_bundled_report_every_gold_slogan_found(qidu_sl_doc, qidu_gold):
    text = qidu_gold["text"]
    gold = [(text[s["start"] : s["end"]], s["kind"]) for s in qidu_gold["spans"] if s["label"] == "SLOGAN"]
    pred = set(found(qidu_sl_doc))
    assert [g for g in gold if g not in pred] == []


def test_slogans_spans_respect_sentences_and_lines(qidu_sl_doc):
    sents = [(s.start_char, s.end_char) for s in qidu_sl_doc.sents]
    for span in qidu_sl_doc.spans["slogans"]:
        assert "\n" not in span.text and span.text == span.text.strip()
        assert any(a <= span.start_char and span.end_char <= b for a, b in sents), span.text
    spans = sorted((s.start_char, s.end_char) for s in qidu_sl_doc.spans["slogans"])
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))


def test_slogans_pkuseg_spans_are_exact(qidu_gold):
    nlp = qidu_nlp.load(components=["qidu_structure", "qidu_slogans"])
    doc = nlp(qidu_gold["text"][:1500])
    assert ("三区两园一线", "numeric") in found(doc)
    for span in doc.spans["slogans"]:
        assert span.text == doc.text[span.start_char : span.end_char]


# --- rejection rules (one case each) ------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence,rejected",
    [
        ("我县连续两年入选“全国县域经济强县”,列全省第8位。", "全国县域经济强县"),  # honorary title
        ("入选全省县域经济发展“十佳”县。", "十佳"),  # honour + place suffix
        ("通过“中国瓷都”“中国婚纱礼服名城”复评。", "中国瓷都"),  # title before 复评
        ("清运“三堆”等垃圾2万余立方，实现人居环境“旧貌”换“新颜”。", "旧貌"),  # emphasis/contrast
        ("清运“三堆”等垃圾2万余立方，实现人居环境“旧貌”换“新颜”。", "新颜"),
        ("与中石化销售公司、航天云机“易嘉油智能机器人”联合研发项目已落地开工。", "易嘉油智能机器人"),  # product
        ("雄宇索道、工控“进未来”标准厂房等16个项目开工建设。", "进未来"),  # part of a project name
        ("成立县“三农”服务超市,新培育农民合作社52家。", "三农"),  # inside an ORG name
        ("企业海外上市实现“零”的突破。", "零"),  # one-character emphasis
        ("有力应对贵阳“8·31”疫情。", "8·31"),  # event date code
        ("落实《村（社区）网格化监管图》“一图监管”督查机制。", "村（社区）网格化监管图"),  # 《》 title
        ("抓好山东昊瑞环保等10个重点项目建设，年内4个项目开工建设。", "10个重点"),  # count
        ("举办镇第一届安全生产应急救援技能比武。", "第一届"),  # ordinal
        ("坚持把精准招大引强和提速项目建设作为园区发展的两大抓手。", "两大抓手"),  # descriptive count
        ("过去五年,我们践行创新发展理念,综合实力显著增强。", "新发展理念"),  # formula inside a word
    ],
)
def test_slogans_rejections(nlp_sl, sentence, rejected):
    assert rejected not in [t for t, _ in found(nlp_sl(sentence))]


def test_slogans_slogan_inside_honour_list_is_kept(nlp_sl):
    doc = nlp_sl("荣获全国民族团结进步示范县、全国“七五”普法中期先进县、全国信访工作“三无”县。")
    assert found(doc) == [("七五", "numeric"), ("三无", "numeric")]


def test_slogans_rejection_keeps_neighbours(nlp_sl):
    doc = nlp_sl("清运“三堆”等垃圾2万余立方，实现人居环境“旧貌”换“新颜”。")
    assert found(doc) == [("三堆", "numeric")]


# --- quotes ----------------------------------------------------------------------------------


def test_slogans_run_of_quoted_items(nlp_sl):
    doc = nlp_sl("聚焦“闲地”“闲产”“闲人”“闲钱”，坚持“基础模式”与“一村多策”并行。")
    texts = [t for t, _ in found(doc)]
    assert texts[:4] == ["闲地", "闲产", "闲人", "闲钱"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("实施“十四五”规划，落实‘三提三争’活动。", ["十四五", "三提三争"]),
        ("打造「文化齐都」品牌和『北进东拓』战略。", ["文化齐都", "北进东拓"]),
        ('落实"三提三争"活动。', ["三提三争"]),  # half-width double quotes
        ("落实'三提三争'活动。", ["三提三争"]),  # half-width single quotes, balanced
    ],
)
def test_slogans_quote_styles(text, expected):
    assert [text[c["start"] : c["end"]] for c in quoted_candidates(text)] == expected


def test_slogans_half_width_quotes_in_pipeline(nlp_sl):
    assert found(nlp_sl('落实"三提三争"活动部署。')) == [("三提三争", "numeric")]


def test_slogans_unbalanced_ascii_quote_is_ignored():
    assert quoted_candidates("落实'三提三争活动部署。") == []


def test_slogans_unclosed_quote_then_closed_one(nlp_sl):
    # a stray opening mark before a complete pair: only the pair counts
    assert found(nlp_sl("扎实推进“产业振兴，实施“春风行动”专项活动。")) == [("春风行动", "campaign")]


def test_slogans_nested_quotes_outer_only():
    t = "通过“全国‘文明’村镇”复评。"
    assert [t[c["start"] : c["end"]] for c in quoted_candidates(t)] == ["全国‘文明’村镇"]


# --- unquoted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("坚持以习近平新时代中国特色社会主义思想为指导，完整准确全面贯彻新发展理念。",
         [("习近平新时代中国特色社会主义思想", "formula"), ("新发展理念", "formula")]),
        ("严格遵守中央八项规定及其实施细则精神。", [("中央八项规定", "numeric")]),
        ("以打好三大攻坚战、推进高质量发展为主线。", [("三大攻坚战", "numeric")]),
        ("推行行政执法三项制度,完善政府法律顾问制度。", [("三项制度", "numeric")]),
        ("严格落实三重一大集体决策制度。", [("三重一大", "numeric")]),
        ("一批双招双引重大项目相继落地。", [("双招双引", "numeric")]),
    ],
)
def test_slogans_unquoted(nlp_sl, sentence, expected):
    assert found(nlp_sl(sentence)) == expected


def test_slogans_numeral_grammar_excludes_ordinals_and_counts():
    t = "第三次会议，三个村，二十大"
    assert numeral_candidates(t) == []


def test_slogans_quoted_once_then_repeated_unquoted(nlp_sl):
    doc = nlp_sl("聚焦“强富美优”城市愿景。建设强富美优新城区。")
    assert [(s.text, s.start_char, s._.qidu.kind) for s in doc.spans["slogans"]] == [
        ("强富美优", 3, "motto"),
        ("强富美优", 15, "motto"),
    ]


def test_slogans_known_corpus_set():
    out = slogans.detect("建设强富美优新城区。", known={"强富美优": "motto"})
    assert [(o["start"], o["end"], o["kind"]) for o in out] == [(2, 6, "motto")]


def test_slogans_sentence_start_and_end(nlp_sl):
    doc = nlp_sl("“婚姻登记下基层”办证窗口为我镇老人补办了结婚证。严格落实“三提三争”。")
    assert found(doc) == [("婚姻登记下基层", "campaign"), ("三提三争", "numeric")]


def test_slogans_candidates_skip_quoted_text():
    t = "坚定“两个确立”，坚持三重一大"
    assert [(t[c["start"] : c["end"]], c["source"]) for c in find_candidates(t, load_lexicons())] == [
        ("两个确立", "quoted"),
        ("三重一大", "numeral"),
    ]


# --- norms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a,b",
    [
        ("文化齐都 品质小城", "文化齐都\u3000品质小城"),
        ("“文化齐都 品质小城”", "文化齐都  品质小城"),
        ("４＋Ｎ", "4+N"),
        ("4 + n", "4+N"),
        ("全覆盖,无死角", "全覆盖，无死角"),
    ],
)
def test_slogans_norm_unifies_variants(a, b):
    assert slogan_norm(a) == slogan_norm(b)


def test_slogans_norm_in_pipeline(nlp_sl):
    doc = nlp_sl("推进“文化齐都　品质小城”建设。瞄定“文化齐都 品质小城”目标定位。")
    assert {s._.qidu.norm for s in doc.spans["slogans"]} == {"文化齐都 品质小城"}


# --- component: blank pipeline, config, serialisation --------------------------------------------


def test_slogans_blank_zh():
    nlp = spacy.blank("zh")
    nlp.add_pipe("qidu_slogans")
    doc = nlp("落实“三提三争”活动部署，坚决捍卫“两个确立”。")
    assert [(s.text, s._.qidu.kind, s._.qidu.frame) for s in doc.spans["slogans"]] == [
        ("三提三争", "numeric", "活动"),
        ("两个确立", "numeric", None),
    ]


def test_slogans_threshold_is_used():
    nlp = spacy.blank("zh")
    nlp.add_pipe("qidu_slogans", config={"threshold": 0.999})
    doc = nlp("聚焦“强富美优”城市愿景，坚持新发展理念。")
    # quoted candidates need the judge; the closed-list formula is fixed by rule
    assert [s.text for s in doc.spans["slogans"]] == ["新发展理念"]


def test_slogans_rules_mode_without_model():
    nlp = spacy.blank("zh")
    nlp.add_pipe("qidu_slogans", config={"use_model": False})
    doc = nlp("我县入选“全国县域经济强县”，实施“春风行动”。")
    assert [(s.text, s._.qidu.kind) for s in doc.spans["slogans"]] == [("春风行动", "campaign")]


def test_slogans_to_disk_from_disk_round_trip(tmp_path, qidu_gold):
    nlp = spacy.blank("zh")
    nlp.add_pipe("qidu_slogans", config={"known": ["强富美优\tmotto"]})
    text = qidu_gold["text"]
    doc = nlp(text)
    before = [(s.start_char, s.end_char, s._.qidu.kind, s._.qidu.norm, s._.qidu.frame, s._.qidu.score) for s in doc.spans["slogans"]]
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "qidu_slogans" / "model.joblib").is_file()
    nlp2 = spacy.load(tmp_path / "pipe")
    doc2 = nlp2(text)
    after = [(s.start_char, s.end_char, s._.qidu.kind, s._.qidu.norm, s._.qidu.frame, s._.qidu.score) for s in doc2.spans["slogans"]]
    assert before == after and len(before) > 40


def test_slogans_model_path_config(tmp_path):
    path = str(data_folder("slogans").joinpath("model.joblib"))
    nlp = spacy.blank("zh")
    nlp.add_pipe("qidu_slogans", config={"model": path})
    doc = nlp("围绕“1221”工作体系。")
    assert [s.text for s in doc.spans["slogans"]] == ["1221"]
    missing = spacy.blank("zh")
    missing.add_pipe("qidu_slogans", config={"model": str(tmp_path / "missing.joblib")})
    with pytest.raises(FileNotFoundError):
        missing.get_pipe("qidu_slogans").initialize()


# --- training and inventory -----------------------------------------------------------------------


def test_slogans_train_reports_cross_validated_scores(tmp_path):
    from conftest import shared_file

    out = tmp_path / "m.joblib"
    metrics = train([shared_file("local_dev/gold.jsonl")], out, seed=0, n_splits=2)
    assert out.is_file() and out.stat().st_size < 500_000
    assert metrics["folds"] == 2 and 0.0 < metrics["strict_f1"] <= 1.0
    assert set(metrics) >= {"threshold", "strict_f1", "overlap_f1", "kind_accuracy", "rules_strict_f1"}
    model = SloganModel.load(out)
    assert model.threshold == metrics["threshold"]


def test_slogans_train_needs_two_documents(tmp_path):
    with pytest.raises(ValueError, match="at least two documents"):
        train([QIDU_GOLD], tmp_path / "m.joblib")


def test_slogans_inventory_from_mentions():
    rows = pd.DataFrame(
        [
            {"doc_id": "a", "year": 2023, "label": "SLOGAN", "kind": "motto", "norm": "文化齐都 品质小城",
             "frame": "目标定位", "text": "文化齐都 品质小城", "sentence_text": "瞄定“文化齐都 品质小城”目标定位。"},
            {"doc_id": "b", "year": 2024, "label": "SLOGAN", "kind": "motto", "norm": "文化齐都\u3000品质小城",
             "frame": "建设", "text": "文化齐都\u3000品质小城", "sentence_text": "推进“文化齐都　品质小城”建设。"},
            {"doc_id": "b", "year": 2024, "label": "SLOGAN", "kind": "numeric", "norm": "四风",
             "frame": None, "text": "四风", "sentence_text": "纠治“四风”。"},
            {"doc_id": "b", "year": 2024, "label": "ORG", "kind": None, "norm": "区委",
             "frame": None, "text": "区委", "sentence_text": "区委。"},
        ]
    )
    inv = inventory_rows = inventory(rows)
    assert inventory_rows["norm"].tolist() == ["文化齐都 品质小城", "四风"]
    first = inv.iloc[0]
    assert (first["kind"], first["frames"], first["mentions"], first["documents"], first["first_year"], first["last_year"]) == (
        "motto", "建设;目标定位", 2, 2, 2023, 2024)


def test_slogans_inventory_from_docs(nlp_sl):
    doc = nlp_sl("聚焦“强富美优”城市愿景。建设强富美优新城区，纠治“四风”。")
    doc._.qidu.meta = {"id": "d1", "year": 2024}
    inv = inventory([doc])
    assert inv[["norm", "mentions", "documents"]].values.tolist() == [["强富美优", 2, 1], ["四风", 1, 1]]


def test_slogans_inventory_empty():
    assert list(inventory([])) == [
        "norm", "kind", "frames", "variants", "english", "english_years", "mentions", "documents", "first_year",
        "last_year", "example", "example_doc"]


def test_slogans_vectorize_equals_sklearn_transform(qidu_text):
    from qidu_nlp.text.normalize import normalize

    model, lex, norm = slogans.load_model(), load_lexicons(), normalize(qidu_text)
    cands = find_candidates(norm, lex)
    feats = candidate_features(norm, cands, lex)
    kinds = [kind_features(norm, c, lex) for c in cands]
    assert len(cands) > 50
    for vec, rows in ((model.vec, feats), (model.kind_vec, kinds)):
        fast, ref = vectorize(vec, rows), vec.transform(rows)
        assert fast.shape == ref.shape and (fast != ref).nnz == 0
        assert fast.indices.tolist() == ref.indices.tolist() and fast.indptr.tolist() == ref.indptr.tolist()
