"""qidu_nlp.corpus.corpus: a corpus to analyse, read as it is needed.

``Corpus`` holds *how to read* the documents (paths or records), never the documents
themselves, so a 200 MB JSONL corpus streams through. ``Corpus.analyze`` runs the pipeline over
it (:mod:`qidu_nlp.corpus.run`) and returns a :class:`~qidu_nlp.corpus.result.Result`. The CLI
calls exactly this API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

from spacy.language import Language

from ..resources import sample_path
from .analyze import DEFAULT_DOC_TIMEOUT
from .ingest import Failure, Record, from_records, iter_records
from .result import Result
from .run import run

__all__ = ["Corpus"]


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
        """A corpus read from files and folders (.txt, .md, .docx, .json, .jsonl); default: the bundled
        sample (the 2024 report of 齐都镇, :func:`qidu_nlp.resources.sample_path`)."""
        chosen = [Path(p) for p in paths] or [sample_path()]
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
        doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
    ) -> Result:
        """Run the pipeline over every document and return the :class:`Result`.

        Parameters
        ----------
        nlp : Language, optional
            The pipeline; default the one :func:`qidu_nlp.load` returned earlier in this process
            for ``loader_kwargs`` (:func:`qidu_nlp.pipeline.loader.loaded`), else a new load.
        workers : int
            Processes on this machine. Where the platform forks (Linux) they start from this
            process's pipeline, loaded once; elsewhere each loads its own from ``loader_kwargs``.
            Work is handed out by size (:mod:`qidu_nlp.corpus.schedule`).
        batch_size : int
            Documents per ``nlp.pipe`` batch (in one process), most documents per task (workers).
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
            Arguments of :func:`qidu_nlp.load` for the pipeline (when ``nlp`` is not given, and
            for spawned workers or Dask workers), e.g. ``{"segmenter": "char"}``.
        to_simplified : bool
            Fold traditional characters to simplified before analysis (offsets into the original
            text are kept; ``documents.script`` says which documents were traditional).
        max_chars : int, optional
            Documents longer than this are analysed in pieces cut at line or sentence ends
            (:mod:`qidu_nlp.corpus.longdocs`), which workers share; default
            ``min(nlp.max_length, 200_000)``.
        doc_timeout : float, optional
            Seconds a document (or a piece of a long one) may take; one that runs longer is
            stopped and listed in ``errors`` with the reason, and the run goes on. Default 300;
            None for no limit.

        Returns
        -------
        Result
        """
        return run(self, nlp, workers=workers, batch_size=batch_size, engine=engine, scheduler=scheduler,
                   window=window, progress=progress, output_dir=output_dir, resume=resume,
                   loader_kwargs=loader_kwargs, to_simplified=to_simplified, max_chars=max_chars,
                   doc_timeout=doc_timeout)
