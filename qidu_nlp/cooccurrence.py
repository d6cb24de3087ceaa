"""qidu_nlp.cooccurrence: mention rows → co-occurrence counts that add up across batches.

The counting stage between the mention table (:mod:`qidu_nlp.mentions`) and the graph
(:mod:`qidu_nlp.graph`). :func:`count` turns mention rows into a :class:`Counts`: per node
(type + norm) its mentions, windows and documents; per pair of nodes the windows and documents
they share and the first example windows; per window kind the number of windows. Counts come
from a sparse window × node incidence matrix (``X.T @ X``), never from Python loops over pairs.

Windows never cross documents, so the counts of two disjoint sets of documents **add up
exactly**: :meth:`Counts.merge` gives what :func:`count` gives on the union. A corpus is
therefore counted batch by batch (memory bounded by distinct nodes and pairs, not by
mentions), and on a Dask cluster per partition, the client only summing. Documents carry a
corpus position (``doc_seq``), so the merge does not even depend on the order of the batches.
:meth:`Counts.to_graph` makes the networkx graph; :func:`qidu_nlp.graph.build` is
``count(...).to_graph()``.

Document ids must be unique across the batches merged (the readers make them so: a repeated
id gets a ``~2`` suffix).
"""

from __future__ import annotations

import functools
import gc
import json
import logging
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import chi2

logger = logging.getLogger("qidu_nlp")

__all__ = ["NODE_TYPES", "WINDOWS", "CHILD_SCOPES", "MAX_EXAMPLES", "Counts", "Accumulator", "count",
           "association", "node_rows"]

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
TYPE_ORDER = {t: i for i, t in enumerate(NODE_TYPES.values())}
WINDOWS = ("sentence", "paragraph", "section")
CHILD_SCOPES = {("slogan", "theme"): "paragraph"}
MAX_EXAMPLES = 5
SEP = "\x1f"  # between type and name in a node key

_NODE_COLS = ["type", "name", "count", "part_count", "doc_count", "first_year", "last_year"]


def _collector_paused(func):
    """Run ``func`` with the cyclic garbage collector paused.

    A graph is 10^5 small dicts and lists (edge attributes, examples, adjacency), and their
    allocation sets off full collections that scan the caller's whole heap (a notebook's Docs
    and tables): 20-35 % of the section-window graph's time on the national reports. None of
    these objects form cycles, so nothing is lost by collecting after they are built.
    """
    @functools.wraps(func)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return paused


# --------------------------------------------------------------------------- rows → node rows


def check_window(window: str) -> str:
    """``window`` if it names a window kind, else a ValueError that lists them."""
    if window not in WINDOWS:
        raise ValueError(f"window={window!r} is not one of {WINDOWS}; choose 'sentence', 'paragraph' or 'section'.")
    return window


def window_key(df: pd.DataFrame, window: str) -> pd.Series:
    """``doc_id`` + window index of every row (the section path for ``"section"``)."""
    check_window(window)
    # a section path read back from CSV may be NaN where it was empty
    col = df[window].fillna("").astype(str) if window == "section" else df[window].astype("int64").astype(str)
    return df["doc_id"].astype(str) + SEP + col


def node_rows(df: pd.DataFrame, *, use_parts: bool) -> pd.DataFrame:
    """Rows that are graph nodes, with ``type``, ``name`` (the norm), ``via_part`` and ``key``.

    Parts are expanded: a mention whose ``parts`` lists ``[{"label", "norm"}]`` also counts as a
    mention of each part, with the parent's document, sentence and paragraph.
    """
    rows = df[df["label"].isin(NODE_TYPES.keys())].copy()
    norm = rows["norm"].where(rows["norm"].notna() & (rows["norm"].astype(str) != ""), rows["text"])
    rows["type"] = rows["label"].map(NODE_TYPES)
    rows["name"] = norm.astype(str)
    rows["via_part"] = False
    if use_parts and "parts" in rows and rows["parts"].astype(bool).any():
        where, typs, names, labels = [], [], [], []
        has = rows["parts"].fillna("").astype(str).str.len().to_numpy() > 0
        with_parts = rows[has]  # few rows have parts; read only those, as plain lists
        own = dict(zip(with_parts.index, zip(with_parts["type"].tolist(), with_parts["name"].tolist())))
        for idx, raw in zip(with_parts.index, with_parts["parts"].tolist()):
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
                if typ and name and (typ, name) != own[idx]:
                    where.append(idx)
                    typs.append(typ)
                    names.append(str(name))
                    labels.append(part["label"])
        if where:  # the part rows: copies of their parent's row (document, sentence, paragraph)
            extra = rows.loc[where].assign(type=typs, name=names, label=labels, via_part=True)
            rows = pd.concat([rows, extra], ignore_index=True)
    rows["key"] = rows["type"] + SEP + rows["name"]
    return rows


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


# --------------------------------------------------------------------------- the counts


@dataclass
class Counts:
    """Co-occurrence counts of a set of documents; :meth:`merge` adds those of others.

    Attributes
    ----------
    window : str
        The main window (``"sentence"``, ``"paragraph"`` or ``"section"``).
    scopes : dict
        ``{(type_a, type_b): window}``: pairs of these types counted over another window.
    use_parts, types, max_examples
        How the counts were made (merged counts must agree on them).
    docs : DataFrame
        ``doc_id`` and ``doc_seq`` (corpus position) of every document with a mention.
    n_windows : dict
        Windows holding any mention (QUANTITY rows included), per window kind.
    nodes : DataFrame
        Index ``key`` (``type`` + ``\\x1f`` + norm); ``type``, ``name`` (the norm), ``count``
        (mentions, parts included), ``part_count``, ``doc_count``, ``first_year``,
        ``last_year`` and ``w:<window>`` (windows holding the node) per window kind.
    forms : DataFrame
        ``key``, ``surface``, ``n``: the written forms that may name a node, and how often.
    bare : DataFrame
        ``key``, ``n``: mentions written exactly as their norm (competing with ``forms``).
    pairs : DataFrame
        ``a``, ``b`` (keys, ``a < b``), ``window``, ``count`` (shared windows), ``doc_count``.
    examples : DataFrame
        ``a``, ``b``, ``window``, ``doc_seq``, ``s_a``, ``s_b``: shared windows as the first
        sentence of each endpoint there; per pair the first ``max_examples`` in corpus order of
        ``s_a`` and of ``s_b`` (enough to pick the examples of :meth:`to_graph` after a merge).
    """

    window: str = "sentence"
    scopes: dict = field(default_factory=dict)
    use_parts: bool = True
    types: tuple | None = None
    max_examples: int = MAX_EXAMPLES
    docs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"doc_id": pd.Series(dtype=object),
                                                                      "doc_seq": pd.Series(dtype=np.int64)}))
    n_windows: dict = field(default_factory=dict)
    nodes: pd.DataFrame | None = None
    forms: pd.DataFrame | None = None
    bare: pd.DataFrame | None = None
    pairs: pd.DataFrame | None = None
    examples: pd.DataFrame | None = None

    def __post_init__(self):
        kinds = self.kinds()
        self.n_windows = {w: int(self.n_windows.get(w, 0)) for w in kinds}
        if self.nodes is None:
            self.nodes = pd.DataFrame({c: pd.Series(dtype=object if c in ("type", "name") else np.float64)
                                       for c in _NODE_COLS + [f"w:{w}" for w in kinds]})
            self.nodes.index.name = "key"
        if self.forms is None:
            self.forms = pd.DataFrame({"key": pd.Series(dtype=object), "surface": pd.Series(dtype=object),
                                       "n": pd.Series(dtype=np.int64)})
        if self.bare is None:
            self.bare = pd.DataFrame({"key": pd.Series(dtype=object), "n": pd.Series(dtype=np.int64)})
        if self.pairs is None:
            self.pairs = pd.DataFrame({c: pd.Series(dtype=object if c in ("a", "b", "window") else np.int64)
                                       for c in ("a", "b", "window", "count", "doc_count")})
        if self.examples is None:
            self.examples = pd.DataFrame({c: pd.Series(dtype=object if c in ("a", "b", "window") else np.int64)
                                          for c in ("a", "b", "window", "doc_seq", "s_a", "s_b")})

    # -- shape
    def kinds(self) -> list[str]:
        """The window kinds counted: the main window, then those of the scopes."""
        out = [self.window]
        for scope in self.scopes.values():
            if scope not in out:
                out.append(scope)
        return out

    def config(self) -> tuple:
        return (self.window, tuple(sorted(self.scopes.items())), self.use_parts, self.types, self.max_examples)

    def __len__(self) -> int:
        """Rows held (nodes, forms, pairs and examples): the size the accumulator watches."""
        return len(self.nodes) + len(self.forms) + len(self.bare) + len(self.pairs) + len(self.examples)

    # -- merging
    def merge(self, *others: "Counts") -> "Counts":
        """The counts of these documents and of ``others`` (disjoint documents), exactly.

        Examples
        --------
        >>> a = count(pd.DataFrame([dict(doc_id="d", year=2024, paragraph=0, sentence=0, section="",
        ...                               label="THEME", norm="乡村振兴", text="…")]))
        >>> b = count(pd.DataFrame([dict(doc_id="e", year=2023, paragraph=0, sentence=0, section="",
        ...                               label="THEME", norm="乡村振兴", text="…")]), doc_seq={"e": 1})
        >>> int(a.merge(b).nodes.loc["theme\\x1f乡村振兴", "doc_count"])
        2
        """
        return Counts.combine([self, *others])

    @staticmethod
    @_collector_paused
    def combine(parts: Sequence["Counts"]) -> "Counts":
        """Merge many counts at once (one concatenation and one group-by per table)."""
        parts = list(parts)
        if not parts:
            return Counts()
        first = parts[0]
        for p in parts[1:]:
            if p.config() != first.config():
                raise ValueError(f"cannot merge counts made with different settings: {first.config()} and {p.config()}")
        if len(parts) == 1:
            return first
        kinds = first.kinds()
        docs = pd.concat([p.docs for p in parts], ignore_index=True)
        dup = docs["doc_id"].duplicated()
        if dup.any():
            raise ValueError(f"document ids repeat across the merged counts ({docs.loc[dup, 'doc_id'].iloc[0]!r}); "
                             "counts add up only over disjoint documents")
        n_windows = {w: sum(p.n_windows.get(w, 0) for p in parts) for w in kinds}
        nodes = pd.concat([p.nodes for p in parts if len(p.nodes)])
        if len(nodes):
            sums = {c: "sum" for c in ["count", "part_count", "doc_count", *[f"w:{w}" for w in kinds]]}
            nodes = nodes.groupby(level=0, sort=True).agg(
                {"type": "first", "name": "first", "first_year": "min", "last_year": "max", **sums})[_NODE_COLS + [f"w:{w}" for w in kinds]]
        else:
            nodes = None
        forms = _sum_by([p.forms for p in parts], ["key", "surface"])
        bare = _sum_by([p.bare for p in parts], ["key"])
        pairs = _sum_by([p.pairs for p in parts], ["a", "b", "window"], cols=("count", "doc_count"))
        examples = _first_examples(pd.concat([p.examples for p in parts], ignore_index=True), first.max_examples)
        return replace(first, docs=docs, n_windows=n_windows, nodes=nodes, forms=forms, bare=bare, pairs=pairs,
                       examples=examples)

    # -- the graph
    def display_names(self) -> pd.Series:
        """The node name of every key: its most frequent written form that contains the norm
        (then the longest), if at least as frequent as the bare norm; else the norm.

        Two keys may not share a name: the more frequent keeps it, the other is named by its
        norm (a norm never collides, and no written form equal to another key's norm is used).
        """
        names = self.nodes["name"].astype(str)
        if not len(self.forms):
            return names
        best = self.forms.assign(len=self.forms["surface"].str.len()).sort_values(
            ["key", "n", "len", "surface"], ascending=[True, False, False, True]).drop_duplicates("key")
        bare = self.bare.set_index("key")["n"] if len(self.bare) else pd.Series(dtype=np.int64)
        best = best[best["n"] >= best["key"].map(bare).fillna(0)]
        chosen = names.copy()
        if not len(best):
            return chosen
        cand = best.set_index("key")["surface"].reindex(names.index)
        typ = self.nodes["type"].astype(str)
        taken = set(zip(typ, names))  # every key's own (type, norm)
        order = self.nodes.sort_values(["count", "doc_count"], ascending=False, kind="stable").index
        for key in order:
            surface = cand.get(key)
            if isinstance(surface, str) and (typ[key], surface) not in taken:
                chosen[key] = surface
                taken.add((typ[key], surface))
        return chosen

    def node_ids(self) -> pd.Series:
        """The graph node id (``type:name``) of every key.

        Examples
        --------
        >>> rows = [dict(doc_id="d", year=2024, paragraph=0, sentence=0, section="", label="VILLAGE",
        ...              norm="龙贯", text="龙贯村")]
        >>> count(pd.DataFrame(rows)).node_ids().tolist()
        ['village:龙贯村']
        """
        return self.nodes["type"].astype(str) + ":" + self.display_names().astype(str)

    @_collector_paused
    def to_graph(self, *, min_count: int = 1) -> nx.Graph:
        """The co-occurrence graph (see :func:`qidu_nlp.graph.build` for its attributes).

        Nodes come sorted by type (themes, slogans, villages …), then most mentioned first;
        edges by window, then by their endpoints' order.
        """
        G = nx.Graph(window=self.window, n_windows=int(self.n_windows.get(self.window, 0)),
                     n_docs=int(self.docs["doc_id"].nunique()))
        if not len(self.nodes):
            return G
        nodes = self.nodes.assign(display=self.display_names())
        nodes = nodes.assign(_t=nodes["type"].map(TYPE_ORDER).fillna(len(TYPE_ORDER)))
        nodes = nodes.sort_values(["_t", "count", "display"], ascending=[True, False, True], kind="stable")
        node_id = (nodes["type"].astype(str) + ":" + nodes["display"].astype(str)).to_dict()  # = node_ids()
        cols = [nodes[c].tolist() for c in ("type", "display", "count", "part_count", f"w:{self.window}",
                                            "doc_count", "first_year", "last_year")]
        for key, typ, name, cnt, pc, wc, dc, fy, ly in zip(nodes.index, *cols):
            attrs = {"type": typ, "name": name, "count": int(cnt), "part_count": int(pc), "window_count": int(wc),
                     "doc_count": int(dc)}
            if pd.notna(fy):
                attrs["first_year"], attrs["last_year"] = int(fy), int(ly)
            G.add_node(node_id[key], **attrs)

        pairs = self.pairs[self.pairs["count"] >= min_count]
        if not len(pairs):
            return G
        # node ranks as integers once; every lookup below is by position, not by key string
        ra_all, rb_all = nodes.index.get_indexer(pairs["a"]), nodes.index.get_indexer(pairs["b"])
        win_all = pairs["window"].to_numpy()
        stats = []
        for w in self.kinds():
            sel = win_all == w
            if not sel.any():
                continue
            part = pairs[sel]
            ra, rb = ra_all[sel], rb_all[sel]
            counts = nodes[f"w:{w}"].to_numpy()
            part = part.assign(**association(part["count"].to_numpy(), counts[ra], counts[rb], float(self.n_windows[w])))
            part = part.assign(_lo=np.minimum(ra, rb), _hi=np.maximum(ra, rb))
            stats.append(part.sort_values(["_lo", "_hi"], kind="stable"))
        edges = pd.concat(stats, ignore_index=True)
        examples = self._pick_examples(edges, nodes)
        cols = [edges[c].tolist() for c in ("a", "b", "count", "doc_count", "pmi", "npmi", "llr", "p", "window")]
        G.add_edges_from(
            (node_id[a], node_id[b], {"count": int(c), "doc_count": int(dc), "pmi": pm, "npmi": npm, "llr": ll,
                                      "p": pv, "window": w, "examples": ex})
            for a, b, c, dc, pm, npm, ll, pv, w, ex in zip(*cols, examples)
        )
        return G

    def _pick_examples(self, edges: pd.DataFrame, nodes: pd.DataFrame) -> list[list[str]]:
        """Per edge, up to ``max_examples`` ``"doc_id#sentence"``: shared windows in corpus
        order, each shown by the sentence of the rarer endpoint's first mention there (of
        equally rare ones, the later sentence)."""
        out: list[list[str]] = [[] for _ in range(len(edges))]
        if not len(self.examples):
            return out
        # an example row finds its edge by one integer key (ranks of a and b, window), not by a
        # three-column string merge
        n, kinds = len(nodes), {w: i for i, w in enumerate(self.kinds())}
        wa, wb = nodes.index.get_indexer(self.examples["a"]), nodes.index.get_indexer(self.examples["b"])
        lo, hi = np.minimum(wa, wb), np.maximum(wa, wb)
        ex_key = (lo * n + hi) * len(kinds) + self.examples["window"].map(kinds).to_numpy(np.int64)
        edge_key = ((edges["_lo"].to_numpy(np.int64) * n + edges["_hi"].to_numpy(np.int64)) * len(kinds)
                    + edges["window"].map(kinds).to_numpy(np.int64))
        e_of = pd.Index(edge_key).get_indexer(ex_key)
        found = (e_of >= 0) & (wa >= 0) & (wb >= 0)
        if not found.any():
            return out
        ex = self.examples[found]
        rarity = nodes[f"w:{self.window}"].to_numpy()
        ra, rb = rarity[wa[found]], rarity[wb[found]]
        s_a, s_b = ex["s_a"].to_numpy(), ex["s_b"].to_numpy()
        # equally rare endpoints: the later of the two sentences (the one whose node came second)
        sent = np.where(rb < ra, s_b, np.where(ra < rb, s_a, np.maximum(s_a, s_b)))
        ex = pd.DataFrame({"_e": e_of[found], "doc_seq": ex["doc_seq"].to_numpy(), "sent": sent})
        ex = ex.drop_duplicates().sort_values(["_e", "doc_seq", "sent"], kind="stable")
        ex = ex[ex.groupby("_e", sort=False).cumcount().to_numpy() < self.max_examples]
        names = dict(zip(self.docs["doc_seq"].tolist(), self.docs["doc_id"].astype(str).tolist()))
        labels = [f"{names[d]}#{t}" for d, t in zip(ex["doc_seq"].tolist(), ex["sent"].tolist())]
        e = ex["_e"].to_numpy()
        bounds = np.flatnonzero(np.r_[True, e[1:] != e[:-1]]).tolist() + [len(e)]
        for i, j in zip(bounds[:-1], bounds[1:]):
            out[e[i]] = labels[i:j]
        return out


def _sum_by(frames: list[pd.DataFrame], keys: list[str], cols: Sequence[str] = ("n",)) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True).groupby(keys, sort=True, as_index=False)[list(cols)].sum()


def _first_examples(ex: pd.DataFrame, k: int) -> pd.DataFrame:
    """Per (a, b, window): the first ``k`` rows by (doc_seq, s_a) and the first ``k`` by (doc_seq, s_b)."""
    if not len(ex):
        return None
    gid = ex.groupby(["a", "b", "window"], sort=True).ngroup().to_numpy()
    doc, s_a, s_b = (ex[c].to_numpy(np.int64) for c in ("doc_seq", "s_a", "s_b"))
    keep = np.zeros(len(ex), dtype=bool)
    for sent in (s_a, s_b):  # rank inside each group by (doc_seq, sentence), with numpy sorts
        order = np.lexsort((sent, doc, gid))
        g = gid[order]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)]))
        keep[order[rank < k]] = True
    idx = np.flatnonzero(keep)
    idx = idx[np.lexsort((s_b[idx], s_a[idx], doc[idx], gid[idx]))]
    out = ex.iloc[idx]
    dup = pd.DataFrame({"g": gid[idx], "d": doc[idx], "a": s_a[idx], "b": s_b[idx]}).duplicated().to_numpy()
    return out[~dup].reset_index(drop=True)


# --------------------------------------------------------------------------- counting


@_collector_paused
def count(
    df: pd.DataFrame,
    *,
    window: str = "sentence",
    scopes: Mapping | None = None,
    use_parts: bool = True,
    types: Iterable[str] | None = None,
    max_examples: int = MAX_EXAMPLES,
    doc_seq: Mapping[str, int] | None = None,
) -> Counts:
    """Count the co-occurrences of a mention table (one batch of whole documents).

    Parameters
    ----------
    df : DataFrame
        Mention rows (columns of :data:`qidu_nlp.mentions.COLUMNS`).
    window : {"sentence", "paragraph", "section"}
        The co-occurrence window.
    scopes : dict, optional
        ``{(type_a, type_b): window}`` pairs counted over another window; default
        ``{("slogan", "theme"): "paragraph"}``.
    use_parts : bool
        Count the ``parts`` of a mention (a village inside a project name) as mentions too.
    types : iterable of str, optional
        Node types to keep; default all.
    max_examples : int
        Example windows kept per pair.
    doc_seq : mapping, optional
        Corpus position of each document id (for example order across batches); default the
        order of first appearance in ``df``.

    Returns
    -------
    Counts

    Examples
    --------
    >>> rows = [dict(doc_id="d", year=2024, paragraph=0, sentence=0, section="", label=l, norm=n, text=n)
    ...         for l, n in [("THEME", "乡村振兴"), ("VILLAGE", "龙贯村"), ("QUANTITY", "3个")]]
    >>> c = count(pd.DataFrame(rows))
    >>> c.n_windows, c.pairs[["a", "b", "count"]].values.tolist()
    ({'sentence': 1, 'paragraph': 1}, [['theme\\x1f乡村振兴', 'village\\x1f龙贯村', 1]])
    """
    scopes = {k: v for k, v in dict(CHILD_SCOPES if scopes is None else scopes).items() if v != window}
    for (ta, tb), scope in scopes.items():
        if ta == tb:
            raise ValueError(f"a scope pairs two different node types, not {ta!r} with itself")
        check_window(scope)
    keep_types = None if types is None else tuple(sorted({t.lower() for t in types}))
    out = Counts(window=window, scopes=scopes, use_parts=use_parts, types=keep_types, max_examples=max_examples)
    check_window(window)
    if df.empty:
        return out
    df = df.reset_index(drop=True)
    doc_codes, doc_names = pd.factorize(df["doc_id"].astype(str))
    doc_names = [str(d) for d in doc_names]
    seqs = np.array([doc_seq[d] for d in doc_names] if doc_seq is not None else range(len(doc_names)), dtype=np.int64)
    out.docs = pd.DataFrame({"doc_id": doc_names, "doc_seq": seqs})
    kinds = out.kinds()
    codes, n_win = {}, {}
    for w in kinds:
        codes[w], uniq = pd.factorize(window_key(df, w))
        n_win[w] = len(uniq)
    out.n_windows = n_win
    df = df.assign(_doc=seqs[doc_codes], **{f"_w_{w}": codes[w] for w in kinds})

    nodes = node_rows(df, use_parts=use_parts)
    if keep_types is not None:
        nodes = nodes[nodes["type"].isin(keep_types)]
    if nodes.empty:
        return out
    nodes = nodes.reset_index(drop=True)
    node_codes, keys = pd.factorize(nodes["key"])
    keys = np.asarray([str(k) for k in keys], dtype=object)
    nodes = nodes.assign(code=node_codes)
    n_nodes = len(keys)
    X = {w: _incidence(nodes[f"_w_{w}"].to_numpy(), node_codes, n_win[w], n_nodes) for w in kinds}

    years = pd.to_numeric(nodes["year"], errors="coerce") if "year" in nodes else pd.Series(np.nan, index=nodes.index)
    agg = nodes.assign(_y=years).groupby("code", sort=True).agg(
        type=("type", "first"), name=("name", "first"), count=("key", "size"), part_count=("via_part", "sum"),
        doc_count=("_doc", "nunique"), first_year=("_y", "min"), last_year=("_y", "max"))
    for w in kinds:
        agg[f"w:{w}"] = np.asarray(X[w].sum(axis=0)).ravel()[agg.index.to_numpy()]
    agg.index = pd.Index(keys[agg.index.to_numpy()], name="key")
    out.nodes = agg.astype({"count": np.int64, "part_count": np.int64, "doc_count": np.int64,
                            "first_year": np.float64, "last_year": np.float64})

    # written forms that may name a node (see Counts.display_names)
    surface = nodes["text"].astype(str).str.replace(r"\s+", "", regex=True)
    names = nodes["name"].astype(str)
    direct = ~nodes["via_part"].astype(bool)
    ok = direct & (nodes["type"] != "theme") & (surface != names)
    ok &= pd.Series([n in t for n, t in zip(names.tolist(), surface.tolist())], index=nodes.index)
    out.forms = (pd.DataFrame({"key": nodes.loc[ok, "key"], "surface": surface[ok]})
                 .groupby(["key", "surface"], sort=True).size().rename("n").reset_index())
    out.bare = (nodes.loc[~ok & (surface == names) & direct, "key"].value_counts()
                .rename_axis("key").rename("n").reset_index().sort_values("key", ignore_index=True))

    # pairs: the main window (minus the scoped type pairs), then each scope's window
    node_type = np.array([k.split(SEP, 1)[0] for k in keys])
    pair_frames, example_frames = [], []
    a, b, c = _pair_counts(X[window])
    scoped = np.zeros(len(a), dtype=bool)
    for (ta, tb) in scopes:
        scoped |= ((node_type[a] == ta) & (node_type[b] == tb)) | ((node_type[a] == tb) & (node_type[b] == ta))
    blocks = [(window, a[~scoped], b[~scoped], c[~scoped])]
    for (ta, tb), scope in scopes.items():
        ia, ib = np.flatnonzero(node_type == ta), np.flatnonzero(node_type == tb)
        if len(ia) and len(ib):
            blocks.append((scope, *_pair_counts(X[scope], ia, ib)))
    for w, pa, pb, pc in blocks:
        if not len(pa):
            continue
        ka, kb = keys[pa], keys[pb]
        swap = ka > kb
        lo, hi = np.where(swap, kb, ka), np.where(swap, ka, kb)
        clo, chi = np.where(swap, pb, pa), np.where(swap, pa, pb)
        doc_count, ex = _window_pairs(nodes, f"_w_{w}", clo, chi, max_examples)
        pair_frames.append(pd.DataFrame({"a": lo, "b": hi, "window": w, "count": pc, "doc_count": doc_count}))
        ex = ex.assign(a=keys[ex["a"].to_numpy()], b=keys[ex["b"].to_numpy()], window=w)
        example_frames.append(ex[["a", "b", "window", "doc_seq", "s_a", "s_b"]])
    if pair_frames:
        out.pairs = pd.concat(pair_frames, ignore_index=True).sort_values(["a", "b", "window"], ignore_index=True)
        out.examples = _first_examples(pd.concat(example_frames, ignore_index=True), max_examples)
    return out


def _window_pairs(nodes: pd.DataFrame, win_col: str, pa: np.ndarray, pb: np.ndarray, k: int):
    """For the pairs ``(pa[i], pb[i])`` (node codes): documents shared, and the shared windows
    as ``(doc_seq, s_a, s_b)`` (first sentence of each endpoint in the window), the first
    ``k`` by ``s_a`` and by ``s_b`` per pair.

    Vectorised: the (window, node) first-sentence table is merged with itself on the window.
    """
    n_nodes = int(nodes["code"].max()) + 1
    first = (nodes[[win_col, "code", "_doc", "sentence"]]
             .sort_values([win_col, "code", "sentence"], kind="stable")
             .drop_duplicates([win_col, "code"]))
    left = first.rename(columns={"code": "a", "sentence": "s_a"})
    right = first[[win_col, "code", "sentence"]].rename(columns={"code": "b", "sentence": "s_b"})
    pair_key = pa.astype(np.int64) * n_nodes + pb.astype(np.int64)
    m = left.merge(right, on=win_col)
    key = m["a"].to_numpy(np.int64) * n_nodes + m["b"].to_numpy(np.int64)
    m = m[np.isin(key, pair_key)]
    key = m["a"].to_numpy(np.int64) * n_nodes + m["b"].to_numpy(np.int64)
    dc = pd.Series(m["_doc"].to_numpy()).groupby(key).nunique()
    doc_count = dc.reindex(pair_key).fillna(0).to_numpy(np.int64)
    ex = pd.DataFrame({"a": m["a"].to_numpy(np.int64), "b": m["b"].to_numpy(np.int64),
                       "doc_seq": m["_doc"].to_numpy(np.int64), "s_a": m["s_a"].to_numpy(np.int64),
                       "s_b": m["s_b"].to_numpy(np.int64)})
    return doc_count, ex


# --------------------------------------------------------------------------- accumulating


class Accumulator:
    """Counts of a corpus added batch by batch, in bounded memory.

    Batches wait in a list and are merged when they hold as many rows as the merged total
    (at least ``min_pending``), so merging costs amortised linear time.

    Examples
    --------
    >>> acc = Accumulator(window="sentence")
    >>> for i, doc in enumerate(["d", "e"]):
    ...     acc.add_rows(pd.DataFrame([dict(doc_id=doc, year=2024, paragraph=0, sentence=0, section="",
    ...                                     label="THEME", norm="乡村振兴", text="…")]), doc_seq={doc: i})
    >>> G = acc.result().to_graph()
    >>> G.graph["n_docs"], G.nodes["theme:乡村振兴"]["doc_count"]
    (2, 2)
    """

    def __init__(self, *, window: str = "sentence", min_pending: int = 50_000, **count_kwargs):
        self.window = window
        self.count_kwargs = count_kwargs
        self.min_pending = min_pending
        self._total: Counts | None = None
        self._pending: list[Counts] = []
        self._pending_rows = 0

    def add_rows(self, rows: list[dict] | pd.DataFrame, *, doc_seq: Mapping[str, int] | None = None) -> None:
        """Count mention rows of whole documents and add them."""
        from .mentions import to_frame

        frame = rows if isinstance(rows, pd.DataFrame) else to_frame(rows)
        if len(frame):
            self.add(count(frame, window=self.window, doc_seq=doc_seq, **self.count_kwargs))

    def add(self, counts: Counts) -> None:
        """Add counts made elsewhere (a worker, a Dask partition)."""
        self._pending.append(counts)
        self._pending_rows += len(counts)
        if self._pending_rows >= max(self.min_pending, len(self._total) if self._total is not None else 0):
            self._compact()

    def _compact(self) -> None:
        parts = ([self._total] if self._total is not None else []) + self._pending
        self._total = Counts.combine(parts) if parts else None
        self._pending, self._pending_rows = [], 0

    def result(self) -> Counts:
        """The counts of everything added."""
        self._compact()
        if self._total is None:
            return count(pd.DataFrame(columns=["doc_id", "label"]), window=self.window, **self.count_kwargs)
        return self._total
