"""Tests of qidu_nlp.themes: taxonomy, keywords, weak labels, the classifier and the qidu_themes component."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from spacy.tokens import DocBin

import qidu_nlp
from qidu_nlp.pipeline.themes import ThemeTagger
from qidu_nlp.rules.themes.keywords import keyword_matrix, keyword_themes, lead_sentence, weak_labels
from qidu_nlp.rules.themes.model import MODEL_FILE, ThemeModel, load_model
from qidu_nlp.rules.themes.taxonomy import load_taxonomy
from qidu_nlp.training.themes import iter_corpus_texts, train
from qidu_nlp.text.normalize import normalize

NAMES = ["产业发展", "乡村振兴", "城乡建设", "生态环保", "文化旅游", "民生保障", "安全生产", "社会治理", "政府建设"]
ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "corpora" / "annotations" / "themes_eval.jsonl"


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="module")
def nlp_themes():
    return qidu_nlp.load(segmenter="char", components=["qidu_structure", "qidu_themes"])


@pytest.fixture(scope="module")
def qidu_themes_doc(nlp_themes, qidu_text):
    return nlp_themes(qidu_text)


def test_themes_taxonomy_names(taxonomy):
    assert [t.name for t in taxonomy] == NAMES
    assert all(t.keywords and t.description for t in taxonomy)


def test_themes_taxonomy_user_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[[theme]]\nname = "数字政府"\nkeywords = ["一网通办", "政务服务"]\n', encoding="utf-8")
    (theme,) = load_taxonomy(path)
    assert (theme.name, theme.strong) == ("数字政府", ("一网通办", "政务服务"))


@pytest.mark.parametrize(
    "content, message",
    [("", "no \\[\\[theme\\]\\]"), ('[[theme]]\nkeywords = ["甲"]\n', "no `name`"),
     ('[[theme]]\nname = "甲"\n[[theme]]\nname = "甲"\n', "repeat")],
)
def test_themes_taxonomy_errors(tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_taxonomy(path)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("依托忆当年高标准设施蔬菜产业园，持续推进农产品分拣中心建设，带动周边9个村设施蔬菜种植业发展。", "乡村振兴"),
        ("突出抓好扬尘治理和工业污染源综合整治，持续改善空气环境质量。", "生态环保"),
        ("加快基层网格规范化、标准化建设，实现一站式矛盾纠纷调处中心工作机制全覆盖。", "社会治理"),
        ("严格遵守中央八项规定及其实施细则精神，驰而不息纠治“四风”。", "政府建设"),
    ],
)
def test_themes_keyword_baseline_top_theme(taxonomy, text, expected):
    assert keyword_themes(text, taxonomy)[0][0] == expected


def test_themes_keywords_need_two_hits(taxonomy):
    assert keyword_themes("加大教育投入。", taxonomy) == []


def test_themes_lead_sentence():
    assert lead_sentence("持续壮大产业园区。坚持把精准招大引强作为抓手。") == "持续壮大产业园区。"
    assert lead_sentence("这一句话很长" * 10 + "。后面") == ""


def test_themes_weak_labels_from_heading(taxonomy, qidu_text):
    labelled = dict(weak_labels(qidu_text, taxonomy))
    para = next(p for p in labelled if p.startswith("持续育强新兴产业"))
    assert labelled[para] == ["产业发展"]


def test_themes_weak_labels_from_lead_sentence(taxonomy, qidu_text):
    labelled = dict(weak_labels(qidu_text, taxonomy))
    para = next(p for p in labelled if p.startswith("这是乡村振兴全面起势的一年"))
    assert "乡村振兴" in labelled[para]


def test_themes_weak_labels_skip_headings(taxonomy, qidu_text):
    assert not any(p.startswith("一、突出产业赋能") for p, _ in weak_labels(qidu_text, taxonomy))


def test_themes_packaged_model_is_small_and_covers_taxonomy():
    path = ROOT / "qidu_nlp" / "data" / MODEL_FILE
    assert path.stat().st_size < 3_000_000
    model = load_model()
    assert model.themes == NAMES
    probs = model.predict_proba(["加大教育投入，优化改善校园设施，做好基本公共卫生服务。"])
    assert probs.shape == (1, 9)
    assert NAMES[int(np.argmax(probs[0]))] == "民生保障"


def test_themes_model_path_missing_file_names_it(tmp_path):
    tagger = ThemeTagger(None, model_path=str(tmp_path / "none.npz"))
    with pytest.raises(FileNotFoundError, match="none.npz"):
        tagger.initialize()


def test_themes_train_is_reproducible(tmp_path, qidu_text):
    src = tmp_path / "qidu.txt"
    src.write_text(qidu_text, encoding="utf-8")
    info_a = train([src], tmp_path / "a.npz", seed=3)
    info_b = train([src], tmp_path / "b.npz", seed=3)
    assert info_a["label_counts"] == info_b["label_counts"]
    a, b = ThemeModel.load(tmp_path / "a.npz"), ThemeModel.load(tmp_path / "b.npz")
    assert np.array_equal(a.coef, b.coef)
    assert info_a["paragraphs"] == sum(1 for _ in weak_labels(qidu_text, load_taxonomy()))


def test_themes_train_reads_jsonl(tmp_path):
    path = tmp_path / "c.jsonl"
    recs = [{"id": "a", "text": "一、推进乡村振兴\n发展设施蔬菜，壮大村集体经济，带动农民增收。"}, {"id": "b", "zh": "加大教育投入，办好人民满意的教育。"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    assert list(iter_corpus_texts([path])) == [recs[0]["text"], recs[1]["zh"]]


def test_themes_component_paragraph_themes(qidu_themes_doc):
    doc = qidu_themes_doc
    per_para = doc._.qidu.paragraph_themes
    assert len(per_para) == len(doc._.qidu.paragraphs)

    def themes_of(prefix):
        (found,) = [[t for t, _ in th] for (s, _), th in zip(doc._.qidu.paragraphs, per_para) if doc.text.startswith(prefix, s)]
        return found

    assert themes_of("这是乡村振兴全面起势的一年")[0] == "乡村振兴"
    assert themes_of("四、创新社会治理") == ["社会治理"]
    assert themes_of("各位代表、同志们！心之所向") == []


def test_themes_component_sentence_spans(qidu_themes_doc):
    doc = qidu_themes_doc
    spans = doc.spans["themes"]
    sents = {(s.start_char, s.end_char) for s in doc.sents}
    assert spans and all(sp.label_ in NAMES for sp in spans)
    assert all(0.5 <= sp._.qidu.score <= 1 for sp in spans)
    assert all(not sp.text[0].isspace() and not sp.text[-1].isspace() and "\n" not in sp.text for sp in spans)
    starts = {s for s, _ in sents}
    assert all(sp.start_char in starts for sp in spans)
    seen = set()
    for sp in spans:
        assert (sp.start_char, sp.label_) not in seen
        seen.add((sp.start_char, sp.label_))


def test_themes_component_sentence_borrows_paragraph_theme(qidu_themes_doc):
    doc = qidu_themes_doc
    start = doc.text.index("总规划面积2000亩的齐都粮仓农业综合体项目")
    labels = [sp.label_ for sp in doc.spans["themes"] if sp.start_char == start]
    assert labels == ["乡村振兴"]


def test_themes_component_keyword_mode(qidu_text):
    nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure"])
    nlp.add_pipe("qidu_themes", config={"mode": "keywords"})
    assert nlp.get_pipe("qidu_themes").model is None
    doc = nlp("四、创新社会治理，建设和谐稳定社会大局\n提升基层治理效能。加快基层网格规范化建设，做到小事不出村、矛盾不上交。")
    assert [t for t, _ in doc._.qidu.paragraph_themes[1]] == ["社会治理"]


def test_themes_component_serialises(nlp_themes, tmp_path):
    doc = nlp_themes("一、增进民生福祉\n优化公共服务投入。加大教育投入，做好基本公共卫生服务，提升社会医疗保障水平。")
    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    back = list(bin_.from_bytes(bin_.to_bytes()).get_docs(nlp_themes.vocab))[0]
    assert [(s.label_, s._.qidu.score) for s in back.spans["themes"]] == [(s.label_, s._.qidu.score) for s in doc.spans["themes"]]
    # msgpack gives tuples back for lists: compare as JSON
    assert json.dumps(back._.qidu.paragraph_themes) == json.dumps(doc._.qidu.paragraph_themes)


def test_themes_component_to_disk_round_trip(nlp_themes, tmp_path):
    pipe = nlp_themes.get_pipe("qidu_themes")
    pipe.to_disk(tmp_path / "themes")
    other = ThemeTagger(nlp_themes, mode="keywords").from_disk(tmp_path / "themes")
    assert other.labels == pipe.labels
    assert other.mode == "keywords"  # settings come from the config, data from the folder
    assert np.array_equal(other.model.coef, pipe.model.coef.astype(np.float16).astype(np.float32))


def test_themes_eval_set_resolves():
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 60
    assert all(set(r["labels"]) <= set(NAMES) for r in rows)
    qidu = (ROOT / "corpora" / "qidu_2024.txt").read_text(encoding="utf-8")
    for r in rows:
        if r["doc_id"] == "qidu-2024":
            assert qidu[r["start"]: r["end"]].startswith(r["head"])


def test_themes_train_without_corpora_names_the_fix(tmp_path):
    with pytest.raises(ValueError, match="no training corpora"):
        train([], tmp_path / "m.npz")


def _report_texts(qidu_text):
    """The report's paragraphs and sentences, plus the edge cases of sklearn's preprocessing."""
    paras = [p for p in qidu_text.split("\n") if p.strip()]
    sents = [s for p in paras for s in p.split("。") if s]
    return paras + sents + ["", "   ", "ＡＢＣ  abc\n\n\t乡村", "İstanbul", "\ud800孤立代理项", "乡" * 3]


def test_char_tfidf_equals_sklearn_transform(qidu_text):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from qidu_nlp.rules.themes.char_tfidf import CharTfidf

    texts = _report_texts(qidu_text)
    sk = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2).fit(texts)
    ours = CharTfidf(sk.get_feature_names_out(), sk.idf_, (1, 3), sublinear_tf=True)
    A, B = sk.transform(texts), ours.transform(texts)
    assert A.shape == B.shape and A.nnz == B.nnz
    assert abs(A - B).max() < 1e-6


def test_char_tfidf_refuses_long_ngrams():
    from qidu_nlp.rules.themes.char_tfidf import CharTfidf

    with pytest.raises(ValueError, match="1 to 3"):
        CharTfidf(["乡村振兴"], [1.0], (4, 4))


def test_theme_model_scores_as_sklearn_would(qidu_text):
    from sklearn.feature_extraction.text import TfidfVectorizer

    model = load_model()
    texts = [normalize(t) for t in _report_texts(qidu_text)]
    sk = TfidfVectorizer(analyzer="char", ngram_range=tuple(model.config["ngram_range"]), sublinear_tf=True,
                         vocabulary={t: i for i, t in enumerate(model.vocabulary)})
    sk.idf_ = model.vectorizer.idf
    z = sk.transform(texts) @ model.coef.T.astype(np.float64) + model.intercept
    expected = 1 / (1 + np.exp(-np.asarray(z)))
    assert np.allclose(model.predict_proba(texts, normalized=True), expected, atol=1e-5)


def test_keyword_matrix_equals_keyword_themes(qidu_text, taxonomy):
    texts = _report_texts(qidu_text) + ["安全\x00安全生产，安全隐患"]  # the joining character inside a text
    M = keyword_matrix(texts, taxonomy)
    for text, row in zip(texts, M):
        got = {taxonomy[j].name: float(row[j]) for j in np.flatnonzero(row)}
        assert got == dict(keyword_themes(text, taxonomy)), text
