"""qidu_nlp.corpus.run: a corpus through the pipeline, into tables on disk and co-occurrence counts.

:func:`run` reads the corpus in order, hands the documents it has not analysed before to an
engine (:mod:`qidu_nlp.corpus.engines.local` in this process or in worker processes,
:mod:`qidu_nlp.corpus.engines.dask` on a cluster), and writes each document's outcome in
corpus order, so the results are the same for any engine, number of workers and batch size.

In one process the documents go in corpus order, ``batch_size`` at a time. With several
workers (or Dask) the work is cut and handed out by size (:mod:`qidu_nlp.corpus.schedule`):
largest first, long documents in pieces merged back here, small tasks at the end.

One load: the pipeline is loaded once per process, and a pipeline :func:`qidu_nlp.load`
returned earlier in this process is reused (:func:`qidu_nlp.pipeline.loader.loaded`); local
workers are forked from this process after the load where the platform allows.

Memory
------
Finished documents are written at once: their rows go to Parquet spools (documents, mentions,
indicators; :mod:`qidu_nlp.corpus.tables`) in parts of ``flush_rows`` rows, and their
co-occurrences are counted in batches of whole documents and added up
(:class:`qidu_nlp.graph.Accumulator`). What a run holds is bounded by the batches in flight and
those buffers, not by the corpus (``benchmarks/memory.py`` measures it).

Reliability
-----------
* Records stream from the corpus in batches; at most ``2 × workers`` batches are in flight, no
  Doc outlives its document and no corpus file is read whole.
* A document that raises fails alone (``errors.csv``); one that kills its worker process is
  retried alone (:mod:`qidu_nlp.corpus.engines.local`).
* With an ``output_dir``, finished documents are kept in a resume cache
  (:mod:`qidu_nlp.corpus.cache`); ``resume=True`` reuses them.
"""

from __future__ import annotations

import shutil
import time
import weakref
from collections import deque
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd
from spacy.vocab import Vocab

from ..graph import Accumulator
from ..graph.nodes import check_window
from ..pipeline.loader import MAX_LENGTH, load, loaded
from ..schema import columns, frame
from .analyze import DEFAULT_DOC_TIMEOUT, Options, Outcome, merge_outcome, prepare
from .cache import Cache, config_key, text_hash, with_identity
from .engines import local
from .ingest import Failure, Record
from .longdocs import DEFAULT_MAX_CHARS, Piece
from .progress import estimate_total, progress_bar
from .result import Result
from .schedule import tasks
from .tables import Spool, Store, temporary_folder

__all__ = ["run"]

DOC_COLUMNS = columns("documents")


class _Sink:
    """Where finished documents go, in corpus order: the table spools and the co-occurrence
    counts. Nothing of a document stays in memory once it is written."""

    def __init__(self, folder: Path, window: str, flush_rows: int):
        self.folder = folder
        self.counts = Accumulator(window=window)
        self.spools = {name: Spool(name, folder / f"{name}.parquet", flush_rows=flush_rows,
                                   on_flush=self._count if name == "mentions" else None,
                                   csv_path=folder / f"{name}.csv")
                       for name in ("documents", "mentions", "indicators")}
        self.errors: list[dict] = []
        self.seqs: dict[str, int] = {}  # documents still to count → corpus position
        self.n_mentions = 0
        self.n_ok = 0

    def document(self, seq: int, rows: dict, *, counted: bool) -> None:
        if not counted:  # counted from the spool's parts (or already, on a Dask worker)
            self.seqs[rows["document"]["id"]] = seq
        self.spools["documents"].add([rows["document"]])
        self.spools["mentions"].add(rows["mentions"])  # whole documents: a part never splits one
        self.spools["indicators"].add(rows["indicators"])
        self.n_mentions += sum(1 for r in rows["mentions"] if r.get("label") != "THEME")
        self.n_ok += 1

    def failed(self, row: dict | None, error: dict) -> None:
        if row is not None:
            self.spools["documents"].add([row])
        self.errors.append(error)

    def _count(self, part: pd.DataFrame) -> None:
        """Count the co-occurrences of a flushed part of the mention table (its documents that
        were not counted on a worker)."""
        if not self.seqs:
            return
        todo = part[part["doc_id"].isin(self.seqs.keys())]
        if len(todo):
            ids = todo["doc_id"].unique()
            self.counts.add_rows(todo, doc_seq={d: self.seqs.pop(d) for d in ids})

    def close(self) -> tuple[Store, object]:
        paths = {name: spool.close() for name, spool in self.spools.items()}
        csv = {name: spool.csv() for name, spool in self.spools.items() if spool.csv() is not None}
        return Store(paths, owned=self.folder, csv=csv), self.counts.result()

    def abort(self) -> None:
        for spool in self.spools.values():
            try:
                spool.close()
            except Exception:  # noqa: BLE001 - cleaning up after another error
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class _Slot:
    """A document's place in corpus order, until its outcome is written.

    ``item`` is the record (without its text when the rows come from the resume cache), or the
    failure of an input that could not be read.
    """

    seq: int
    item: Record | Failure
    key: str = ""
    chars: int = 0
    cached: bool = False


class _Run:
    """One pass over a corpus: the records to analyse go to an engine, and every document's
    outcome is written in corpus order as soon as those before it are."""

    def __init__(self, corpus, cache: Cache | None, sink: _Sink, bar, vocab=None):
        self.corpus, self.cache, self.sink, self.bar = corpus, cache, sink, bar
        self.slots: deque[_Slot] = deque()
        self.done: dict[int, tuple[Outcome, bool]] = {}  # id(record) → (outcome, counted on a worker)
        self.seqs: dict[int, int] = {}  # id(record in flight) → its corpus position (for Dask's counts)
        self.pieced: dict[str, dict] = {}  # id of a long record → its record, prepared text and pieces
        self.vocab = vocab
        self.chars = 0
        self.reused = 0
        self._rate_from: tuple[float, int] | None = None

    def prepare(self, rec: Record, options: Options, max_length: int) -> str:
        """The text of a long record as it is analysed (kept to merge its pieces)."""
        prepared = prepare(rec, options, max_length)
        self.pieced[rec.id] = {"rec": rec, "prepared": prepared, "parts": []}
        return prepared[0]

    def expect_pieces(self, rec: Record, pieces: list[Piece]) -> None:
        self.pieced[rec.id]["count"] = len(pieces)

    def records(self) -> Iterator[Record]:
        """The records still to analyse; cached and unreadable ones wait in order, without text."""
        cache_key = self.cache.folder.name if self.cache is not None else ""
        for seq, item in enumerate(self.corpus.iter_all()):
            if isinstance(item, Failure):
                self.slots.append(_Slot(seq, item))
                continue
            key = text_hash(item.text, cache_key) if self.cache is not None else ""
            if self.cache is not None and key in self.cache:
                self.slots.append(_Slot(seq, Record(item.id, "", item.meta), key, len(item.text), cached=True))
            else:
                self.slots.append(_Slot(seq, item, key, len(item.text)))
                self.seqs[id(item)] = seq
                yield item

    def finished(self, items: list, outcomes: list, counted: bool) -> None:
        """Record the outcomes of a task (records, and pieces of long records merged once all
        are back) and write what can be written."""
        for item, outcome in zip(items, outcomes):
            if isinstance(item, Piece):
                self._piece(outcome)
            else:
                self.done[id(item)] = (outcome, counted)
        self.release()

    def _piece(self, outcome: tuple) -> None:
        entry = self.pieced[outcome[0]]
        entry["parts"].append(outcome)
        if len(entry["parts"]) == entry["count"]:
            del self.pieced[outcome[0]]
            vocab = self.vocab if self.vocab is not None else Vocab()
            rec = entry["rec"]
            self.done[id(rec)] = (merge_outcome(vocab, rec, entry["prepared"], entry["parts"]), False)

    def release(self) -> None:
        """Write the slots at the head whose outcome is known (corpus order)."""
        while self.slots:
            slot = self.slots[0]
            item = slot.item
            if isinstance(item, Failure):
                self.sink.failed(None, {"source": item.source, "id": item.id, "reason": item.reason})
                self._tick(0)
            elif slot.cached:
                self.reused += 1
                self._emit(slot, with_identity(self.cache.get(slot.key), item), None, counted=False)
            elif id(item) in self.done:
                (_, rows, err), counted = self.done.pop(id(item))
                self.seqs.pop(id(item), None)
                if rows is not None and self.cache is not None:
                    self.cache.add(slot.key, rows)
                self._emit(slot, rows, err, counted)
            else:
                return
            self.slots.popleft()

    def _emit(self, slot: _Slot, rows: dict | None, err: str | None, counted: bool) -> None:
        rec = slot.item
        if err is not None:
            self.sink.failed(_failed_row(rec, slot.chars),
                             {"source": rec.meta.get("source", ""), "id": rec.id, "reason": err})
        else:
            self.sink.document(slot.seq, rows, counted=counted)
        self._tick(slot.chars)

    def _tick(self, chars: int) -> None:
        self.chars += chars
        if self.bar is None:
            return
        self.bar.update(1)
        # the rate counts from the first finished document, so pipeline loading is not in it
        now = time.perf_counter()
        if self._rate_from is None:
            self._rate_from = (now, self.chars)
        elif now - self._rate_from[0] >= 1.0:  # batches finish together: wait for a stable rate
            rate = (self.chars - self._rate_from[1]) / (now - self._rate_from[0])
            self.bar.set_postfix_str(f"{rate:,.0f} chars/s", refresh=False)


def run(corpus, nlp=None, *, workers: int = 1, batch_size: int = 8, engine: str = "local",
        scheduler: str | None = None, window: str = "sentence", progress: bool = False,
        output_dir=None, resume: bool = False, loader_kwargs: dict | None = None,
        to_simplified: bool = False, max_chars: int | None = None, flush_rows: int = 10_000,
        doc_timeout: float | None = DEFAULT_DOC_TIMEOUT) -> Result:
    """Run the pipeline over ``corpus`` and collect a :class:`~qidu_nlp.corpus.result.Result`.

    Parameters are those of :meth:`qidu_nlp.corpus.corpus.Corpus.analyze`; ``flush_rows`` is the
    number of rows held before they go to disk. ``result.stats`` holds ``documents`` (done),
    ``failed``, ``reused`` (from the resume cache), ``mentions``, ``chars``, ``seconds`` and
    ``last_document`` (seconds from the start until the last document was written).

    The tables are written to Parquet files as documents finish (in a ``.qidu-spool-*`` folder
    inside ``output_dir``, or in the system's temporary folder) and the co-occurrence counts are
    added up batch by batch, so memory does not grow with the corpus.
    """
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    if batch_size < 1 or workers < 1:
        raise ValueError("workers and batch_size must be at least 1")
    check_window(window)
    loader_kwargs = dict(loader_kwargs or {})
    options = Options(to_simplified=to_simplified, max_chars=max_chars, doc_timeout=doc_timeout)
    started = time.perf_counter()
    if engine == "local" and nlp is None and (workers <= 1 or local.can_fork()):
        nlp = loaded(**loader_kwargs) or load(**loader_kwargs)  # one load, shared by forked workers
        shared = True
    else:
        shared = False
    cache = None
    if output_dir is not None:
        _remove_stale_spools(Path(output_dir))
        own_nlp = nlp if nlp is not None and engine == "local" and not shared else None
        cache = Cache(Path(output_dir), config_key(loader_kwargs, own_nlp, options), resume)
    pool = local.Pool(workers, loader_kwargs, options, nlp=nlp) if engine == "local" and workers > 1 else None
    bar = progress_bar(progress, estimate_total(corpus))
    sink = _Sink(temporary_folder(output_dir), window, flush_rows)
    state = _Run(corpus, cache, sink, bar, vocab=nlp.vocab if nlp is not None else None)
    try:
        for items, results, *counted in _stream(state, nlp, pool, engine, scheduler, workers, batch_size,
                                                loader_kwargs, options, window, sink):
            state.finished(items, results, bool(counted and counted[0]))
        state.release()
        last_document = time.perf_counter() - started
        store, counts = sink.close()
    except BaseException:
        sink.abort()
        raise
    finally:
        if pool is not None:
            pool.shutdown()
        if cache is not None:
            cache.flush()
        if bar is not None:
            bar.close()
    result = Result(errors=frame("errors", sink.errors), window=window, store=store, counts=counts)
    weakref.finalize(result, store.discard)  # the spool goes with the Result (to_dir copies it out)
    result.stats = {
        "documents": sink.n_ok,
        "failed": len(sink.errors),
        "reused": state.reused,
        "mentions": sink.n_mentions,
        "seconds": time.perf_counter() - started,
        "last_document": last_document,
        "chars": state.chars,
    }
    return result


def _stream(state: "_Run", nlp, pool, engine: str, scheduler, workers: int, batch_size: int,
            loader_kwargs: dict, options: Options, window: str, sink: "_Sink") -> Iterator[tuple]:
    """``(items, results[, counted])`` from the engine, as the work is done."""
    if engine == "local" and workers <= 1:
        return local.run_inline(nlp, _batches(state.records(), batch_size), options)
    max_length = nlp.max_length if nlp is not None else MAX_LENGTH
    limit = options.max_chars or min(max_length, DEFAULT_MAX_CHARS)
    work = tasks(state.records(), limit=limit, batch_size=batch_size,
                 prepare=lambda rec: state.prepare(rec, options, max_length), on_pieces=state.expect_pieces)
    if engine == "dask":
        from .engines import dask  # optional extra (dask[distributed]); its import costs 0.35 s

        return dask.run_dask(work, scheduler=scheduler, loader_kwargs=loader_kwargs, options=options,
                             seqs=state.seqs, count_kwargs={"window": window}, counts=sink.counts)
    return local.run_processes(work, workers, loader_kwargs, options, pool=pool, seqs=state.seqs,
                               counts=sink.counts, count_kwargs={"window": window})


def _remove_stale_spools(output_dir: Path) -> None:
    """Spool folders left in the output folder by a run that was killed."""
    if output_dir.is_dir():
        for old in output_dir.glob(".qidu-spool-*"):
            shutil.rmtree(old, ignore_errors=True)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    items = iter(items)
    while True:
        batch = list(islice(items, size))
        if not batch:
            return
        yield batch


def _failed_row(rec: Record, n_chars: int) -> dict:
    row = {c: rec.meta.get(c) for c in DOC_COLUMNS}
    row.update({"id": rec.id, "chars": n_chars, "sentences": 0, "paragraphs": 0, "mentions": 0, "status": "failed"})
    return row
