"""Work handed out by size, long documents in pieces across workers, one load, a time budget per document."""

from __future__ import annotations

import time

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from qidu_nlp.corpus import Corpus
from qidu_nlp.corpus.ingest import Record
from qidu_nlp.corpus.schedule import tasks

LIGHT = {"segmenter": "char", "components": ["qidu_structure", "qidu_slogans", "qidu_entities", "qidu_quantities"]}
SLOW_MARKER = "【超时测试】"


@Language.factory("qidu_test_slow")
def make_test_slow(nlp: Language, name: str):
    """Test-only component: takes two seconds on a marker text."""

    def slow(doc: Doc) -> Doc:
        if SLOW_MARKER in doc.text:
            time.sleep(2)
        return doc

    return slow


SLOW = {"segmenter": "char", "components": ["qidu_structure", "qidu_test_slow", "qidu_quantities"]}


@pytest.fixture(scope="module")
def paragraphs(qidu_text) -> list[str]:
    return [p for p in qidu_text.split("\n") if len(p) > 60]


def test_schedule_largest_first_small_ones_together(paragraphs):
    recs = [Record(f"p{i}", p) for i, p in enumerate(paragraphs[:6])]
    got = list(tasks(iter(recs), limit=10_000, batch_size=8, small=300))
    sizes = [[len(r.text) for r in task] for task in got]
    assert [r.id for task in got for r in task] == [r.id for r in sorted(recs, key=lambda r: -len(r.text))]
    assert all(len(task) == 1 or sum(s) <= 300 for task, s in zip(got, sizes))


def test_schedule_long_document_in_pieces_at_line_ends(qidu_text):
    got = list(tasks(iter([Record("qidu", qidu_text)]), limit=2000, batch_size=8))
    pieces = sorted((p for task in got for p in task), key=lambda p: p.index)
    assert "".join(p.text for p in pieces) == qidu_text
    assert all(p.text.endswith("\n") for p in pieces[:-1])
    assert [p.count for p in pieces] == [len(pieces)] * len(pieces) and len(pieces) == 4


def test_schedule_long_document_same_tables_on_two_workers(qidu_text, paragraphs):
    docs = [{"id": "short-1", "text": paragraphs[0]}, {"id": "long", "text": qidu_text},
            {"id": "short-2", "text": paragraphs[1]}]
    one = Corpus.from_records(docs).analyze(loader_kwargs=LIGHT, max_chars=1500)
    two = Corpus.from_records(docs).analyze(workers=2, loader_kwargs=LIGHT, max_chars=1500)
    assert one.documents.equals(two.documents)
    assert one.mentions.equals(two.mentions)
    assert one.indicators.equals(two.indicators)
    assert one.mentions[one.mentions["doc_id"] == "long"]["end"].max() > 6000  # offsets into the whole text


@pytest.mark.parametrize("workers", [1, 2])
def test_schedule_document_over_its_budget_fails_alone(paragraphs, workers):
    docs = [{"id": f"p{i}", "text": p} for i, p in enumerate(paragraphs[:4])]
    docs[1]["text"] = SLOW_MARKER + docs[1]["text"]
    result = Corpus.from_records(docs).analyze(workers=workers, loader_kwargs=SLOW, doc_timeout=0.5)
    assert list(result.documents["status"]) == ["ok", "failed", "ok", "ok"]
    assert result.errors["reason"].tolist() == [
        "[Q015] stopped after 0.5 s, its time budget (--doc-timeout); the run went on without it. "
        "Raise the budget to analyse it, or look at the text for what makes it slow."]


def test_schedule_analyze_reuses_the_loaded_pipeline(paragraphs, monkeypatch):
    import qidu_nlp
    from qidu_nlp.corpus import run as runner

    nlp = qidu_nlp.load(**LIGHT)
    monkeypatch.setattr(runner, "load", lambda **kw: pytest.fail("loaded the pipeline again"))
    result = Corpus.from_records([{"id": "a", "text": paragraphs[0]}]).analyze(loader_kwargs=LIGHT)
    assert result.stats["documents"] == 1
    del nlp
