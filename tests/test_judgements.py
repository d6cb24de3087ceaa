"""Mentions of a corpus judged by hand (corpora/annotations/corpus_judgements.jsonl): read and
checked with errors that name the line, joined to their documents, and turned into examples of
the entity judge (one candidate each, positive when judged ok)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qidu_nlp.errors import InputError
from qidu_nlp.evaluation.judgements import judged_documents, load_judgements
from qidu_nlp.training.entities import judged_examples

JUDGEMENTS = Path(__file__).resolve().parents[1] / "corpora" / "annotations" / "corpus_judgements.jsonl"
# from a city report (湖南省永州市, 2024) and a county one: a slogan's fragment, a village
TEXT = "全域推进回龙圩“和美湘村”建设。沙坡头区迎水桥镇姚滩村入选全国改善人居环境示范村。"


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _row(text: str, label: str, judgement: str, doc: str = "lg-1") -> dict:
    start = TEXT.index(text)
    return {"doc": doc, "start": start, "end": start + len(text), "label": label, "text": text, "judgement": judgement}


@pytest.fixture
def corpus(tmp_path) -> Path:
    return _write(tmp_path / "corpus.jsonl", [{"id": "lg-1", "province": "湖南省", "text": TEXT}])


def test_a_judgement_outside_ok_boundary_wrong_names_its_line(tmp_path):
    path = _write(tmp_path / "j.jsonl", [_row("姚滩村", "VILLAGE", "ok"), _row("美湘村", "VILLAGE", "maybe")])
    with pytest.raises(InputError, match=r"j\.jsonl:2: judgement 'maybe'"):
        load_judgements(path)


def test_offsets_that_do_not_cut_the_text_from_the_document_name_the_line(tmp_path, corpus):
    row = {**_row("姚滩村", "VILLAGE", "ok"), "start": 3, "end": 6}
    rows = load_judgements(_write(tmp_path / "j.jsonl", [row]))
    with pytest.raises(InputError, match=r"j\.jsonl:1: '姚滩村' is not at \(3, 6\) of document lg-1"):
        judged_documents(rows, corpus)


def test_a_document_missing_from_the_corpus_names_the_line(tmp_path, corpus):
    rows = load_judgements(_write(tmp_path / "j.jsonl", [_row("姚滩村", "VILLAGE", "ok", doc="lg-9")]))
    with pytest.raises(InputError, match=r"j\.jsonl:1: document lg-9 is not in"):
        judged_documents(rows, corpus)


def test_judged_mentions_join_their_document_with_its_province(tmp_path, corpus):
    rows = load_judgements(_write(tmp_path / "j.jsonl", [_row("姚滩村", "VILLAGE", "ok"), _row("美湘村", "VILLAGE", "wrong")]))
    [doc] = judged_documents(rows, corpus)
    assert (doc["id"], doc["meta"]["province"], [r["text"] for r in doc["judged"]]) == ("lg-1", "湖南省", ["姚滩村", "美湘村"])


def test_each_judged_candidate_is_one_example_positive_when_ok(tmp_path, corpus):
    rows = load_judgements(_write(tmp_path / "j.jsonl", [_row("姚滩村", "VILLAGE", "ok"), _row("美湘村", "VILLAGE", "wrong")]))
    [ex], missed = judged_examples(judged_documents(rows, corpus))
    got = {TEXT[c["start"]:c["end"]]: int(y) for c, y in zip(ex.merged, ex.y)}
    assert (got, missed, ex.partial, ex.group) == ({"姚滩村": 1, "美湘村": 0}, 0, True, "湖南")


def test_the_shipped_judgements_are_well_formed():
    rows = load_judgements(JUDGEMENTS)
    assert len(rows) >= 1800 and {r["judgement"] for r in rows} == {"ok", "boundary", "wrong"}
