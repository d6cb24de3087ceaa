"""Saving and loading the pipeline: data files travel with it, settings live in config.cfg, and a
saved pipeline loads with plain ``spacy.load`` in a process that never imports qidu_nlp.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

import qidu_nlp
from qidu_nlp.evaluation.gold import load_gold, to_docbin, to_docs

from conftest import LOCAL_DEV_GOLD, QIDU_GOLD

# what a fresh process runs: plain spaCy, no import of the library
FRESH = """
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
texts = json.loads(open(sys.argv[2], encoding="utf-8").read())
key = sys.argv[3]
out = []
for doc in nlp.pipe(texts):
    out.append({
        "slogans": [[s.start_char, s.end_char, s._.qidu.to_dict()] for s in doc.spans.get("slogans", [])],
        "ents": [[e.start_char, e.end_char, e.label_, e._.qidu.to_dict()] for e in doc.ents],
        "quantities": [[q.start_char, q.end_char, q._.qidu.to_dict()] for q in doc.spans.get(key, [])],
    })
print(json.dumps(out, ensure_ascii=False))
"""


def _spans(docs, key: str = "quantities") -> list[dict]:
    return [{
        "slogans": [[s.start_char, s.end_char, s._.qidu.to_dict()] for s in doc.spans.get("slogans", [])],
        "ents": [[e.start_char, e.end_char, e.label_, e._.qidu.to_dict()] for e in doc.ents],
        "quantities": [[q.start_char, q.end_char, q._.qidu.to_dict()] for q in doc.spans.get(key, [])],
    } for doc in docs]


def _fresh(pipeline: Path, texts: list[str], tmp_path: Path, key: str = "quantities") -> list[dict]:
    assert "qidu_nlp" not in FRESH
    src = tmp_path / "texts.json"
    src.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", FRESH, str(pipeline), str(src), key],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    out = [rec["text"] for rec in load_gold(QIDU_GOLD)]
    if LOCAL_DEV_GOLD.exists():
        out += [rec["text"] for rec in load_gold(LOCAL_DEV_GOLD)]
    return out


@pytest.fixture(scope="module")
def saved(nlp, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "qidu"
    nlp.to_disk(path)
    return path


def test_serialization_saved_folder_holds_the_data_not_a_second_config(saved):
    assert (saved / "qidu_entities" / "divisions.tsv.gz").is_file()
    assert (saved / "qidu_slogans" / "model.joblib").is_file() and (saved / "qidu_slogans" / "formulas.txt").is_file()
    assert (saved / "qidu_quantities" / "units.json").is_file()
    assert (saved / "qidu_themes" / "themes_model.npz").is_file()
    assert not list(saved.rglob("cfg.json"))


def test_serialization_plain_spacy_load_in_a_fresh_process_gives_identical_spans(nlp, saved, texts, tmp_path):
    before = _spans(nlp.pipe(texts))
    # something to compare, with or without ../shared: the bundled report alone has about 110 names
    assert sum(len(d["ents"]) for d in before) >= 100 and sum(len(d["quantities"]) for d in before) >= 80
    assert _fresh(saved, texts, tmp_path) == before


def test_serialization_edited_config_is_honoured(nlp, saved, texts, tmp_path):
    config = (saved / "config.cfg").read_text(encoding="utf-8")
    assert 'spans_key = "quantities"' in config and "threshold = null" in config
    config = config.replace('spans_key = "quantities"', 'spans_key = "numbers"')
    config = config.replace("[components.qidu_slogans]\n", "[components.qidu_slogans]\nthreshold = 0.99\n", 1)
    config = config.replace("threshold = null\n", "", 1)
    (saved / "config.cfg").write_text(config, encoding="utf-8")
    try:
        after = _fresh(saved, texts, tmp_path, key="numbers")
    finally:
        nlp.to_disk(saved)  # the other tests read the unedited folder
    before = _spans(nlp.pipe(texts))
    assert [d["quantities"] for d in after] == [d["quantities"] for d in before]  # now under "numbers"
    kept = [s for d in after for s in d["slogans"]]
    assert all(s[2]["score"] >= 0.99 for s in kept)
    assert 0 < len(kept) < sum(len(d["slogans"]) for d in before)


def test_serialization_lexicons_come_from_the_saved_folder(saved, tmp_path):
    folder = tmp_path / "edited"
    spacy.load(saved).to_disk(folder)
    lexicon = folder / "qidu_entities" / "org_lexicon.txt"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n测试联络署\n", encoding="utf-8")
    text = "积极对接测试联络署，推动合作。"
    assert not [e.text for e in spacy.load(saved)(text).ents if e.text == "测试联络署"]
    assert [e.label_ for e in spacy.load(folder)(text).ents if e.text == "测试联络署"] == ["ORG"]


def test_serialization_to_bytes_round_trip():
    nlp = qidu_nlp.load(segmenter="char")
    other = qidu_nlp.load(segmenter="char").from_bytes(nlp.to_bytes())
    text = "坚决捍卫“两个确立”，全年完成投资1.43亿元，南马坊村获评先进。"
    assert _spans([other(text)]) == _spans([nlp(text)])


def test_serialization_nlp_evaluate_scores_every_component(nlp):
    gold = load_gold(QIDU_GOLD)
    examples = [Example(nlp.make_doc(ref.text), ref) for ref in to_docs(gold, nlp)]
    scores = nlp.evaluate(examples)
    assert scores["ents_f"] > 0.8 and scores["spans_quantities_f"] > 0.9 and scores["spans_slogans_f"] > 0.8
    assert scores["spans_slogans_kind_acc"] > 0.8 and scores["spans_quantities_value_acc"] > 0.9
    assert set(scores["ents_per_type"]) >= {"VILLAGE", "PLACE", "ORG", "PROJECT", "PERSON", "EVENT"}


def test_serialization_spacy_evaluate_cli_on_a_docbin_of_the_gold(nlp, saved, tmp_path):
    to_docbin(load_gold(QIDU_GOLD), nlp, tmp_path / "gold.spacy")
    out = tmp_path / "scores.json"
    proc = subprocess.run([sys.executable, "-m", "spacy", "evaluate", str(saved), str(tmp_path / "gold.spacy"),
                           "--output", str(out)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert scores["ents_f"] > 0.8 and scores["spans_slogans_kind_acc"] > 0.8
