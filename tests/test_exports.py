"""The graph files of a run written from its counts: the same node and edge lists as the
networkx graph gives, full tables in Parquet, the readable files pruned when the graph is huge."""

from __future__ import annotations

import pandas as pd
import pytest

from qidu_nlp.corpus import Corpus
from qidu_nlp.corpus import result as result_module
from qidu_nlp.graph.export import csv_tables, export_tables, prune, to_csv


@pytest.fixture(scope="module")
def run(nlp_char, qidu_text):
    paras = [p for p in qidu_text.split("\n") if len(p) > 40]
    return Corpus.from_records([{"id": f"p{i}", "text": p, "year": 2024} for i, p in enumerate(paras)]).analyze(nlp_char)


@pytest.mark.parametrize("window", ["sentence", "section"])
def test_exports_tables_equal_the_networkx_graph_lists(run, tmp_path, window):
    from qidu_nlp.graph import count

    counts = count(run.mentions, window=window)
    to_csv(counts.to_graph(), tmp_path / "n.csv", tmp_path / "e.csv")
    nodes, edges = csv_tables(*counts.tables())
    nodes.to_csv(tmp_path / "n2.csv", index=False)
    edges.to_csv(tmp_path / "e2.csv", index=False)
    assert (tmp_path / "n2.csv").read_bytes() == (tmp_path / "n.csv").read_bytes()
    assert (tmp_path / "e2.csv").read_bytes() == (tmp_path / "e.csv").read_bytes()


def test_exports_full_tables_in_parquet(run, tmp_path):
    run.to_dir(tmp_path, report=False)
    edges = pd.read_parquet(tmp_path / "graph_edges.parquet")
    assert edges.equals(pd.read_csv(tmp_path / "graph_edges.csv", keep_default_na=False).astype(edges.dtypes.to_dict()))
    assert len(pd.read_parquet(tmp_path / "graph_nodes.parquet")) == run.graph.number_of_nodes()


def test_exports_prune_keeps_the_strongest_edges_and_says_so(run, tmp_path):
    nodes, edges = run.counts.tables()
    _, G = export_tables(nodes, edges, run.counts.graph_attrs(), tmp_path, max_edges=5)
    strongest = edges.sort_values(["count", "llr"], ascending=False, kind="stable").head(5)
    assert {frozenset(e) for e in G.edges()} == {frozenset(e) for e in zip(strongest["source"], strongest["target"])}
    assert G.graph["full_edges"] == len(edges) and "strongest" in G.graph["pruned"]
    assert len(pd.read_csv(tmp_path / "graph_edges.csv")) == len(edges)  # the tables stay whole


def test_exports_prune_keeps_small_graphs_whole(run):
    nodes, edges = run.counts.tables()
    kept_nodes, kept_edges, note = prune(nodes, edges, max_edges=len(edges))
    assert kept_nodes is nodes and kept_edges is edges and note == {}


def test_exports_forked_writer_writes_the_same_files(run, tmp_path, monkeypatch):
    run.to_dir(tmp_path / "inline", report=False)
    monkeypatch.setattr(result_module, "_FORK_ABOVE", 0)
    run.to_dir(tmp_path / "forked", report=False)
    for name in ("graph.graphml", "graph.gexf", "graph.json", "graph_nodes.csv", "graph_edges.csv",
                 "graph_nodes.parquet", "graph_edges.parquet"):
        assert (tmp_path / "forked" / name).read_bytes() == (tmp_path / "inline" / name).read_bytes(), name
