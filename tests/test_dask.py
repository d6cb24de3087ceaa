"""The Dask engine on a LocalCluster with two worker processes: the same outputs as the local engine."""

from __future__ import annotations

import pytest

from qidu_nlp.corpus import Corpus

distributed = pytest.importorskip("distributed", reason='the Dask engine needs the optional extra: pip install "dask[distributed]"')

CHAR = {"segmenter": "char"}


@pytest.fixture(scope="module")
def records(qidu_text) -> list[dict]:
    paras = [p for p in qidu_text.split("\n") if len(p) > 60][:8]
    return [{"id": f"qidu-p{i:02d}", "text": p, "year": 2024} for i, p in enumerate(paras)]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def local(records):
    return Corpus.from_records(records).analyze(batch_size=3, loader_kwargs=CHAR)


@pytest.fixture(scope="module")
def on_dask(records, cluster):
    return Corpus.from_records(records).analyze(engine="dask", scheduler=cluster.scheduler_address, batch_size=3,
                                                loader_kwargs=CHAR)


def test_dask_tables_identical_to_local_engine(local, on_dask):
    assert on_dask.documents.equals(local.documents)
    assert on_dask.mentions.equals(local.mentions)
    assert on_dask.indicators.equals(local.indicators)
    assert len(local.mentions) > 20


def test_dask_graph_identical_to_local_engine(local, on_dask):
    assert sorted(on_dask.graph.nodes(data="count")) == sorted(local.graph.nodes(data="count"))
    assert sorted(on_dask.graph.edges(data="count")) == sorted(local.graph.edges(data="count"))


def test_dask_output_files_identical(local, on_dask, tmp_path):
    a, b = local.to_dir(tmp_path / "local", report=False), on_dask.to_dir(tmp_path / "dask", report=False)
    for name in ("documents.csv", "mentions.csv", "indicators.csv", "graph.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_dask_each_worker_loads_the_pipeline_once(cluster, on_dask):
    from qidu_nlp.corpus.engines import dask as dask_engine

    with distributed.Client(cluster.scheduler_address) as client:
        counts = client.run(lambda: len(dask_engine._PIPELINES))
    assert sorted(counts.values()) == [1, 1]


def test_dask_needs_a_scheduler_address(records):
    with pytest.raises(ValueError, match="scheduler"):
        Corpus.from_records(records[:1]).analyze(engine="dask", loader_kwargs=CHAR)


def test_dask_task_returns_the_counts_of_its_partition(records):
    # what a worker sends back: the rows and the sparse co-occurrence counts of its documents,
    # which the client only sums (run here without a cluster)
    from qidu_nlp import graph as cooccurrence
    from qidu_nlp.corpus.engines import dask as dask_engine
    from qidu_nlp.corpus.ingest import from_records
    from qidu_nlp.pipeline.rows import to_frame

    recs = list(from_records(records[:4]))
    halves = [dask_engine.analyze_partition(recs[:2], CHAR, seqs=[0, 1]),
              dask_engine.analyze_partition(recs[2:], CHAR, seqs=[2, 3])]
    rows = [r for outcomes, _ in halves for _, got, _ in outcomes for r in got["mentions"]]
    summed = cooccurrence.Counts.combine([counts for _, counts in halves[::-1]])
    whole = cooccurrence.count(to_frame(rows))
    assert list(summed.to_graph().edges(data=True)) == list(whole.to_graph().edges(data=True))
    assert summed.to_graph().number_of_edges() > 0
