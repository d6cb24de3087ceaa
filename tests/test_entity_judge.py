"""The entity judge: trained on gold from some provinces, it decides which rule candidates are
names; blind documents are never training data; the component's settings reach it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qidu_nlp.evaluation.gold import group_of, split_off_blind
from qidu_nlp.rules.entities import find_entities
from qidu_nlp.rules.entities.judge import EntityJudge, merge_candidates
from qidu_nlp.rules.entities.lexicons import load_lexicons
from qidu_nlp.training import entities as T
from conftest import LOCAL_DEV_GOLD, QIDU_GOLD

TOWN_GOLD = QIDU_GOLD.parent / "local_train.jsonl"


def _records(path, n=None):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()][:n]


@pytest.fixture(scope="module")
def town_records():
    return _records(TOWN_GOLD)


def test_merge_keeps_one_candidate_per_span_and_label_with_every_source():
    cands = [{"start": 0, "end": 3, "label": "PLACE", "source": "places"},
             {"start": 0, "end": 3, "label": "PLACE", "source": "nature"},
             {"start": 0, "end": 3, "label": "ORG", "source": "orgs"}]
    merged = merge_candidates(cands)
    assert [(c["label"], c["sources"]) for c in merged] == [("PLACE", ["places", "nature"]), ("ORG", ["orgs"])]


def test_longest_decoder_gives_a_flat_layer():
    judge = EntityJudge(None, None, threshold=0.5, decoder="longest")
    cands = [{"start": 0, "end": 3, "label": "PLACE"}, {"start": 0, "end": 7, "label": "ORG"},
             {"start": 5, "end": 9, "label": "PROJECT"}]
    kept = judge.decode(cands, [0.9, 0.6, 0.8])
    assert [(c["start"], c["end"], c["label"]) for c in kept] == [(0, 7, "ORG")]


def test_blind_records_are_split_off(town_records):
    keep, blind = split_off_blind(town_records)
    assert len(blind) == 13 and "local-0026" in blind
    assert all(r["meta"]["split"] == "train" for r in keep)


def test_province_names_group_alike():
    a = {"id": "a", "meta": {"province": "甘肃省"}}
    b = {"id": "b", "meta": {"province": "甘肃"}}
    assert group_of(a) == group_of(b) == "甘肃"


def test_training_leaves_out_blind_documents_and_holds_out_provinces(tmp_path, town_records):
    # two provinces of the training split and one blind document: the blind one is left out
    train = [r for r in town_records if r["meta"]["province"] in ("上海", "山东")]
    blind = [r for r in town_records if r["meta"]["split"] == "blind"][:1]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in train + blind), encoding="utf-8")
    metrics = T.train([path], tmp_path)
    assert metrics["blind_left_out"] == 1
    assert metrics["documents"] == len(train)
    assert metrics["groups"] == ["上海", "山东"]
    assert metrics["cv_folds"] == "leave one province out"
    judge = EntityJudge.load(tmp_path / "judge.joblib")
    assert judge.threshold == metrics["threshold"] and judge.metrics["cv"] == metrics["cv"]


def test_judged_corpus_mentions_are_training_examples_scored_by_province(tmp_path, town_records):
    # two mentions of a city report (湖南省永州市, 2024) judged by hand join the gold of two provinces
    train = [r for r in town_records if r["meta"]["province"] in ("上海", "山东")]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in train), encoding="utf-8")
    text = "全域推进回龙圩“和美湘村”建设。沙坡头区迎水桥镇姚滩村入选全国改善人居环境示范村。"
    (tmp_path / "corpus.jsonl").write_text(json.dumps({"id": "lg-1", "province": "湖南省", "text": text},
                                                      ensure_ascii=False) + "\n", encoding="utf-8")
    rows = [{"doc": "lg-1", "start": text.index(t), "end": text.index(t) + 3, "label": "VILLAGE", "text": t,
             "judgement": j} for t, j in (("美湘村", "wrong"), ("姚滩村", "ok"))]
    judged = tmp_path / "judged.jsonl"
    judged.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    metrics = T.train([gold], tmp_path, judgements=[judged], corpus=tmp_path / "corpus.jsonl")
    assert metrics["groups"] == ["上海", "山东", "湖南"] and metrics["documents"] == len(train)
    assert (metrics["judged"]["VILLAGE"]["judged"], metrics["judged"]["VILLAGE"]["ok_share"]) == (2, 0.5)
    assert metrics["judged_not_candidates"] == 0


def test_judged_mentions_need_their_corpus(tmp_path, town_records):
    with pytest.raises(ValueError, match="need the corpus"):
        T.train([TOWN_GOLD], tmp_path, judgements=[Path(__file__).resolve().parents[1] / "corpora" / "annotations"
                                                     / "corpus_judgements.jsonl"])


def test_training_needs_two_provinces(tmp_path, town_records):
    path = tmp_path / "gold.jsonl"
    one = [r for r in town_records if r["meta"]["province"] == "上海"]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in one), encoding="utf-8")
    with pytest.raises(ValueError, match="two provinces"):
        T.train([path], tmp_path)


def test_judge_round_trips_through_bytes(tmp_path):
    from qidu_nlp.resources import data_folder

    judge = EntityJudge.load(data_folder("entities") / "judge.joblib")
    again = EntityJudge.from_bytes(judge.to_bytes())
    text = "加快建设尤家峁、红石峡等11座水库除险加固工程"
    assert find_entities(text, judge=judge) == find_entities(text, judge=again)


def test_packaged_judge_records_its_held_out_scores():
    from qidu_nlp.resources import data_folder

    metrics = EntityJudge.load(data_folder("entities") / "judge.joblib").metrics
    assert metrics["cv_folds"] == "leave one province out"
    assert metrics["blind_left_out"] > 0  # trained with the blind documents set aside
    assert set(metrics["cv"]) >= {"VILLAGE", "PLACE", "ORG", "PROJECT", "micro"}


@pytest.fixture(scope="module")
def rules_and_judge():
    import qidu_nlp

    judged = qidu_nlp.load(components=["qidu_structure", "qidu_entities"])
    rules = qidu_nlp.load(components=["qidu_structure", "qidu_entities"],
                          config={"qidu_entities": {"use_model": False}})
    return rules, judged


def test_use_model_false_keeps_the_longest_candidates(rules_and_judge):
    rules, _ = rules_and_judge
    doc = rules("尹家村、葛家村被淄博市诗词学会命名为诗词村居。")
    text = doc.text
    expected = find_entities(text, token_starts=[t.idx for t in doc], token_ends=[t.idx + len(t) for t in doc],
                             sentences=[(s.start_char, s.end_char) for s in doc.sents], lex=load_lexicons())
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == \
        [(e["start"], e["end"], e["label"]) for e in expected]


def test_threshold_setting_reaches_the_judge():
    import qidu_nlp

    strict = qidu_nlp.load(components=["qidu_structure", "qidu_entities"],
                           config={"qidu_entities": {"threshold": 0.999}})
    assert strict.get_pipe("qidu_entities").judge.threshold == 0.999
    # nearly nothing is that certain: fewer names than with the trained threshold
    loose = qidu_nlp.load(components=["qidu_structure", "qidu_entities"])
    text = QIDU_GOLD.read_text(encoding="utf-8")
    text = json.loads(text.splitlines()[0])["text"][:3000]
    assert len(strict(text).ents) < len(loose(text).ents)


def test_missing_model_path_is_a_clear_error(tmp_path):
    import qidu_nlp
    from qidu_nlp.errors import InputError

    with pytest.raises(InputError, match="no entity judge"):
        qidu_nlp.load(components=["qidu_structure", "qidu_entities"],
                      config={"qidu_entities": {"model": str(tmp_path / "none.joblib")}})


@pytest.mark.skipif(not LOCAL_DEV_GOLD.exists(), reason=f"{LOCAL_DEV_GOLD} not found (../shared)")
def test_local_dev_documents_are_grouped_by_province():
    groups = {group_of(r) for r in _records(LOCAL_DEV_GOLD)}
    assert {"山东", "浙江"} <= groups
