"""qidu_nlp.graph.build: the co-occurrence graph of themes, slogans and entities, and its views.

:func:`build` turns a mention table (:mod:`qidu_nlp.pipeline.rows`) into a weighted networkx
graph: :mod:`qidu_nlp.graph.counting` counts (in batches that add up exactly, so a corpus run or
a Dask cluster builds the same graph from per-batch counts) and this module makes, filters and
projects the graph. Nodes are ``type:name`` (``theme:乡村振兴``, ``village:龙贯村``, ``project:广辛路`` …; QUANTITY
mentions are no nodes) and two nodes are linked when they occur in the same *window* (sentence,
paragraph or section of one document). Counts come from a sparse window × node incidence
matrix ``X`` (``X.T @ X``), never from Python loops over pairs.

Conventions
-----------
* **Names.** Mentions are one node when they share type and ``norm`` (the entity component's
  suffix-less key: 龙贯村 and 龙贯 → 龙贯); the node is named by the group's most frequent
  written form that contains the norm (``village:龙贯村``), themes by their theme name; when
  two groups would share a name, the less mentioned one is named by its norm.
* **Order.** Nodes come by type (theme, slogan, village, place, org, project, person, event,
  doc), most mentioned first; so do the rows of ``graph_nodes.csv``.
* ``count`` of an edge is the number of windows holding both nodes; of a node, its number of
  mentions (parts included, see below); ``window_count`` of a node is the number of windows
  holding it. ``N`` (``G.graph["n_windows"]``) is the number of windows of the table that hold
  any mention (QUANTITY rows included).
* ``pmi = log2(N·c_ab / (c_a·c_b))``; ``npmi = pmi / -log2(c_ab / N)`` (1 when the two always
  occur together); ``llr`` is Dunning's G² of the 2×2 window table, ``p`` its χ²(1) p-value.
* **Parts.** A mention whose ``parts`` column lists ``[{"label", "norm"}]`` (a PROJECT named
  after a village: 南马坊村新时代文明实践综合体) also counts as a mention of each part, in the same
  window. So the village is linked to whatever the project is linked to, and to the project
  itself; ``part_count`` records how many of a node's mentions came through parts.
* **Slogans are themes' children.** Slogan–theme edges are always counted over *paragraphs*
  (a slogan links to the themes of the paragraphs it occurs in), whatever the window; their
  statistics use the paragraph counts. Every edge records its ``window``.
* ``examples``: up to five ``"doc_id#sentence"`` ids of shared windows, in document order; in
  a paragraph or section window, the sentence of the rarer endpoint's first mention there (of
  two equally rare endpoints, the later sentence).
"""


from __future__ import annotations

from typing import Iterable, Literal

import networkx as nx
import pandas as pd

from ..pipeline.rows import from_docs
from .counting import count
from .nodes import MAX_EXAMPLES

__all__ = ["build", "filter_graph", "bipartite_view", "theme_project", "theme_village", "by_year", "communities",
           "centralities", "ego", "Window"]

Window = Literal["sentence", "paragraph", "section"]


def _as_table(data) -> pd.DataFrame:
    return data if isinstance(data, pd.DataFrame) else from_docs(data)


def build(
    data,
    *,
    window: Window = "sentence",
    min_count: int = 1,
    types: Iterable[str] | None = None,
    use_parts: bool = True,
    child_scopes: dict | None = None,
    max_examples: int = MAX_EXAMPLES,
) -> nx.Graph:
    """Build the co-occurrence graph of a mention table (or of annotated Docs).

    Parameters
    ----------
    data : DataFrame or iterable of Doc
        The mention table (columns of :data:`qidu_nlp.pipeline.rows.COLUMNS`), or Docs processed by
        the pipeline (then :func:`qidu_nlp.pipeline.rows.from_docs` makes the table).
    window : {"sentence", "paragraph", "section"}
        The co-occurrence window.
    min_count : int
        Keep edges shared by at least this many windows.
    types : iterable of str, optional
        Node types to keep (``"theme"``, ``"village"`` …); default all.
    use_parts : bool
        Count the ``parts`` of a mention (a village inside a project name) as mentions too.
    child_scopes : dict, optional
        ``{(type_a, type_b): window}`` pairs counted over another window; default
        ``{("slogan", "theme"): "paragraph"}``.
    max_examples : int
        Example sentence ids kept per edge.

    Returns
    -------
    networkx.Graph
        Node attributes ``type, name, count, part_count, window_count, doc_count, first_year,
        last_year``; edge attributes ``count, doc_count, pmi, npmi, llr, p, window, examples``;
        graph attributes ``window, n_windows, n_docs``.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [
    ...     dict(doc_id="d", year=2024, paragraph=0, sentence=0, section="", label="THEME", norm="乡村振兴", text="…"),
    ...     dict(doc_id="d", year=2024, paragraph=0, sentence=0, section="", label="VILLAGE", norm="龙贯村", text="龙贯村"),
    ...     dict(doc_id="d", year=2024, paragraph=1, sentence=1, section="", label="ORG", norm="镇党委", text="镇党委"),
    ... ]
    >>> G = build(pd.DataFrame(rows))
    >>> sorted(G.edges()), G.edges["theme:乡村振兴", "village:龙贯村"]["count"]
    ([('theme:乡村振兴', 'village:龙贯村')], 1)
    >>> round(G.edges["theme:乡村振兴", "village:龙贯村"]["pmi"], 3)
    1.0
    """
    counts = count(_as_table(data), window=window, scopes=child_scopes, use_parts=use_parts, types=types,
                           max_examples=max_examples)
    return counts.to_graph(min_count=min_count)


# --------------------------------------------------------------------------- views


def filter_graph(
    G: nx.Graph,
    *,
    min_count: int = 1,
    min_npmi: float | None = None,
    max_p: float | None = None,
    types: Iterable[str] | None = None,
    min_node_count: int = 1,
    drop_isolates: bool = False,
) -> nx.Graph:
    """A filtered copy: edges by count, NPMI and G² p-value; nodes by type and count.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("theme:甲", type="theme", count=3); G.add_node("village:乙", type="village", count=1)
    >>> G.add_edge("theme:甲", "village:乙", count=1, npmi=0.2, p=0.5)
    >>> H = filter_graph(G, min_npmi=0.5)
    >>> H.number_of_nodes(), H.number_of_edges()
    (2, 0)
    """
    keep = None if types is None else {t.lower() for t in types}
    nodes = [
        n for n, d in G.nodes(data=True)
        if (keep is None or d.get("type") in keep) and d.get("count", 0) >= min_node_count
    ]
    H = G.subgraph(nodes).copy()
    drop = [
        (u, v) for u, v, d in H.edges(data=True)
        if d.get("count", 0) < min_count
        or (min_npmi is not None and d.get("npmi", -1.0) < min_npmi)
        or (max_p is not None and d.get("p", 1.0) > max_p)
    ]
    H.remove_edges_from(drop)
    if drop_isolates:
        H.remove_nodes_from(list(nx.isolates(H)))
    return H


def bipartite_view(G: nx.Graph, type_a: str, type_b: str) -> nx.Graph:
    """The bipartite view between two node types: their nodes and only the edges across.

    Nodes get ``bipartite`` = 0 (``type_a``) or 1 (``type_b``); isolated nodes are dropped.
    """
    nodes = {n: (0 if d.get("type") == type_a else 1) for n, d in G.nodes(data=True) if d.get("type") in (type_a, type_b)}
    H = nx.Graph(**G.graph)
    H.graph["bipartite"] = [type_a, type_b]
    for u, v, d in G.edges(data=True):
        if u in nodes and v in nodes and nodes[u] != nodes[v]:
            for n in (u, v):
                if n not in H:
                    H.add_node(n, **G.nodes[n], bipartite=nodes[n])
            H.add_edge(u, v, **d)
    return H


def theme_project(G: nx.Graph) -> nx.Graph:
    """Theme–project bipartite view (which themes reach which projects)."""
    return bipartite_view(G, "theme", "project")


def theme_village(G: nx.Graph) -> nx.Graph:
    """Theme–village bipartite view."""
    return bipartite_view(G, "theme", "village")


def by_year(data, **kwargs) -> dict[int, nx.Graph]:
    """One graph per year of the mention table (rows without a year are left out).

    ``kwargs`` go to :func:`build`. Node names are the same across years, so the slices can be
    compared directly (``"theme:乡村振兴" in graphs[2024]``).
    """
    df = _as_table(data)
    years = pd.to_numeric(df["year"], errors="coerce")
    return {int(y): build(df[years == y], **kwargs) for y in sorted(years.dropna().unique())}


def communities(G: nx.Graph, *, weight: str = "count", resolution: float = 1.0, seed: int = 0) -> dict[str, int]:
    """Louvain communities (networkx, fixed ``seed``), largest first; also set as node attribute ``community``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")])
    >>> sorted(communities(G).items())
    [('a', 0), ('b', 0), ('c', 0), ('x', 1), ('y', 1)]
    """
    if G.number_of_nodes() == 0:
        return {}
    parts = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    parts = sorted(parts, key=lambda c: (-len(c), min(c)))
    out = {n: i for i, comm in enumerate(parts) for n in comm}
    nx.set_node_attributes(G, out, "community")
    return out


def centralities(G: nx.Graph, *, weight: str = "count") -> pd.DataFrame:
    """Degree, weighted degree (strength), betweenness, eigenvector and PageRank of every node.

    Returns a DataFrame indexed by node, sorted by strength (descending).
    """
    cols = ["type", "degree", "strength", "betweenness", "eigenvector", "pagerank"]
    if G.number_of_nodes() == 0:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(index=list(G.nodes()))
    frame["type"] = pd.Series(nx.get_node_attributes(G, "type"))
    frame["degree"] = pd.Series(dict(G.degree()))
    frame["strength"] = pd.Series(dict(G.degree(weight=weight)))
    frame["betweenness"] = pd.Series(nx.betweenness_centrality(G))
    try:
        eig = nx.eigenvector_centrality(G, weight=weight, max_iter=1000, tol=1e-8) if G.number_of_edges() else {n: 0.0 for n in G}
    except (nx.NetworkXException, ValueError, TypeError):
        eig = {n: float("nan") for n in G}
    frame["eigenvector"] = pd.Series(eig)
    frame["pagerank"] = pd.Series(nx.pagerank(G, weight=weight))
    return frame[cols].sort_values(["strength", "degree"], ascending=False, kind="stable")


def ego(G: nx.Graph, node: str, *, radius: int = 1, types: Iterable[str] | None = None, min_count: int = 1) -> nx.Graph:
    """Everything linked to ``node`` (“everything linked to theme:乡村振兴”).

    Raises
    ------
    KeyError
        When ``node`` is not in the graph (the message names close matches).
    """
    if node not in G:
        close = [n for n in G if node.split(":")[-1] in n][:5]
        raise KeyError(f"{node!r} is not a node of the graph; nodes are 'type:name' (close: {close})")
    H = filter_graph(G, min_count=min_count)
    E = nx.ego_graph(H, node, radius=radius)
    if types is not None:
        keep = {t.lower() for t in types}
        E = E.subgraph([n for n, d in E.nodes(data=True) if n == node or d.get("type") in keep]).copy()
    return E
