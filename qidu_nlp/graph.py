"""qidu_nlp.graph: the co-occurrence graph of themes, slogans and entities.

:func:`build` turns a mention table (:mod:`qidu_nlp.mentions`) into a weighted networkx graph.
Nodes are ``type:name`` (``theme:乡村振兴``, ``village:龙贯村``, ``project:广辛路`` …; QUANTITY
mentions are no nodes) and two nodes are linked when they occur in the same *window* (sentence,
paragraph or section of one document). Counts come from a sparse window × node incidence
matrix ``X`` (``X.T @ X``), never from Python loops over pairs.

Conventions
-----------
* **Names.** Mentions are one node when they share type and ``norm`` (the entity component's
  suffix-less key: 龙贯村 and 龙贯 → 龙贯); the node is named by the group's most frequent
  written form that contains the norm (``village:龙贯村``), themes by their theme name.
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
  a paragraph or section window, the sentence of the rarer endpoint's first mention there.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Iterable, Literal, Sequence

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import chi2

logger = logging.getLogger("qidu_nlp")

__all__ = [
    "NODE_TYPES",
    "build",
    "filter_graph",
    "bipartite_view",
    "theme_project",
    "theme_village",
    "by_year",
    "communities",
    "centralities",
    "ego",
    "to_graphml",
    "to_gexf",
    "to_node_link",
    "to_csv",
    "export",
]

NODE_TYPES = {
    "THEME": "theme",
    "SLOGAN": "slogan",
    "VILLAGE": "village",
    "PLACE": "place",
    "ORG": "org",
    "PROJECT": "project",
    "PERSON": "person",
    "EVENT": "event",
    "DOC": "doc",
}
WINDOWS = ("sentence", "paragraph", "section")
Window = Literal["sentence", "paragraph", "section"]
CHILD_SCOPES = {("slogan", "theme"): "paragraph"}
MAX_EXAMPLES = 5


# --------------------------------------------------------------------------- input


def _as_table(data) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    from . import mentions

    return mentions.from_docs(data)


def _window_key(df: pd.DataFrame, window: str) -> pd.Series:
    if window not in WINDOWS:
        raise ValueError(f"window={window!r} is not one of {WINDOWS}; choose 'sentence', 'paragraph' or 'section'.")
    col = df[window].astype(str) if window == "section" else df[window].astype("int64").astype(str)
    return df["doc_id"].astype(str) + "\x1f" + col


def _node_rows(df: pd.DataFrame, *, use_parts: bool) -> pd.DataFrame:
    """Rows that are graph nodes (``node``, ``type``, ``name``, ``via_part``), parts expanded."""
    rows = df[df["label"].isin(NODE_TYPES.keys())].copy()
    norm = rows["norm"].where(rows["norm"].notna() & (rows["norm"].astype(str) != ""), rows["text"])
    rows["type"] = rows["label"].map(NODE_TYPES)
    rows["name"] = norm.astype(str)
    rows["via_part"] = False
    if use_parts and "parts" in rows and rows["parts"].astype(bool).any():
        extra = []
        for idx, raw in rows["parts"].items():
            if not isinstance(raw, str) or not raw:
                continue
            try:
                parts = json.loads(raw)
            except ValueError:
                logger.warning("unreadable parts %r in mention row %s; ignored", raw, idx)
                continue
            for part in parts or ():
                typ = NODE_TYPES.get(str(part.get("label", "")).upper())
                name = part.get("norm") or part.get("text")
                if typ and name and (typ, name) != (rows.at[idx, "type"], rows.at[idx, "name"]):
                    row = rows.loc[idx].copy()
                    row["type"], row["name"], row["label"], row["via_part"] = typ, str(name), part["label"], True
                    extra.append(row)
        if extra:
            rows = pd.concat([rows, pd.DataFrame(extra)], ignore_index=True)
    rows["name"] = _display_names(rows)
    rows["node"] = rows["type"] + ":" + rows["name"]
    return rows


def _display_names(rows: pd.DataFrame) -> pd.Series:
    """The node name of every row: the most frequent surface form of its ``(type, norm)`` group.

    Mentions are grouped by their ``norm`` (the entity component strips suffixes: 龙贯村 → 龙贯),
    but the node is named as the text writes it most often (``village:龙贯村``): among the
    group's own surface texts that contain the norm (parts and themes excluded), the most
    frequent, then the longest; the norm when there is none.
    """
    names = rows["name"].astype(str)
    key = rows["type"].astype(str) + "\x1f" + names
    surface = rows["text"].astype(str).str.replace(r"\s+", "", regex=True)
    ok = (~rows["via_part"].astype(bool)) & (rows["type"] != "theme") & (surface != names)
    ok &= pd.Series([n in t for n, t in zip(names.tolist(), surface.tolist())], index=rows.index)
    if not ok.any():
        return names
    cand = pd.DataFrame({"key": key[ok], "surface": surface[ok]})
    counts = cand.groupby(["key", "surface"], sort=False).size().rename("n").reset_index()
    counts["len"] = counts["surface"].str.len()
    best = counts.sort_values(["key", "n", "len", "surface"], ascending=[True, False, False, True]).drop_duplicates("key")
    # a bare mention (surface == norm) competes too: the suffixed form wins only if at least as frequent
    bare = key[~ok & (surface == names) & ~rows["via_part"].astype(bool)].value_counts()
    best = best[best["n"] >= best["key"].map(bare).fillna(0)]
    mapping = dict(zip(best["key"], best["surface"]))
    return pd.Series([mapping.get(k, n) for k, n in zip(key.tolist(), names.tolist())], index=rows.index)


def _incidence(win_codes: np.ndarray, node_codes: np.ndarray, n_win: int, n_node: int) -> sparse.csr_matrix:
    X = sparse.csr_matrix(
        (np.ones(len(win_codes), dtype=np.int32), (win_codes, node_codes)), shape=(n_win, n_node)
    )
    X.sum_duplicates()
    X.data[:] = 1
    return X


def _pair_counts(X: sparse.csr_matrix, rows: np.ndarray | None = None, cols: np.ndarray | None = None):
    """Upper-triangle co-occurrence counts ``(i, j, c_ij)`` with i < j (or the rows × cols block)."""
    if rows is None:
        C = sparse.triu((X.T @ X).tocsr(), k=1).tocoo()
        return C.row.astype(np.int64), C.col.astype(np.int64), C.data.astype(np.int64)
    C = (X[:, rows].T @ X[:, cols]).tocoo()
    return rows[C.row].astype(np.int64), cols[C.col].astype(np.int64), C.data.astype(np.int64)


def association(c_ab: np.ndarray, c_a: np.ndarray, c_b: np.ndarray, n: np.ndarray | float) -> dict[str, np.ndarray]:
    """PMI (base 2), NPMI, G² and its p-value for window counts (vectorised).

    Parameters
    ----------
    c_ab, c_a, c_b : array
        Windows with both, with a, with b.
    n : array or float
        Number of windows.

    Examples
    --------
    >>> r = association(np.array([2]), np.array([2]), np.array([2]), 4.0)
    >>> float(r["pmi"][0]), float(r["npmi"][0]), round(float(r["llr"][0]), 4)
    (1.0, 1.0, 5.5452)
    """
    c_ab, c_a, c_b = (np.asarray(v, dtype=np.float64) for v in (c_ab, c_a, c_b))
    n = np.broadcast_to(np.asarray(n, dtype=np.float64), c_ab.shape)
    pmi = np.log2(c_ab * n / (c_a * c_b))
    denom = -np.log2(c_ab / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(denom > 0, pmi / np.where(denom > 0, denom, 1), 1.0)
    k = np.stack([c_ab, c_a - c_ab, c_b - c_ab, n - c_a - c_b + c_ab])
    e = np.stack([c_a * c_b, c_a * (n - c_b), (n - c_a) * c_b, (n - c_a) * (n - c_b)]) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(k > 0, k * np.log(np.where(k > 0, k, 1) / np.where(e > 0, e, 1)), 0.0)
    llr = np.maximum(2 * terms.sum(axis=0), 0.0)
    return {"pmi": pmi, "npmi": npmi, "llr": llr, "p": chi2.sf(llr, 1)}


def _examples(
    nodes: pd.DataFrame, win_col: str, pairs: pd.DataFrame, rarity: np.ndarray, max_examples: int,
    doc_names: np.ndarray,
) -> tuple[np.ndarray, list[list[str]]]:
    """Per pair of ``pairs`` (a < b, in order): its doc_count and up to ``max_examples`` example ids.

    Vectorised: the (window, node) first-sentence table is merged with itself on the window,
    then sorted and ranked with numpy; no Python loop over pairs.
    """
    n_nodes = int(max(nodes["code"].max(), pairs["b"].max())) + 1
    first = (
        nodes[[win_col, "code", "_doc", "sentence"]]
        .sort_values([win_col, "code", "sentence"], kind="stable")
        .drop_duplicates([win_col, "code"])
    )
    left = first.rename(columns={"code": "a", "sentence": "s_a"})
    right = first[[win_col, "code", "sentence"]].rename(columns={"code": "b", "sentence": "s_b"})
    m = left.merge(right, on=win_col)
    a, b = m["a"].to_numpy(np.int64), m["b"].to_numpy(np.int64)
    key = a * n_nodes + b
    pair_key = pairs["a"].to_numpy(np.int64) * n_nodes + pairs["b"].to_numpy(np.int64)
    keep = (a < b) & np.isin(key, pair_key)
    key, a, b = key[keep], a[keep], b[keep]
    doc = m["_doc"].to_numpy(np.int64)[keep]
    sent = np.where(rarity[b] <= rarity[a], m["s_b"].to_numpy(np.int64)[keep], m["s_a"].to_numpy(np.int64)[keep])
    order = np.lexsort((sent, doc, key))
    key, doc, sent = key[order], doc[order], sent[order]
    # doc_count: distinct (pair, doc)
    new_doc = np.r_[True, (key[1:] != key[:-1]) | (doc[1:] != doc[:-1])]
    kd = key[new_doc]
    uk, doc_counts = np.unique(kd, return_counts=True)
    # examples: distinct (pair, doc, sentence), the first max_examples per pair
    new_ex = np.r_[True, (key[1:] != key[:-1]) | (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])]
    key, doc, sent = key[new_ex], doc[new_ex], sent[new_ex]
    starts = np.r_[True, key[1:] != key[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(len(key)), 0))
    rank = np.arange(len(key)) - group_start
    sel = rank < max_examples
    key, doc, sent = key[sel], doc[sel], sent[sel]
    labels = [f"{doc_names[d]}#{s_}" for d, s_ in zip(doc.tolist(), sent.tolist())]
    bounds = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ex_keys = key[bounds]
    ex_lists = [labels[i:j] for i, j in zip(bounds.tolist(), np.r_[bounds[1:], len(labels)].tolist())]
    pos_dc = np.searchsorted(uk, pair_key)
    pos_ex = np.searchsorted(ex_keys, pair_key)
    dc = np.where((pos_dc < len(uk)) & (uk[np.minimum(pos_dc, len(uk) - 1)] == pair_key), doc_counts[np.minimum(pos_dc, len(uk) - 1)], 0) if len(uk) else np.zeros(len(pair_key), int)
    examples = [
        ex_lists[p] if p < len(ex_keys) and ex_keys[p] == k else [] for p, k in zip(pos_ex.tolist(), pair_key.tolist())
    ]
    return dc, examples


# --------------------------------------------------------------------------- build


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
        The mention table (columns of :data:`qidu_nlp.mentions.COLUMNS`), or Docs processed by
        the pipeline (then :func:`qidu_nlp.mentions.from_docs` makes the table).
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
    df = _as_table(data)
    child_scopes = dict(CHILD_SCOPES if child_scopes is None else child_scopes)
    keep_types = None if types is None else {t.lower() for t in types}
    G = nx.Graph(window=window, n_windows=0, n_docs=0)
    if df.empty:
        _window_key(df, window)  # validates the window name
        return G
    df = df.reset_index(drop=True)
    wkey = _window_key(df, window)
    win_codes_all, win_uniques = pd.factorize(wkey)
    n_windows = len(win_uniques)
    G.graph.update(n_windows=int(n_windows), n_docs=int(df["doc_id"].nunique()))

    doc_codes, doc_names = pd.factorize(df["doc_id"].astype(str))
    doc_names = np.asarray(doc_names, dtype=object)
    df = df.assign(_w=win_codes_all, _doc=doc_codes)
    nodes = _node_rows(df, use_parts=use_parts)
    if keep_types is not None:
        nodes = nodes[nodes["type"].isin(keep_types)]
    if nodes.empty:
        return G
    codes, node_names = pd.factorize(nodes["node"])
    node_names = [str(n) for n in node_names]  # plain list: indexing an Arrow-backed Index is slow
    nodes = nodes.assign(code=codes)
    n_nodes = len(node_names)
    X = _incidence(nodes["_w"].to_numpy(), codes, n_windows, n_nodes)
    win_count = np.asarray(X.sum(axis=0)).ravel()
    node_type = np.array([n.split(":", 1)[0] for n in node_names])

    # node attributes
    years = pd.to_numeric(nodes["year"], errors="coerce") if "year" in nodes else pd.Series(np.nan, index=nodes.index)
    grouped = nodes.assign(_y=years).groupby("code", sort=True)
    agg = grouped.agg(
        count=("node", "size"), part_count=("via_part", "sum"), doc_count=("doc_id", "nunique"),
        first_year=("_y", "min"), last_year=("_y", "max"), type=("type", "first"), name=("name", "first"),
    )
    for code, typ, name, cnt, pc, dc, fy, ly in zip(
        agg.index.tolist(), agg["type"].tolist(), agg["name"].tolist(), agg["count"].tolist(),
        agg["part_count"].tolist(), agg["doc_count"].tolist(), agg["first_year"].tolist(), agg["last_year"].tolist(),
    ):
        attrs = {"type": typ, "name": name, "count": int(cnt), "part_count": int(pc),
                 "window_count": int(win_count[code]), "doc_count": int(dc)}
        if pd.notna(fy):
            attrs["first_year"], attrs["last_year"] = int(fy), int(ly)
        G.add_node(node_names[code], **attrs)

    # edges in the main window
    a, b, c = _pair_counts(X)
    frames = []
    scoped = np.zeros(len(a), dtype=bool)
    for (ta, tb), scope in child_scopes.items():
        if scope == window:
            continue
        scoped |= ((node_type[a] == ta) & (node_type[b] == tb)) | ((node_type[a] == tb) & (node_type[b] == ta))
    main = pd.DataFrame({"a": a[~scoped], "b": b[~scoped], "count": c[~scoped]})
    main = main.assign(n=float(n_windows), c_a=win_count[main["a"]], c_b=win_count[main["b"]], window=window)
    frames.append((main, nodes, "_w"))

    # child scopes (slogan–theme over paragraphs)
    for (ta, tb), scope in child_scopes.items():
        if scope == window:
            continue
        ia = np.flatnonzero(node_type == ta)
        ib = np.flatnonzero(node_type == tb)
        if not len(ia) or not len(ib):
            continue
        s_codes, n_scope = _scope_codes(df, nodes, scope)
        s_nodes = nodes.assign(_s=s_codes)
        Xs = _incidence(s_codes, s_nodes["code"].to_numpy(), n_scope, n_nodes)
        sa, sb, sc = _pair_counts(Xs, ia, ib)
        lo, hi = np.minimum(sa, sb), np.maximum(sa, sb)
        s_count = np.asarray(Xs.sum(axis=0)).ravel()
        part = pd.DataFrame({"a": lo, "b": hi, "count": sc})
        part = part.assign(n=float(n_scope), c_a=s_count[part["a"]], c_b=s_count[part["b"]], window=scope)
        frames.append((part, s_nodes, "_s"))

    rarity = win_count.astype(float)
    for edges, occ, wcol in frames:
        edges = edges[edges["count"] >= min_count]
        if edges.empty:
            continue
        stats = association(edges["count"].to_numpy(), edges["c_a"].to_numpy(), edges["c_b"].to_numpy(), edges["n"].to_numpy())
        edges = edges.assign(**stats)
        doc_count, examples = _examples(occ, wcol, edges, rarity, max_examples, doc_names)
        cols = [edges[c].to_numpy().tolist() for c in ("a", "b", "count", "pmi", "npmi", "llr", "p")]
        win = edges["window"].iloc[0]
        G.add_edges_from(
            (node_names[a_], node_names[b_], {"count": int(c_), "doc_count": int(dc_), "pmi": pm, "npmi": npm,
                                              "llr": ll, "p": pv, "window": win, "examples": ex})
            for a_, b_, c_, pm, npm, ll, pv, dc_, ex in zip(*cols, doc_count.tolist(), examples)
        )
    return G


def _scope_codes(df: pd.DataFrame, nodes: pd.DataFrame, scope: str) -> tuple[np.ndarray, int]:
    """Codes of the ``scope`` windows for node rows (part rows carry their parent's columns)."""
    uniques = pd.unique(_window_key(df, scope))
    codes = pd.Index(uniques).get_indexer(_window_key(nodes, scope))
    return codes.astype(np.int64), len(uniques)


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


# --------------------------------------------------------------------------- exports


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
