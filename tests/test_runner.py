"""The corpus runner: same results for any workers/batch size, resume, fault isolation, atomic outputs."""

from __future__ import annotations

import json
import os

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from typer.testing import CliRunner

from qidu_nlp import graph as g
from qidu_nlp.corpus import analyze
from qidu_nlp.corpus.engines import local
from qidu_nlp.corpus.run import run
from qidu_nlp.corpus import Corpus, Result
from qidu_nlp.files import atomic_write
from qidu_nlp.corpus.cache import CACHE_DIR
from qidu_nlp.corpus.progress import estimate_total

CRASH_MARKER = "【崩溃测试】"
LIGHT = {"segmenter": "char", "components": ["qidu_structure", "qidu_slogans", "qidu_quantities"]}


@Language.factory("qidu_test_crash")
def make_test_crash(nlp: Language, name: str):
    """Test-only component: kills its process on a marker text while QIDU_TEST_CRASH=1."""

    def crash(doc: Doc) -> Doc:
        if CRASH_MARKER in doc.text and os.environ.get("QIDU_TEST_CRASH") == "1":
            os._exit(13)
        return doc

    return crash


CRASHY = {"segmenter": "char", "components": ["qidu_structure", "qidu_test_crash"]}
BUG_MARKER = "【异常测试】"


@Language.factory("qidu_test_bug")
def make_test_bug(nlp: Language, name: str):
    """Test-only component: raises on a marker text (a component bug, not a dead process)."""

    def bug(doc: Doc) -> Doc:
        if BUG_MARKER in doc.text:
            raise ValueError("simulated component bug")
        return doc

    return bug


BUGGY = {"segmenter": "char", "components": ["qidu_structure", "qidu_slogans", "qidu_test_bug"]}


@pytest.fixture(scope="module")
def records(qidu_text) -> list[dict]:
    """Ten real paragraphs of the bundled report, as ten documents."""
    paras = [p for p in qidu_text.split("\n") if len(p) > 60][:10]
    return [{"id": f"qidu-p{i:02d}", "text": p, "year": 2024} for i, p in enumerate(paras)]


@pytest.fixture(scope="module")
def baseline(records, nlp_char):
    """Full char pipeline, one process, batch size 1."""
    return Corpus.from_records(records).analyze(nlp_char, batch_size=1)


def test_runner_baseline_finds_mentions(baseline, records):
    assert list(baseline.documents["id"]) == [r["id"] for r in records]
    assert (baseline.documents["status"] == "ok").all()
    assert len(baseline.mentions) > 20


def test_runner_batch_size_does_not_change_results(baseline, records, nlp_char):
    other = Corpus.from_records(records).analyze(nlp_char, batch_size=7)
    assert other.mentions.equals(baseline.mentions)
    assert other.documents.equals(baseline.documents)
    assert other.indicators.equals(baseline.indicators)


def test_runner_two_workers_same_results_in_corpus_order(baseline, records):
    other = Corpus.from_records(records).analyze(workers=2, batch_size=3, loader_kwargs={"segmenter": "char"})
    assert list(other.documents["id"]) == [r["id"] for r in records]
    assert other.mentions.equals(baseline.mentions)
    assert other.documents.equals(baseline.documents)
    assert other.indicators.equals(baseline.indicators)


def test_runner_resume_reuses_finished_documents(tmp_path, records):
    first = Corpus.from_records(records[:6]).analyze(output_dir=tmp_path, loader_kwargs=LIGHT)
    assert first.stats["reused"] == 0
    again = Corpus.from_records(records).analyze(output_dir=tmp_path, resume=True, loader_kwargs=LIGHT)
    fresh = Corpus.from_records(records).analyze(loader_kwargs=LIGHT)
    assert again.stats["reused"] == 6
    assert again.mentions.equals(fresh.mentions)
    assert again.documents.equals(fresh.documents)


def test_runner_resume_key_is_text_and_pipeline(tmp_path, records):
    Corpus.from_records(records[:3]).analyze(output_dir=tmp_path, loader_kwargs=LIGHT)
    edited = [dict(records[0], text=records[0]["text"] + "新增一句。"), *records[1:3]]
    again = Corpus.from_records(edited).analyze(output_dir=tmp_path, resume=True, loader_kwargs=LIGHT)
    assert again.stats["reused"] == 2
    other_pipeline = {**LIGHT, "components": ["qidu_structure"]}
    third = Corpus.from_records(records[:3]).analyze(output_dir=tmp_path, resume=True, loader_kwargs=other_pipeline)
    assert third.stats["reused"] == 0


def test_runner_interrupted_run_leaves_whole_shards_and_resumes(tmp_path, records, monkeypatch):
    real = local.analyze_records
    seen = []

    def interrupt_at_fifth(nlp, batch, options=analyze.Options()):  # Ctrl-C in the third batch of two
        seen.extend(rec.id for rec in batch)
        if len(seen) >= 5:
            raise KeyboardInterrupt
        return real(nlp, batch, options)

    monkeypatch.setattr(local, "analyze_records", interrupt_at_fifth)
    with pytest.raises(KeyboardInterrupt):
        Corpus.from_records(records).analyze(output_dir=tmp_path, batch_size=2, loader_kwargs=LIGHT)
    monkeypatch.setattr(local, "analyze_records", real)
    shards = list((tmp_path / CACHE_DIR).rglob("*"))
    assert not [p for p in shards if p.name.endswith(".tmp")]
    lines = [json.loads(line) for p in shards if p.is_file() for line in p.read_text(encoding="utf-8").splitlines()]
    assert [entry["rows"]["document"]["id"] for entry in lines] == [r["id"] for r in records[:4]]
    resumed = Corpus.from_records(records).analyze(output_dir=tmp_path, resume=True, loader_kwargs=LIGHT)
    assert resumed.stats["reused"] == 4
    assert resumed.stats["documents"] == len(records)


def test_runner_worker_crash_fails_alone_then_resume_retries_it(tmp_path, records, monkeypatch):
    docs = [dict(r) for r in records[:6]]
    docs[2]["text"] = CRASH_MARKER + docs[2]["text"]
    monkeypatch.setenv("QIDU_TEST_CRASH", "1")
    result = Corpus.from_records(docs).analyze(workers=2, batch_size=2, output_dir=tmp_path, loader_kwargs=CRASHY)
    assert list(result.documents["status"]) == ["ok", "ok", "failed", "ok", "ok", "ok"]
    assert list(result.errors["id"]) == [docs[2]["id"]]
    assert result.errors["reason"][0].startswith("[Q012] worker process died")
    monkeypatch.setenv("QIDU_TEST_CRASH", "0")
    resumed = Corpus.from_records(docs).analyze(workers=2, batch_size=2, output_dir=tmp_path, resume=True,
                                                loader_kwargs=CRASHY)
    assert resumed.stats["reused"] == 5
    assert (resumed.documents["status"] == "ok").all() and resumed.errors.empty


def test_runner_document_that_raises_fails_alone(records, monkeypatch):
    real = analyze.analyze_doc

    def boom(doc):
        if doc._.qidu.meta["id"] == records[1]["id"]:
            raise RuntimeError("simulated component bug")
        return real(doc)

    monkeypatch.setattr(analyze, "analyze_doc", boom)
    result = Corpus.from_records(records[:3]).analyze(loader_kwargs=LIGHT)
    assert list(result.documents["status"]) == ["ok", "failed", "ok"]
    assert list(result.errors["reason"]) == ["RuntimeError: simulated component bug"]


def test_runner_streams_each_batch_through_nlp_pipe(records, nlp_char, monkeypatch):
    calls = []
    real = type(nlp_char).pipe

    def spy(self, texts, **kwargs):
        texts = list(texts)
        calls.append(len(texts))
        return real(self, texts, **kwargs)

    monkeypatch.setattr(type(nlp_char), "pipe", spy)
    Corpus.from_records(records).analyze(nlp_char, batch_size=4)
    assert calls == [4, 4, 2]


def test_runner_component_that_raises_inside_the_pipe_fails_alone(records):
    docs = [dict(r) for r in records[:5]]
    docs[1]["text"] = BUG_MARKER + docs[1]["text"]
    one_by_one = Corpus.from_records(docs).analyze(loader_kwargs=BUGGY, batch_size=1)
    in_one_pipe = Corpus.from_records(docs).analyze(loader_kwargs=BUGGY, batch_size=5)
    assert list(in_one_pipe.documents["status"]) == ["ok", "failed", "ok", "ok", "ok"]
    assert list(in_one_pipe.errors["reason"]) == ["ValueError: simulated component bug"]
    assert in_one_pipe.mentions.equals(one_by_one.mentions)
    assert in_one_pipe.documents.equals(one_by_one.documents)


def test_runner_estimate_total_counts_without_parsing(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": 1, "text": "甲"}\n{"broken\n{"id": 3, "text": "丙"}', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("各位代表：", encoding="utf-8")
    assert estimate_total(Corpus.from_paths(tmp_path)) == 4
    assert estimate_total(Corpus.from_records([{"id": "x", "text": "甲"}])) == 1


def test_atomic_write_leaves_old_file_when_writer_fails(tmp_path):
    target = tmp_path / "mentions.csv"
    target.write_text("old", encoding="utf-8")

    def half(f):
        f.write("doc_id,label\n")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write(target, half, text=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["mentions.csv"]


def test_cli_exit_code_says_some_failed_and_others_are_written(tmp_path, qidu_text):
    from qidu_nlp.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    paras = [p for p in qidu_text.split("\n") if len(p) > 60]
    (folder / "a.txt").write_text(paras[0], encoding="utf-8")
    (folder / "b.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "c.txt").write_text(paras[1], encoding="gb18030")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["analyze", str(folder), "-o", str(out), "--quiet", "--segmenter", "char"])
    assert res.exit_code == 2, res.output
    docs = (out / "documents.csv").read_text(encoding="utf-8")
    assert "\na,"in docs and "\nc," in docs
    errors = (out / "errors.csv").read_text(encoding="utf-8")
    assert "b.txt" in errors and "[Q005]" in errors
    assert "2 documents done, 1 failed" in res.output


# ---------------------------------------------------------------- bounded memory: tables on disk


def test_runner_rows_go_to_disk_in_small_parts_with_the_same_result(baseline, records, nlp_char, tmp_path):
    # two rows per part: many Parquet row groups and many separate co-occurrence counts
    small = run(Corpus.from_records(records), nlp_char, batch_size=3, flush_rows=2)
    assert small.store.n_rows("mentions") == len(baseline.mentions)
    assert small.mentions.equals(baseline.mentions)
    assert small.documents.equals(baseline.documents)
    assert small.indicators.equals(baseline.indicators)
    G, H = small.graph, g.build(baseline.mentions)
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(data=True)) == list(H.edges(data=True))


def test_runner_output_files_written_chunk_by_chunk_equal_in_memory_tables(baseline, tmp_path):
    out = baseline.to_dir(tmp_path / "run", report=False)
    memory = Result(documents=baseline.documents, mentions=baseline.mentions, indicators=baseline.indicators,
                    errors=baseline.errors).to_dir(tmp_path / "memory", report=False)
    for name in ("documents.csv", "mentions.csv", "indicators.csv", "slogans.csv", "graph.json"):
        assert (out / name).read_bytes() == (memory / name).read_bytes(), name


def test_runner_result_read_back_from_its_folder(baseline, tmp_path):
    out = baseline.to_dir(tmp_path / "run", report=False)
    back = Result.from_dir(out)
    assert back.mentions.equals(baseline.mentions)
    assert back.documents.equals(baseline.documents)
    assert back.slogans["norm"].tolist() == baseline.slogans["norm"].tolist()


def test_runner_spool_lives_with_the_result(records, nlp_char, tmp_path):
    result = Corpus.from_records(records[:2]).analyze(nlp_char, output_dir=tmp_path)
    spool = result.store.owned
    assert spool.parent == tmp_path and spool.name.startswith(".qidu-spool-")
    result.to_dir(tmp_path, report=False)
    del result
    import gc

    gc.collect()
    assert not spool.exists()


def test_runner_spool_of_a_killed_run_is_removed_by_the_next(records, nlp_char, tmp_path):
    stale = tmp_path / ".qidu-spool-killed"
    stale.mkdir()
    (stale / "mentions.parquet").write_bytes(b"half a file")
    Corpus.from_records(records[:1]).analyze(nlp_char, output_dir=tmp_path)
    assert not stale.exists()


def test_runner_interrupted_run_leaves_no_spool(tmp_path, records, monkeypatch):
    real = local.analyze_records

    def interrupt(nlp, batch, options=analyze.Options()):
        if records[3]["id"] in [rec.id for rec in batch]:
            raise KeyboardInterrupt
        return real(nlp, batch, options)

    monkeypatch.setattr(local, "analyze_records", interrupt)
    with pytest.raises(KeyboardInterrupt):
        Corpus.from_records(records).analyze(output_dir=tmp_path, batch_size=2, loader_kwargs=LIGHT)
    assert not list(tmp_path.glob(".qidu-spool-*"))


def test_runner_repeated_ids_made_unique(nlp_char, records):
    twice = [records[0], dict(records[0]), records[1]]
    result = Corpus.from_records(twice).analyze(nlp_char)
    assert list(result.documents["id"]) == [records[0]["id"], records[0]["id"] + "~2", records[1]["id"]]
    assert result.graph.graph["n_docs"] == 3
