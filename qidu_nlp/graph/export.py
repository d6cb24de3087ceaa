"""qidu_nlp.graph.export: the graph as files (GraphML, GEXF for Gephi, node-link JSON, CSV).

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

__all__ = ["to_graphml", "to_gexf", "to_node_link", "to_csv", "export"]


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
