"""qidu_nlp.corpus: run the pipeline over a corpus and collect the tables (the main job).

``Corpus`` holds *how to read* the documents (paths or records), never the documents
themselves, so a 200 MB JSONL corpus streams through. ``Corpus.analyze`` returns a
:class:`Result` with pandas tables and the co-occurrence graph; the run writes the tables to
disk as it goes (:mod:`qidu_nlp.tables`) and adds up the co-occurrence counts batch by batch
(:mod:`qidu_nlp.cooccurrence`), so its memory does not grow with the corpus. ``Result.to_dir``
writes the files of ``qidu analyze``. The CLI calls exactly this API.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from . import mentions as _mentions
from . import tables
from .ingest import Failure, Record, from_records, iter_records
from .tables import Store
from .structure import split_sentences
from .text import doc_text, sentence_offsets

logger = logging.getLogger("qidu_nlp")

BUNDLED = Path(__file__).resolve().parent.parent / "corpora" / "qidu_2024.txt"
DOC_COLUMNS = tables.columns("documents")
ERROR_COLUMNS = tables.columns("errors")


def bundled_paths() -> list[Path]:
    """The bundled default corpus (the 2024 齐都镇 report)."""
    return [BUNDLED]


def document_row(doc: Doc, n_mentions: int, status: str = "ok") -> dict:
    """The ``documents.csv`` row of an annotated Doc."""
    meta = doc._.meta or {}
    sents = len(sentence_offsets(doc)) if doc.has_annotation("SENT_START") else len(split_sentences(doc_text(doc)))
    return {
        "id": meta.get("id", ""),
        "title": meta.get("title"),
        "date": meta.get("date"),
        "year": _mentions.doc_year(doc),
        "place": meta.get("place"),
        "level": meta.get("level"),
        "speaker": meta.get("speaker"),
        "source": meta.get("source"),
        "chars": len(doc_text(doc)),
        "sentences": sents,
        "paragraphs": len(doc._.paragraphs or []),
        "mentions": n_mentions,
        "status": status,
    }


def indicator_rows(doc: Doc) -> list[dict]:
    """The indicator statements of a Doc (see :mod:`qidu_nlp.indicators`)."""
    from . import indicators

    return indicators.extract(doc)


def analyze_doc(doc: Doc) -> dict:
    """Turn one annotated Doc into plain rows: ``{"document", "mentions", "indicators"}``."""
    rows = _mentions.from_doc(doc)
    return {
        "document": document_row(doc, sum(1 for r in rows if r["label"] != "THEME")),
        "mentions": rows,
        "indicators": indicator_rows(doc),
    }


def text_hash(text: str, config_hash: str = "") -> str:
    """The key of a processed document: a hash of its text and of the pipeline's configuration."""
    return hashlib.sha256((config_hash + "\x00" + text).encode("utf-8")).hexdigest()[:24]


def pipeline_hash(nlp: Language) -> str:
    """A hash of the pipeline's configuration and of the library version."""
    from .about import __version__

    payload = json.dumps({"config": nlp.config.to_str(), "version": __version__}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


class Result:
    """The tables and graph of an analysed corpus.

    A run keeps its tables in Parquet files as it goes (:mod:`qidu_nlp.tables`), so memory stays
    flat however large the corpus; each table is read into memory when first asked for.
    ``to_dir`` writes the output files chunk by chunk, without reading the mention table whole.

    Parameters
    ----------
    documents, mentions, indicators, errors : DataFrame, optional
        The tables, when they are in memory.
    window : str
        The co-occurrence window of :attr:`graph`.
    store : tables.Store, optional
        Where the tables not given are read from.
    counts : cooccurrence.Counts, optional
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
        self._frames = {name: tables.frame(name, df) for name, df in
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
                self._frames[name] = tables.frame(name, [])
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
            from .slogans import inventory

            self._slogans = inventory(self.mention_columns(
                ["doc_id", "year", "label", "kind", "norm", "frame", "text", "sentence_text"], labels=["SLOGAN"]))
        return self._slogans

    @property
    def graph(self):
        if self._graph is None:
            if self.counts is not None:
                self._graph = self.counts.to_graph()
            else:
                from . import graph

                self._graph = graph.build(self.mentions, window=self.window)
        return self._graph

    def to_dir(self, path: str | Path, *, report: bool = True, parquet: bool = True) -> Path:
        """Write every output file into ``path`` (each written atomically).

        The tables go to CSV (and Parquet) chunk by chunk from the run's store, so a large
        mention table is never read whole.
        """
        from . import graph as _graph

        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("documents", "mentions", "indicators", "errors"):
            atomic_write(out / f"{name}.csv", lambda f, n=name: tables.write_csv_chunks(self._chunks(n), f), text=True)
            if parquet and name != "errors":
                if name not in self._frames and self.store is not None and name in self.store:
                    atomic_write(out / f"{name}.parquet", lambda f, n=name: _copy_file(self.store.paths[n], f))
                else:
                    atomic_write(out / f"{name}.parquet", lambda f, n=name: tables.write_parquet(n, self._table(n), f))
        slogans = self.slogans
        atomic_write(out / "slogans.csv", lambda f: slogans.to_csv(f, index=False), text=True)
        if parquet:
            atomic_write(out / "slogans.parquet", lambda f: _to_parquet(slogans, f))
        with tempfile.TemporaryDirectory(dir=out, prefix=".graph-") as tmp:
            for written in _graph.export(self.graph, tmp, stem="graph", formats=("graphml", "gexf", "json", "csv")):
                os.replace(written, out / Path(written).name)
        if report:
            from .report import render

            atomic_write(out / "report.html", lambda f: f.write(render(self)), text=True)
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
        store = tables.Store({n: p for n, p in parquet.items() if p.exists()})
        result = cls(**frames, store=store)
        slogans = folder / "slogans.csv"
        if slogans.exists():
            result._slogans = pd.read_csv(slogans, keep_default_na=False, na_values=[""])
        return result

    def __repr__(self) -> str:
        n = {k: len(v) for k, v in self._frames.items()}
        return f"Result(window={self.window!r}, tables in memory={n}, store={'yes' if self.store else 'no'})"


def _copy_file(src: Path, handle) -> None:
    with open(src, "rb") as f:
        shutil.copyfileobj(f, handle, 1 << 20)


def _to_parquet(frame: pd.DataFrame, handle) -> None:
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: None if v is None or v != v else str(v))
    frame.to_parquet(handle, index=False)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def atomic_write(path: Path, write: Callable, *, text: bool = False) -> None:
    """Write ``path`` through a temporary file in the same folder and rename it into place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w" if text else "wb", **({"encoding": "utf-8", "newline": ""} if text else {})) as f:
            write(f)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; give them the usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Corpus:
    """A corpus to analyse: files, folders, JSONL corpora or in-memory records.

    Examples
    --------
    >>> corpus = Corpus.from_records([{"id": "a", "text": "聚焦“强富美优”城市愿景。", "year": 2024}])
    >>> [r.id for r in corpus]
    ['a']
    """

    def __init__(self, source: Callable[[], Iterator[Record | Failure]], *, paths: list[Path] | None = None,
                 n_records: int | None = None):
        self._source = source
        self.paths = paths  # for a cheap document count (progress bar); None for records
        self.n_records = n_records

    @classmethod
    def from_paths(cls, *paths: str | Path) -> "Corpus":
        """A corpus read from files and folders (.txt, .md, .docx, .json, .jsonl); default: the bundled report."""
        chosen = [Path(p) for p in paths] or bundled_paths()
        return cls(lambda: iter_records(chosen), paths=chosen)

    @classmethod
    def from_records(cls, records: Iterable[dict]) -> "Corpus":
        """A corpus of dicts ``{"id", "text", **meta}`` (a list, or any re-iterable)."""
        items = records if isinstance(records, (list, tuple)) else list(records)
        return cls(lambda: from_records(items), n_records=len(items))

    def __iter__(self) -> Iterator[Record]:
        return (item for item in self._source() if isinstance(item, Record))

    def iter_all(self) -> Iterator[Record | Failure]:
        """Records and failures, in corpus order."""
        return self._source()

    def analyze(
        self,
        nlp: Language | None = None,
        *,
        workers: int = 1,
        batch_size: int = 8,
        engine: str = "local",
        scheduler: str | None = None,
        window: str = "sentence",
        progress: bool = False,
        output_dir: str | Path | None = None,
        resume: bool = False,
        loader_kwargs: dict | None = None,
        to_simplified: bool = False,
        max_chars: int | None = None,
    ) -> Result:
        """Run the pipeline over every document and return the :class:`Result`.

        Parameters
        ----------
        nlp : Language, optional
            The pipeline (default :func:`qidu_nlp.load`).
        workers : int
            Processes on this machine (each loads the pipeline once).
        batch_size : int
            Documents per ``nlp.pipe`` batch.
        engine : {"local", "dask"}
            ``"dask"`` runs on a Dask distributed cluster at ``scheduler``.
        window : {"sentence", "paragraph", "section"}
            The co-occurrence window of ``Result.graph``.
        progress : bool
            Show a progress bar (documents, characters per second, time left).
        output_dir : path, optional
            With ``resume``: the folder of an earlier run whose finished documents are kept.
            The run also keeps its tables there while it goes (``.qidu-spool-*``, removed
            with the Result); without it, in the system's temporary folder.
        resume : bool
            Skip documents already processed in ``output_dir`` (same text, same pipeline) and
            retry those that failed. Finished documents are cached in ``output_dir/.qidu-cache``
            whenever ``output_dir`` is given.
        loader_kwargs : dict, optional
            Arguments of :func:`qidu_nlp.load` for the pipeline each worker loads (when ``nlp`` is
            not given or ``workers > 1``), e.g. ``{"segmenter": "char"}``.
        to_simplified : bool
            Fold traditional characters to simplified before analysis (offsets into the original
            text are kept; ``documents.script`` says which documents were traditional).
        max_chars : int, optional
            Documents longer than this are analysed in pieces cut at line or sentence ends
            (:mod:`qidu_nlp.longdocs`); default ``min(nlp.max_length, 1_000_000)``.

        Returns
        -------
        Result
        """
        from .runner import run

        return run(self, nlp, workers=workers, batch_size=batch_size, engine=engine, scheduler=scheduler,
                   window=window, progress=progress, output_dir=output_dir, resume=resume,
                   loader_kwargs=loader_kwargs, to_simplified=to_simplified, max_chars=max_chars)
