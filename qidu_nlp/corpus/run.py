"""qidu_nlp.corpus.run: a corpus through the pipeline, into tables on disk and co-occurrence counts.

:func:`run` reads the corpus in order, hands the documents it has not analysed before to an
engine (:mod:`qidu_nlp.corpus.engines.local` in this process or in worker processes,
:mod:`qidu_nlp.corpus.engines.dask` on a cluster), and writes each document's outcome in
corpus order, so the results are the same for any engine, number of workers and batch size.

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

from ..graph import Accumulator
from ..graph.nodes import check_window
from ..pipeline.loader import load
from ..schema import columns, frame
from .analyze import Options, Outcome
from .cache import Cache, config_key, text_hash, with_identity
from .engines import dask, local
from .ingest import Failure, Record
from .progress import estimate_total, progress_bar
from .result import Result
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
                                   on_flush=self._count if name == "mentions" else None)
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
        return Store(paths, owned=self.folder), self.counts.result()

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

    def __init__(self, corpus, cache: Cache | None, sink: _Sink, bar):
        self.corpus, self.cache, self.sink, self.bar = corpus, cache, sink, bar
        self.slots: deque[_Slot] = deque()
        self.done: dict[int, tuple[Outcome, bool]] = {}  # id(record) → (outcome, counted on a worker)
        self.seqs: dict[int, int] = {}  # id(record in flight) → its corpus position (for Dask's counts)
        self.chars = 0
        self.reused = 0
        self._rate_from: tuple[float, int] | None = None

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

    def finished(self, batch: list[Record], outcomes: list[Outcome], counted: bool) -> None:
        """Record the outcomes of a batch and write what can be written."""
        for rec, outcome in zip(batch, outcomes):
            self.done[id(rec)] = (outcome, counted)
        self.release()

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
        to_simplified: bool = False, max_chars: int | None = None, flush_rows: int = 10_000) -> Result:
    """Run the pipeline over ``corpus`` and collect a :class:`~qidu_nlp.corpus.result.Result`.

    Parameters are those of :meth:`qidu_nlp.corpus.corpus.Corpus.analyze`; ``flush_rows`` is the
    number of rows held before they go to disk. ``result.stats`` holds ``documents`` (done),
    ``failed``, ``reused`` (from the resume cache), ``mentions``, ``chars`` and ``seconds``.

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
    options = Options(to_simplified=to_simplified, max_chars=max_chars)
    started = time.perf_counter()
    cache = None
    if output_dir is not None:
        _remove_stale_spools(Path(output_dir))
        own_nlp = nlp if nlp is not None and engine == "local" and workers <= 1 else None
        cache = Cache(Path(output_dir), config_key(loader_kwargs, own_nlp, options), resume)
    bar = progress_bar(progress, estimate_total(corpus))
    sink = _Sink(temporary_folder(output_dir), window, flush_rows)
    state = _Run(corpus, cache, sink, bar)
    batches = _batches(state.records(), batch_size)
    if engine == "dask":
        stream = dask.run_dask(batches, scheduler=scheduler, loader_kwargs=loader_kwargs, options=options,
                               seqs=state.seqs, count_kwargs={"window": window}, counts=sink.counts)
    elif workers <= 1:
        stream = local.run_inline(nlp if nlp is not None else load(**loader_kwargs), batches, options)
    else:
        stream = local.run_processes(batches, workers, loader_kwargs, options)
    try:
        for batch, outcomes, *counted in stream:
            state.finished(batch, outcomes, bool(counted and counted[0]))
        state.release()
        store, counts = sink.close()
    except BaseException:
        sink.abort()
        raise
    finally:
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
        "chars": state.chars,
    }
    return result


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
