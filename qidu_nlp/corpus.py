"""qidu_nlp.corpus: run the pipeline over a corpus and collect the tables (the main job).

``Corpus`` holds *how to read* the documents (paths or records), never the documents
themselves, so a 200 MB JSONL corpus streams through. ``Corpus.analyze`` returns a
:class:`Result` with pandas tables and the co-occurrence graph; ``Result.to_dir`` writes the
files of ``qidu analyze``. The CLI calls exactly this API.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from . import mentions as _mentions
from .ingest import Failure, Record, from_records, iter_records
from .structure import split_sentences
from .text import doc_text, sentence_offsets

logger = logging.getLogger("qidu_nlp")

BUNDLED = Path(__file__).resolve().parent.parent / "corpora" / "qidu_2024.txt"
DOC_COLUMNS = ["id", "title", "date", "year", "place", "level", "speaker", "source", "chars",
               "script", "sentences", "paragraphs", "mentions", "status"]
ERROR_COLUMNS = ["source", "id", "reason"]


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


def process(nlp: Language, records: Iterable[Record], *, batch_size: int = 8) -> Iterator[tuple[Record, dict]]:
    """Run ``nlp`` over records with ``nlp.pipe`` and yield ``(record, rows)`` in input order."""
    def tuples():
        for rec in records:
            yield rec.text, rec

    for doc, rec in nlp.pipe(tuples(), as_tuples=True, batch_size=batch_size):
        doc._.meta = {**rec.meta, "id": rec.id}
        yield rec, analyze_doc(doc)


@dataclass
class Result:
    """The tables and graph of an analysed corpus.

    Attributes
    ----------
    documents, mentions, indicators, slogans, errors : pandas.DataFrame
        One row per document, mention, indicator statement, slogan (inventory) and failed input.
    graph : networkx.Graph
        The co-occurrence graph (built lazily from ``mentions`` on first access).
    """

    documents: pd.DataFrame
    mentions: pd.DataFrame
    indicators: pd.DataFrame
    errors: pd.DataFrame
    window: str = "sentence"
    _graph: object = field(default=None, repr=False)
    _slogans: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def slogans(self) -> pd.DataFrame:
        if self._slogans is None:
            from .slogans import inventory

            self._slogans = inventory(self.mentions)
        return self._slogans

    @property
    def graph(self):
        if self._graph is None:
            from . import graph

            self._graph = graph.build(self.mentions, window=self.window)
        return self._graph

    def to_dir(self, path: str | Path, *, report: bool = True, parquet: bool = True) -> Path:
        """Write every output file into ``path`` (each written atomically)."""
        from . import graph as _graph

        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        tables = {
            "documents": self.documents,
            "mentions": self.mentions,
            "indicators": self.indicators,
            "slogans": self.slogans,
            "errors": self.errors,
        }
        for name, frame in tables.items():
            atomic_write(out / f"{name}.csv", lambda f, fr=frame: fr.to_csv(f, index=False), text=True)
            if parquet and name != "errors":
                atomic_write(out / f"{name}.parquet", lambda f, fr=frame: _to_parquet(fr, f))
        with tempfile.TemporaryDirectory(dir=out, prefix=".graph-") as tmp:
            for written in _graph.export(self.graph, tmp, stem="graph", formats=("graphml", "gexf", "json", "csv")):
                os.replace(written, out / Path(written).name)
        if report:
            from .report import render

            atomic_write(out / "report.html", lambda f: f.write(render(self)), text=True)
        return out

    @classmethod
    def from_dir(cls, path: str | Path) -> "Result":
        """Read a Result back from the folder ``to_dir`` wrote."""
        folder = Path(path)

        def read(name: str, columns: list[str]) -> pd.DataFrame:
            pq, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
            if pq.exists():
                return pd.read_parquet(pq)
            if csv.exists() and csv.stat().st_size > 1:
                return pd.read_csv(csv, keep_default_na=False, na_values=[""])
            return pd.DataFrame(columns=columns)

        mentions = read("mentions", _mentions.COLUMNS)
        result = cls(
            documents=read("documents", DOC_COLUMNS),
            mentions=mentions,
            indicators=read("indicators", []),
            errors=read("errors", ERROR_COLUMNS),
        )
        slogans = folder / "slogans.csv"
        if slogans.exists():
            result._slogans = pd.read_csv(slogans, keep_default_na=False, na_values=[""])
        return result


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
