"""qidu_nlp.graph.counts: co-occurrence counts that add up across batches, and the graph they make.

A :class:`Counts` holds, for a set of documents, per node (type + norm) its mentions, windows
and documents; per pair of nodes the windows and documents they share and the first example
windows; per window kind the number of windows. Windows never cross documents, so the counts
of two disjoint sets of documents **add up exactly**: :meth:`Counts.merge` gives what counting
the union gives. A corpus is therefore counted batch by batch (memory bounded by distinct nodes
and pairs, not by mentions), and on a Dask cluster per partition, the client only summing.
Documents carry a corpus position (``doc_seq``), so the merge does not even depend on the order
of the batches. :meth:`Counts.to_graph` makes the networkx graph.

Document ids must be unique across the batches merged (the readers make them so: a repeated
id gets a ``~2`` suffix).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Iterator, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from .association import association
from .nodes import MAX_EXAMPLES, TYPE_ORDER

__all__ = ["Counts", "paused_collector", "graph_from_tables"]


@contextmanager
def paused_collector() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block, then restore its state.

    A graph is 10^5 small dicts and lists (edge attributes, examples, adjacency), and their
    allocation sets off full collections that scan the caller's whole heap (a notebook's Docs
    and tables): 20-35 % of the section-window graph's time on the national reports. None of
    these objects form cycles, so nothing is lost by collecting after they are built; only the
    counting and building calls pause it, and a collector already off stays off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_NODE_COLS = ["type", "name", "count", "part_count", "doc_count", "first_year", "last_year"]


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
        >>> from qidu_nlp.graph.counting import count
        >>> a = count(pd.DataFrame([dict(doc_id="d", year=2024, paragraph=0, sentence=0, section="",
        ...                               label="THEME", norm="乡村振兴", text="…")]))
        >>> b = count(pd.DataFrame([dict(doc_id="e", year=2023, paragraph=0, sentence=0, section="",
        ...                               label="THEME", norm="乡村振兴", text="…")]), doc_seq={"e": 1})
        >>> int(a.merge(b).nodes.loc["theme\\x1f乡村振兴", "doc_count"])
        2
        """
        return Counts.combine([self, *others])

    @staticmethod
    def combine(parts: Sequence["Counts"]) -> "Counts":
        """Merge many counts at once (one concatenation and one group-by per table)."""
        with paused_collector():
            return Counts._combine(list(parts))

    @staticmethod
    def _combine(parts: list["Counts"]) -> "Counts":
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
        node_frames = [p.nodes for p in parts if len(p.nodes)]
        nodes = pd.concat(node_frames) if node_frames else None
        if nodes is not None:
            sums = {c: "sum" for c in ["count", "part_count", "doc_count", *[f"w:{w}" for w in kinds]]}
            nodes = nodes.groupby(level=0, sort=True).agg(
                {"type": "first", "name": "first", "first_year": "min", "last_year": "max", **sums})[_NODE_COLS + [f"w:{w}" for w in kinds]]
        else:
            nodes = None
        forms = _sum_by([p.forms for p in parts], ["key", "surface"])
        bare = _sum_by([p.bare for p in parts], ["key"])
        pairs = _sum_by([p.pairs for p in parts], ["a", "b", "window"], cols=("count", "doc_count"))
        examples = first_examples(pd.concat([p.examples for p in parts], ignore_index=True), first.max_examples)
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
        >>> from qidu_nlp.graph.counting import count
        >>> rows = [dict(doc_id="d", year=2024, paragraph=0, sentence=0, section="", label="VILLAGE",
        ...              norm="龙贯", text="龙贯村")]
        >>> count(pd.DataFrame(rows)).node_ids().tolist()
        ['village:龙贯村']
        """
        return self.nodes["type"].astype(str) + ":" + self.display_names().astype(str)

    def to_graph(self, *, min_count: int = 1) -> nx.Graph:
        """The co-occurrence graph (see :func:`qidu_nlp.graph.build` for its attributes).

        Nodes come sorted by type (themes, slogans, villages …), then most mentioned first;
        edges by window, then by their endpoints' order.
        """
        with paused_collector():
            return graph_from_tables(*self.tables(min_count=min_count), self.graph_attrs())

    def graph_attrs(self) -> dict:
        """The graph attributes: ``window``, ``n_windows``, ``n_docs``."""
        return {"window": self.window, "n_windows": int(self.n_windows.get(self.window, 0)),
                "n_docs": int(self.docs["doc_id"].nunique())}

    def tables(self, *, min_count: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The graph as two tables, without networkx: what :meth:`to_graph` and the exports of a
        large corpus are made from.

        Returns
        -------
        nodes : DataFrame
            Index ``id`` (``type:name``), in the graph's node order; ``type``, ``name``, ``count``,
            ``part_count``, ``window_count``, ``doc_count``, ``first_year``, ``last_year`` (NaN
            when unknown) and ``rank`` (the position).
        edges : DataFrame
            In the order the graph's edges are added: ``source``, ``target``, ``count``,
            ``doc_count``, ``pmi``, ``npmi``, ``llr``, ``p``, ``window``, ``examples`` (a list of
            ``doc_id#sentence``), and ``lo``, ``hi`` (the endpoints' ranks) and ``kind`` (the
            window's place in :meth:`kinds`).
        """
        with paused_collector():
            return self._tables(min_count)

    def _tables(self, min_count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        node_cols = ["type", "name", "count", "part_count", "window_count", "doc_count", "first_year", "last_year"]
        edge_cols = ["source", "target", "count", "doc_count", "pmi", "npmi", "llr", "p", "window", "examples",
                     "lo", "hi", "kind"]
        if not len(self.nodes):
            return pd.DataFrame(columns=node_cols + ["rank"]).rename_axis("id"), pd.DataFrame(columns=edge_cols)
        nodes = self.nodes.assign(display=self.display_names())
        nodes = nodes.assign(_t=nodes["type"].map(TYPE_ORDER).fillna(len(TYPE_ORDER)))
        nodes = nodes.sort_values(["_t", "count", "display"], ascending=[True, False, True], kind="stable")
        node_id = (nodes["type"].astype(str) + ":" + nodes["display"].astype(str))
        table = pd.DataFrame({
            "type": nodes["type"].astype(str).to_numpy(dtype=object), "name": nodes["display"].to_numpy(dtype=object),
            "count": nodes["count"].to_numpy(np.int64), "part_count": nodes["part_count"].to_numpy(np.int64),
            "window_count": nodes[f"w:{self.window}"].to_numpy(np.int64),
            "doc_count": nodes["doc_count"].to_numpy(np.int64),
            "first_year": nodes["first_year"].to_numpy(np.float64), "last_year": nodes["last_year"].to_numpy(np.float64),
            "rank": np.arange(len(nodes))}, index=pd.Index(node_id.to_numpy(dtype=object), name="id"))
        pairs = self.pairs[self.pairs["count"] >= min_count]
        if not len(pairs):
            return table, pd.DataFrame(columns=edge_cols)
        # node ranks as integers once; every lookup below is by position, not by key string
        ra_all, rb_all = nodes.index.get_indexer(pairs["a"]), nodes.index.get_indexer(pairs["b"])
        win_all = pairs["window"].to_numpy()
        stats = []
        for k, w in enumerate(self.kinds()):
            sel = win_all == w
            if not sel.any():
                continue
            part = pairs[sel]
            ra, rb = ra_all[sel], rb_all[sel]
            counts = nodes[f"w:{w}"].to_numpy()
            part = part.assign(**association(part["count"].to_numpy(), counts[ra], counts[rb], float(self.n_windows[w])))
            part = part.assign(_lo=np.minimum(ra, rb), _hi=np.maximum(ra, rb), kind=k)
            stats.append(part.sort_values(["_lo", "_hi"], kind="stable"))
        edges = pd.concat(stats, ignore_index=True)
        examples = self._pick_examples(edges, nodes)
        ids = table.index.to_numpy()
        key_rank = pd.Series(np.arange(len(nodes)), index=nodes.index)
        out = pd.DataFrame({
            "source": ids[key_rank[edges["a"]].to_numpy()], "target": ids[key_rank[edges["b"]].to_numpy()],
            "count": edges["count"].to_numpy(np.int64), "doc_count": edges["doc_count"].to_numpy(np.int64),
            "pmi": edges["pmi"].to_numpy(), "npmi": edges["npmi"].to_numpy(), "llr": edges["llr"].to_numpy(),
            "p": edges["p"].to_numpy(), "window": edges["window"].to_numpy(dtype=object), "examples": examples,
            "lo": edges["_lo"].to_numpy(np.int64), "hi": edges["_hi"].to_numpy(np.int64),
            "kind": edges["kind"].to_numpy(np.int64)})
        return table, out

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


def first_examples(ex: pd.DataFrame, k: int) -> pd.DataFrame:
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


def graph_from_tables(nodes: pd.DataFrame, edges: pd.DataFrame, attrs: dict | None = None) -> nx.Graph:
    """The networkx graph of :meth:`Counts.tables` (or of a selection of their rows)."""
    G = nx.Graph(**(attrs or {}))
    cols = [nodes[c].tolist() for c in ("type", "name", "count", "part_count", "window_count", "doc_count",
                                        "first_year", "last_year")]
    for node, typ, name, cnt, pc, wc, dc, fy, ly in zip(nodes.index.tolist(), *cols):
        node_attrs = {"type": typ, "name": name, "count": cnt, "part_count": pc, "window_count": wc, "doc_count": dc}
        if fy == fy:  # not NaN
            node_attrs["first_year"], node_attrs["last_year"] = int(fy), int(ly)
        G.add_node(node, **node_attrs)
    if len(edges):
        cols = [edges[c].tolist() for c in ("source", "target", "count", "doc_count", "pmi", "npmi", "llr", "p",
                                             "window", "examples")]
        G.add_edges_from(
            (u, v, {"count": c, "doc_count": dc, "pmi": pm, "npmi": npm, "llr": ll, "p": pv, "window": w,
                    "examples": ex})
            for u, v, c, dc, pm, npm, ll, pv, w, ex in zip(*cols)
        )
    return G
