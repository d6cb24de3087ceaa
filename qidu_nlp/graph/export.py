"""qidu_nlp.graph.export: the graph as files (GraphML, GEXF for Gephi, node-link JSON, CSV).

:func:`export` writes a networkx graph. :func:`export_tables` writes the graph of a corpus run
from its tables (:meth:`qidu_nlp.graph.Counts.tables`) without building it whole: the node and
edge lists go to CSV and Parquet in full, chunk by chunk, and the GraphML, GEXF and JSON files,
which a reader opens in Gephi or a browser, hold the whole graph up to
:data:`MAX_EXPORT_EDGES` edges and otherwise its strongest edges (:func:`prune`). On the
local government reports (119,000 nodes, 554,000 edges) the three files of the whole graph
were 820 MB, took most of the two minutes after the last document and 4.2 GB of memory.

Examples
--------
>>> import tempfile
>>> G = nx.Graph([("theme:甲", "village:乙", {"count": 1, "examples": ["d#0"]})])
>>> [p.name for p in export(G, tempfile.mkdtemp())]
['graph.graphml', 'graph.gexf', 'graph.json', 'graph_nodes.csv', 'graph_edges.csv']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import networkx as nx
import numpy as np
import pandas as pd

from .counts import graph_from_tables

__all__ = ["to_graphml", "to_gexf", "to_node_link", "to_csv", "export", "export_tables", "prune", "csv_tables",
           "MAX_EXPORT_EDGES"]

MAX_EXPORT_EDGES = 50_000  # Gephi and a browser stay responsive; the tables hold every edge
_EDGE_COLS = ["source", "target", "count", "doc_count", "pmi", "npmi", "llr", "p", "window", "examples"]


def _flat(G: nx.Graph) -> nx.Graph:
    """A copy whose attribute values are GraphML/GEXF scalars (lists joined with ``|``)."""
    H = nx.Graph()
    H.graph.update({k: (" ".join(map(str, v)) if isinstance(v, (list, tuple)) else v) for k, v in G.graph.items()})

    def clean(d):
        out = {}
        for k, v in d.items():
            if isinstance(v, (list, tuple)):
                out[k] = "|".join(map(str, v))
            elif isinstance(v, (np.integer,)):
                out[k] = int(v)
            elif isinstance(v, (np.floating,)):
                out[k] = float(v)
            elif v is not None:
                out[k] = v
        return out

    H.add_nodes_from((n, clean(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, clean(d)) for u, v, d in G.edges(data=True))
    return H


def to_graphml(G: nx.Graph, path: str | Path) -> Path:
    """Write GraphML (lists joined with ``|``)."""
    nx.write_graphml(_flat(G), path)
    return Path(path)


def to_gexf(G: nx.Graph, path: str | Path) -> Path:
    """Write GEXF for Gephi (lists joined with ``|``; node label = name)."""
    H = _flat(G)
    for n, d in H.nodes(data=True):
        d["label"] = d.get("name", n)
    nx.write_gexf(H, path)
    return Path(path)


def to_node_link(G: nx.Graph, path: str | Path | None = None) -> dict:
    """Node-link JSON (``networkx.node_link_data``); written to ``path`` when given."""
    data = nx.node_link_data(G, edges="links")
    if path is not None:
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1, default=float), encoding="utf-8")
    return data


def to_csv(G: nx.Graph, nodes_path: str | Path, edges_path: str | Path) -> tuple[Path, Path]:
    """Write the node list and the edge list as CSV (UTF-8; lists joined with ``|``)."""
    H = _flat(G)
    nodes = pd.DataFrame([{"id": n, **d} for n, d in H.nodes(data=True)])
    edges = pd.DataFrame([{"source": u, "target": v, **d} for u, v, d in H.edges(data=True)])
    if edges.empty:
        edges = pd.DataFrame(columns=["source", "target", "count", "doc_count", "pmi", "npmi", "llr", "p", "window", "examples"])
    nodes.to_csv(nodes_path, index=False)
    edges.to_csv(edges_path, index=False)
    return Path(nodes_path), Path(edges_path)


def export(G: nx.Graph, folder: str | Path, *, stem: str = "graph", formats: Sequence[str] = ("graphml", "gexf", "json", "csv")) -> list[Path]:
    """Write the graph in several formats into ``folder``; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    if "graphml" in formats:
        out.append(to_graphml(G, folder / f"{stem}.graphml"))
    if "gexf" in formats:
        out.append(to_gexf(G, folder / f"{stem}.gexf"))
    if "json" in formats:
        to_node_link(G, folder / f"{stem}.json")
        out.append(folder / f"{stem}.json")
    if "csv" in formats:
        out.extend(to_csv(G, folder / f"{stem}_nodes.csv", folder / f"{stem}_edges.csv"))
    return out


# --------------------------------------------------------------------------- a run's graph, from its tables


def csv_tables(nodes: pd.DataFrame, edges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The node and edge lists of :meth:`qidu_nlp.graph.Counts.tables` as :func:`to_csv` writes
    the graph: nodes in the graph's order, edges in the order networkx lists them (by their
    first endpoint, then window, then second endpoint) from that endpoint, examples joined with ``|``."""
    node_csv = pd.DataFrame({"id": nodes.index.to_numpy(dtype=object),
                             **{c: nodes[c].to_numpy() for c in ("type", "name", "count", "part_count",
                                                                 "window_count", "doc_count")}})
    years = nodes["first_year"].to_numpy(np.float64)
    if not np.isnan(years).all():  # a year absent from every node is no column at all
        complete = not np.isnan(years).any()
        for c in ("first_year", "last_year"):
            node_csv[c] = nodes[c].to_numpy(np.int64) if complete else nodes[c].to_numpy(np.float64)
    if not len(edges):
        return node_csv, pd.DataFrame(columns=_EDGE_COLS)
    order = np.lexsort((edges["hi"].to_numpy(), edges["kind"].to_numpy(), edges["lo"].to_numpy()))
    e = edges.iloc[order]
    ids = nodes.index.to_numpy(dtype=object)
    edge_csv = pd.DataFrame({"source": ids[e["lo"].to_numpy()], "target": ids[e["hi"].to_numpy()],
                             **{c: e[c].to_numpy() for c in ("count", "doc_count", "pmi", "npmi", "llr", "p", "window")},
                             "examples": ["|".join(map(str, ex)) for ex in e["examples"].tolist()]})
    return node_csv, edge_csv


def prune(nodes: pd.DataFrame, edges: pd.DataFrame, max_edges: int = MAX_EXPORT_EDGES) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """At most ``max_edges`` edges: the strongest by shared windows (``count``), then by G²
    (``llr``), in their order, with their endpoints and every theme node; and a note of what was
    left out (empty when nothing was).

    Examples
    --------
    >>> nodes = pd.DataFrame({"type": ["theme", "village", "org"], "rank": [0, 1, 2]}, index=["t", "v", "o"])
    >>> edges = pd.DataFrame({"source": ["t", "t"], "target": ["v", "o"], "count": [5, 1], "llr": [1.0, 9.0]})
    >>> n, e, note = prune(nodes, edges, max_edges=1)
    >>> list(n.index), list(e["target"]), note["full_edges"]
    (['t', 'v'], ['v'], 2)
    """
    if len(edges) <= max_edges:
        return nodes, edges, {}
    order = np.lexsort((np.arange(len(edges)), -edges["llr"].to_numpy(np.float64), -edges["count"].to_numpy(np.float64)))
    keep = np.sort(order[:max_edges])
    kept = edges.iloc[keep]
    ends = set(kept["source"].tolist()) | set(kept["target"].tolist())
    node_keep = nodes.index.isin(list(ends)) | (nodes["type"] == "theme").to_numpy()
    note = {"pruned": f"the {max_edges:,} strongest of {len(edges):,} edges (most shared windows, then G²) and "
                      f"their nodes; every node and edge is in graph_nodes.csv and graph_edges.csv (and .parquet)",
            "full_nodes": int(len(nodes)), "full_edges": int(len(edges))}
    return nodes[node_keep], kept, note


def export_tables(nodes: pd.DataFrame, edges: pd.DataFrame, attrs: dict, folder: str | Path, *, stem: str = "graph",
                  formats: Sequence[str] = ("graphml", "gexf", "json", "csv"), parquet: bool = True,
                  max_edges: int = MAX_EXPORT_EDGES) -> tuple[list[Path], nx.Graph]:
    """Write the graph of a run from its tables (see the module notes); returns the files and
    the graph the GraphML, GEXF and JSON files hold (pruned when the whole has more than
    ``max_edges`` edges; its ``pruned`` attribute then says so)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    if "csv" in formats or parquet:
        node_csv, edge_csv = csv_tables(nodes, edges)
        if "csv" in formats:
            node_csv.to_csv(folder / f"{stem}_nodes.csv", index=False)
            edge_csv.to_csv(folder / f"{stem}_edges.csv", index=False, chunksize=50_000)
            out += [folder / f"{stem}_nodes.csv", folder / f"{stem}_edges.csv"]
        if parquet:
            node_csv.to_parquet(folder / f"{stem}_nodes.parquet", index=False)
            edge_csv.to_parquet(folder / f"{stem}_edges.parquet", index=False)
            out += [folder / f"{stem}_nodes.parquet", folder / f"{stem}_edges.parquet"]
        del node_csv, edge_csv
    small_nodes, small_edges, note = prune(nodes, edges, max_edges)
    G = graph_from_tables(small_nodes, small_edges, {**attrs, **note})
    out = export(G, folder, stem=stem, formats=[f for f in formats if f != "csv"]) + out
    return out, G
