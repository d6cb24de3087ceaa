"""qidu_nlp.graph.counting: mention rows → co-occurrence counts (:class:`~qidu_nlp.graph.counts.Counts`).

:func:`count` counts one batch of whole documents from a sparse window × node incidence matrix
``X`` (``X.T @ X``), never from Python loops over pairs; :class:`Accumulator` adds up the counts
of a corpus batch by batch in bounded memory.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import sparse

from ..schema import frame as _frame
from .counts import Counts, first_examples, paused_collector
from .nodes import CHILD_SCOPES, MAX_EXAMPLES, SEP, check_window, node_rows, window_key

__all__ = ["count", "Accumulator"]


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
    with paused_collector():
        return _count(df, window=window, scopes=scopes, use_parts=use_parts, types=types,
                      max_examples=max_examples, doc_seq=doc_seq)


def _count(df: pd.DataFrame, *, window: str, scopes: Mapping | None, use_parts: bool,
           types: Iterable[str] | None, max_examples: int, doc_seq: Mapping[str, int] | None) -> Counts:
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

    out.forms, out.bare = _forms(nodes)
    pairs, examples = _pairs(nodes, keys, X, window, scopes, max_examples)
    if pairs is not None:
        out.pairs, out.examples = pairs, examples
    return out


def _forms(nodes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The written forms that may name a node (see :meth:`Counts.display_names`), and the
    mentions written exactly as their norm."""
    surface = nodes["text"].astype(str).str.replace(r"\s+", "", regex=True)
    names = nodes["name"].astype(str)
    direct = ~nodes["via_part"].astype(bool)
    ok = direct & (nodes["type"] != "theme") & (surface != names)
    ok &= pd.Series([n in t for n, t in zip(names.tolist(), surface.tolist())], index=nodes.index)
    forms = (pd.DataFrame({"key": nodes.loc[ok, "key"], "surface": surface[ok]})
             .groupby(["key", "surface"], sort=True).size().rename("n").reset_index())
    bare = (nodes.loc[~ok & (surface == names) & direct, "key"].value_counts()
            .rename_axis("key").rename("n").reset_index().sort_values("key", ignore_index=True))
    return forms, bare


def _pairs(nodes: pd.DataFrame, keys: np.ndarray, X: dict, window: str, scopes: dict, max_examples: int):
    """Pair counts and example windows: the main window (minus the scoped type pairs), then each
    scope's window; ``(None, None)`` when no pair co-occurs."""
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
    if not pair_frames:
        return None, None
    pairs = pd.concat(pair_frames, ignore_index=True).sort_values(["a", "b", "window"], ignore_index=True)
    return pairs, first_examples(pd.concat(example_frames, ignore_index=True), max_examples)


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
        frame = rows if isinstance(rows, pd.DataFrame) else _frame("mentions", rows)
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
