"""qidu_nlp.corpus.result: the tables and graph of an analysed corpus, and the files they make.

A run keeps its tables in Parquet files as it goes (:mod:`qidu_nlp.corpus.tables`), so its rows
are never all in memory however large the corpus (its co-occurrence counts grow with the
vocabulary); a :class:`Result` reads each table when first asked for,
and :meth:`Result.to_dir` writes the output files of ``qidu analyze`` chunk by chunk.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ..files import atomic_write
from ..graph import build, count
from ..graph.export import export_tables
from ..schema import frame
from ..text.display import kwic
from .inventory import inventory
from .report import render
from .tables import Store, write_csv_chunks, write_parquet

__all__ = ["Result"]


class Result:
    """The tables and graph of an analysed corpus.

    A run keeps its tables in Parquet files as it goes (:mod:`qidu_nlp.corpus.tables`), so its
    rows are never all in memory; each table is read into memory when first asked for.
    ``to_dir`` writes the output files chunk by chunk, without reading the mention table whole.

    Parameters
    ----------
    documents, mentions, indicators, errors : DataFrame, optional
        The tables, when they are in memory.
    window : str
        The co-occurrence window of :attr:`graph`.
    store : Store, optional
        Where the tables not given are read from.
    counts : qidu_nlp.graph.Counts, optional
        The co-occurrence counts of the run (the graph is made from them; without them it is
        built from ``mentions``).

    Attributes
    ----------
    documents, mentions, indicators, slogans, errors : pandas.DataFrame
        One row per document, mention, indicator statement, slogan (inventory) and failed input.
    graph : networkx.Graph
        The co-occurrence graph (made on first access).
    stats : dict
        Of a run: ``documents``, ``failed``, ``reused``, ``mentions``, ``chars``, ``seconds``.
    """

    def __init__(self, documents: pd.DataFrame | None = None, mentions: pd.DataFrame | None = None,
                 indicators: pd.DataFrame | None = None, errors: pd.DataFrame | None = None,
                 window: str = "sentence", *, store: Store | None = None, counts=None):
        self._frames = {name: frame(name, df) for name, df in
                        (("documents", documents), ("mentions", mentions), ("indicators", indicators), ("errors", errors))
                        if df is not None}
        self.window = window
        self.store = store
        self.counts = counts
        self.stats: dict = {}
        self._graph = None
        self._slogans: pd.DataFrame | None = None

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            if self.store is not None and name in self.store:
                self._frames[name] = self.store.read(name)
            else:
                self._frames[name] = frame(name, [])
        return self._frames[name]

    @property
    def documents(self) -> pd.DataFrame:
        return self._table("documents")

    @property
    def mentions(self) -> pd.DataFrame:
        return self._table("mentions")

    @property
    def indicators(self) -> pd.DataFrame:
        return self._table("indicators")

    @property
    def errors(self) -> pd.DataFrame:
        return self._table("errors")

    def mention_columns(self, columns: list[str], labels: list[str] | None = None) -> pd.DataFrame:
        """Some columns of the mention table (only the rows of ``labels``), without reading the
        rest: what the slogan inventory and the report need of a large run."""
        if "mentions" not in self._frames and self.store is not None and "mentions" in self.store:
            return self.store.read("mentions", columns=columns, labels=labels)
        m = self.mentions
        m = m[m["label"].isin(labels)] if labels is not None else m
        return m[columns].reset_index(drop=True)

    def mention_chunks(self, columns: list[str] | None = None, labels: list[str] | None = None,
                       rows: int = 20_000):
        """The mention table (some columns, the rows of some labels) in DataFrames of at most
        ``rows`` rows: how to go through a large run's mentions in bounded memory."""
        if "mentions" not in self._frames and self.store is not None and "mentions" in self.store:
            yield from self.store.chunks("mentions", rows, columns=columns, labels=labels)
            return
        m = self.mentions
        m = m[m["label"].isin(labels)] if labels is not None else m
        m = m[columns] if columns else m
        for start in range(0, len(m), rows):
            yield m.iloc[start:start + rows].reset_index(drop=True)

    def _chunks(self, name: str):
        if name not in self._frames and self.store is not None and name in self.store:
            return self.store.chunks(name)
        return iter([self._table(name)])

    @property
    def slogans(self) -> pd.DataFrame:
        if self._slogans is None:
            self._slogans = inventory(self.mention_columns(
                ["doc_id", "year", "label", "kind", "norm", "frame", "text", "sentence_text"], labels=["SLOGAN"]))
        return self._slogans

    def concordance(self, norm_or_regex: str | re.Pattern, width: int = 30, label: str | None = None) -> pd.DataFrame:
        """A keyword-in-context (KWIC) table of a slogan, an entity, or any pattern.

        Parameters
        ----------
        norm_or_regex : str or re.Pattern
            A norm (or surface) of the mention table: every mention of it, each in its own
            sentence. A string that is no norm or surface (or a compiled pattern) is a regular
            expression, searched in the sentences of the mention table (the sentences with at
            least one mention: nearly all of a report, as every sentence with a policy theme has
            one).
        width : int
            Characters of context on each side (an ellipsis where the sentence goes on).
        label : str, optional
            Only mentions of this label (``"SLOGAN"``, ``"ORG"`` …); a pattern is searched in the
            sentences of the mentions of this label.

        Returns
        -------
        pandas.DataFrame
            Columns ``left``, ``match``, ``right``, ``doc``, ``year``, in corpus order.

        Examples
        --------
        >>> m = pd.DataFrame([{"doc_id": "d", "year": 2024, "paragraph": 0, "sentence": 0, "label": "SLOGAN",
        ...                    "text": "强富美优", "norm": "强富美优", "start": 3, "end": 7,
        ...                    "sentence_text": "聚焦“强富美优”城市愿景。"}])
        >>> Result(mentions=m).concordance("强富美优").values.tolist()
        [['聚焦“', '强富美优', '”城市愿景。', 'd', 2024]]
        >>> Result(mentions=m).concordance("城市.景", width=2).values.tolist()
        [['…优”', '城市愿景', '。', 'd', 2024]]
        """
        cols = ["doc_id", "year", "sentence", "label", "text", "norm", "start", "sentence_text"]
        labels = [label] if label else None
        rows: list[dict] = []
        if isinstance(norm_or_regex, str):
            known = False  # a norm or surface of any label: its mentions (of ``label``), never a pattern
            for chunk in self.mention_chunks(cols):
                hit = chunk[(chunk["norm"] == norm_or_regex) | (chunk["text"] == norm_or_regex)]
                known = known or not hit.empty
                if label:
                    hit = hit[hit["label"] == label]
                rows.extend(_mention_windows(hit, chunk, width))
            if known:
                return pd.DataFrame(rows, columns=["left", "match", "right", "doc", "year"])
        pattern = re.compile(norm_or_regex) if isinstance(norm_or_regex, str) else norm_or_regex
        seen: set = set()
        for chunk in self.mention_chunks(["doc_id", "year", "sentence", "sentence_text"], labels=labels):
            for doc, year, sent, text in chunk.itertuples(index=False):
                if (doc, sent) in seen or not isinstance(text, str):
                    continue
                seen.add((doc, sent))
                for m in pattern.finditer(text):
                    left, match, right = kwic(text, m.start(), m.end(), width)
                    rows.append({"left": left, "match": match, "right": right, "doc": doc, "year": year})
        return pd.DataFrame(rows, columns=["left", "match", "right", "doc", "year"])

    @property
    def graph(self):
        if self._graph is None:
            if self.counts is not None:
                self._graph = self.counts.to_graph()
            else:
                self._graph = build(self.mentions, window=self.window)
        return self._graph

    def to_dir(self, path: str | Path, *, report: bool = True, parquet: bool = True) -> Path:
        """Write every output file into ``path`` (each written atomically).

        The tables go to CSV (and Parquet) chunk by chunk from the run's store, so a large
        mention table is never read whole.
        """
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        graph_files = _GraphFiles(self, out, parquet)  # a large graph is written meanwhile, in a forked process
        for name in ("documents", "mentions", "indicators", "errors"):
            written = self.store.csv.get(name) if self.store is not None and name not in self._frames else None
            if written is not None:  # the run wrote it as it went
                atomic_write(out / f"{name}.csv", lambda f, src=written: _copy_file(src, f))
            else:
                atomic_write(out / f"{name}.csv", lambda f, n=name: write_csv_chunks(self._chunks(n), f), text=True)
            if parquet and name != "errors":
                if name not in self._frames and self.store is not None and name in self.store:
                    atomic_write(out / f"{name}.parquet", lambda f, n=name: _copy_file(self.store.paths[n], f))
                else:
                    atomic_write(out / f"{name}.parquet", lambda f, n=name: write_parquet(n, self._table(n), f))
        slogans = self.slogans
        atomic_write(out / "slogans.csv", lambda f: slogans.to_csv(f, index=False), text=True)
        if parquet:
            atomic_write(out / "slogans.parquet", lambda f: _to_parquet(slogans, f))
        graph = graph_files.finish()
        if "pruned" not in graph.graph and self._graph is None:
            self._graph = graph  # the whole graph: Result.graph needs no second build
        if report:
            view = self if graph is self._graph else _GraphView(self, graph)
            atomic_write(out / "report.html", lambda f: f.write(render(view)), text=True)
        return out

    @classmethod
    def from_dir(cls, path: str | Path) -> "Result":
        """Read a Result back from the folder ``to_dir`` wrote (the Parquet files when present,
        read on demand; else the CSV files)."""
        folder = Path(path)
        parquet = {name: folder / f"{name}.parquet" for name in ("documents", "mentions", "indicators")}
        frames = {}
        for name in ("documents", "mentions", "indicators", "errors"):
            csv = folder / f"{name}.csv"
            if not parquet.get(name, folder / "-").exists() and csv.exists() and csv.stat().st_size > 1:
                frames[name] = pd.read_csv(csv, keep_default_na=False, na_values=[""])
        store = Store({n: p for n, p in parquet.items() if p.exists()})
        result = cls(**frames, store=store)
        slogans = folder / "slogans.csv"
        if slogans.exists():
            result._slogans = pd.read_csv(slogans, keep_default_na=False, na_values=[""])
        return result

    def __repr__(self) -> str:
        n = {k: len(v) for k, v in self._frames.items()}
        return f"Result(window={self.window!r}, tables in memory={n}, store={'yes' if self.store else 'no'})"


_FORK_ABOVE = 20_000  # co-occurring pairs above which the graph files are written by a forked process


def _write_graph(counts, folder: str, parquet: bool, keep: str | None):
    """The graph files of ``counts`` in ``folder`` (:func:`qidu_nlp.graph.export.export_tables`);
    the graph they hold is returned, or pickled to ``keep`` (from a forked process)."""
    nodes, edges = counts.tables()
    _, graph = export_tables(nodes, edges, counts.graph_attrs(), folder, stem="graph", parquet=parquet)
    if keep is not None:
        with open(keep, "wb") as f:
            pickle.dump(graph, f, protocol=pickle.HIGHEST_PROTOCOL)
    return graph


class _GraphFiles:
    """The graph files of a Result, written from its co-occurrence counts.

    The tables of a large corpus's graph take as long to write as everything else ``to_dir``
    writes (20-25 s for the local government reports' 554,000 edges), on one core; where the
    platform forks, they are written by a child process while this one writes the tables and
    the slogan inventory, and the graph comes back pickled for the report. The files are moved
    into the output folder only when all are written.
    """

    def __init__(self, result: "Result", out: Path, parquet: bool):
        self.out = out
        self.counts = result.counts if result.counts is not None else count(result.mentions, window=result.window)
        self.tmp = Path(tempfile.mkdtemp(dir=out, prefix=".graph-"))
        self.proc, self.graph = None, None
        large = len(self.counts.pairs) > _FORK_ABOVE
        if large and "fork" in multiprocessing.get_all_start_methods():
            self.proc = multiprocessing.get_context("fork").Process(
                target=_write_graph, args=(self.counts, str(self.tmp), parquet, str(self.tmp / "graph.pickle")),
                name="qidu-graph-files")
            self.proc.start()
        else:
            self.graph = _write_graph(self.counts, str(self.tmp), parquet, None)

    def finish(self):
        """Wait for the files, move them into place; return the graph they hold."""
        try:
            if self.proc is not None:
                self.proc.join()
                if self.proc.exitcode != 0:
                    raise RuntimeError(f"writing the graph files failed (exit code {self.proc.exitcode})")
                with open(self.tmp / "graph.pickle", "rb") as f:
                    self.graph = pickle.load(f)  # noqa: S301 - written just now by our own child process
                (self.tmp / "graph.pickle").unlink()
            for path in sorted(self.tmp.iterdir()):
                os.replace(path, self.out / path.name)
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return self.graph


class _GraphView:
    """A Result whose ``graph`` is the pruned graph of the exports (what ``report.html`` draws
    for a corpus whose whole graph is too large to build just for a picture)."""

    def __init__(self, result: Result, graph):
        self._result, self.graph = result, graph

    def __getattr__(self, name):
        return getattr(self._result, name)


def _mention_windows(hit: pd.DataFrame, chunk: pd.DataFrame, width: int) -> list[dict]:
    """KWIC rows of the mentions ``hit``: the k-th mention of a surface in a sentence is placed on
    the k-th occurrence of that surface in the sentence text."""
    out = []
    for row in hit.itertuples(index=False):
        text = row.sentence_text if isinstance(row.sentence_text, str) else ""
        same = chunk[(chunk["doc_id"] == row.doc_id) & (chunk["sentence"] == row.sentence) & (chunk["text"] == row.text)]
        k = int((same["start"] < row.start).sum())
        at = -1
        for _ in range(k + 1):
            at = text.find(row.text, at + 1)
            if at < 0:
                break
        if at < 0:
            at = text.find(row.text)
        left, match, right = kwic(text, at, at + len(row.text), width) if at >= 0 else ("", row.text, "")
        out.append({"left": left, "match": match, "right": right, "doc": row.doc_id, "year": row.year})
    return out


def _copy_file(src: Path, handle) -> None:
    with open(src, "rb") as f:
        shutil.copyfileobj(f, handle, 1 << 20)


def _to_parquet(frame: pd.DataFrame, handle) -> None:
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: None if v is None or v != v else str(v))
    frame.to_parquet(handle, index=False)
