"""qidu_nlp.corpus.engines.local: the work of a run on this machine.

:func:`run_inline` analyses batches in this process. :func:`run_processes` hands tasks
(:mod:`qidu_nlp.corpus.schedule`) to a :class:`Pool` of worker processes, at most two per
worker in flight, and yields each as soon as it is done, whatever the order.

One load
--------
Where the platform forks (Linux), the workers are forked from this process after it has
loaded and warmed up the pipeline, with the heap frozen (:func:`gc.freeze`) so that the
collector never writes to the pages they share: no worker loads anything, and the pipeline's
memory is counted once. Elsewhere the workers are spawned and each loads the pipeline once
(``loader_kwargs``).

Crashes
-------
A document that kills its worker process (a segfault, ``os._exit``, the OOM killer) breaks the
pool: the pool is rebuilt, the tasks in flight are retried one at a time, and a task that
crashes again is retried one item at a time, so only the culprit fails.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator

from ...errors import Errors
from ...pipeline.loader import load
from ..analyze import Options, analyze_records, analyze_task, count_outcomes
from ..ingest import Record
from ..longdocs import Piece

__all__ = ["Pool", "run_processes", "run_inline", "can_fork"]

logger = logging.getLogger("qidu_nlp")

_WORKER_NLP = None
WARM_UP = "各位代表：全年完成一般公共预算收入一点四三亿元，增长百分之三十四，新建“四好农村路”12公里。"


def can_fork() -> bool:
    """Whether worker processes can be forked from this one (Linux)."""
    return "fork" in multiprocessing.get_all_start_methods() and multiprocessing.get_start_method(True) in (None, "fork")


def _init_spawned(loader_kwargs: dict) -> None:
    global _WORKER_NLP
    _WORKER_NLP = load(**loader_kwargs)


def _init_forked() -> None:
    """A forked worker has the parent's pipeline already; only the collector is switched back on."""
    gc.enable()


def _analyze_task(items: list, options: Options = Options(), seqs: list | None = None,
                  count_kwargs: dict | None = None):
    """Worker side: a task with the process's pipeline (an item that fails fails alone); with
    ``seqs``, also the co-occurrence counts of its documents."""
    outcomes = analyze_task(_WORKER_NLP, items, options)
    if seqs is None:
        return outcomes
    return outcomes, count_outcomes(items, outcomes, seqs, count_kwargs)


def _ready() -> bool:
    return _WORKER_NLP is not None


class Pool:
    """Worker processes that survive the death of one of them (see the module notes).

    Parameters
    ----------
    workers : int
        Processes.
    loader_kwargs : dict
        Arguments of :func:`qidu_nlp.load` for spawned workers.
    options : Options
        Per-document options.
    nlp : Language, optional
        The pipeline forked workers start from (loaded here from ``loader_kwargs`` when None).
    """

    def __init__(self, workers: int, loader_kwargs: dict, options: Options, nlp=None):
        global _WORKER_NLP
        self.workers, self.loader_kwargs, self.options = workers, loader_kwargs, options
        self.forked = can_fork()
        if self.forked:
            _WORKER_NLP = nlp if nlp is not None else load(**loader_kwargs)
            _WORKER_NLP(WARM_UP)  # first-call costs (lazy imports, caches) paid once, before the fork
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        if self.forked:
            gc.collect()
            gc.freeze()  # the heap the workers share stays untouched by this process's collector
            pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_init_forked)
            pool.submit(_ready).result()  # fork now, before this process starts threads
            return pool
        return ProcessPoolExecutor(max_workers=self.workers, initializer=_init_spawned, initargs=(self.loader_kwargs,))

    def restart(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new()

    def submit(self, items: list, seqs: list | None = None, count_kwargs: dict | None = None):
        return self.pool.submit(_analyze_task, items, self.options, seqs, count_kwargs)

    def run_alone(self, items: list) -> list:
        """Run one task with nothing else in flight; split it when it kills its worker."""
        try:
            return self.submit(items).result()
        except BrokenProcessPool as exc:
            self.restart()
            if len(items) == 1:
                return [_died(items[0], exc)]
            out: list = []
            for item in items:
                out.extend(self.run_alone([item]))
            return out

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self.forked:
            gc.unfreeze()  # nothing is shared any more


def _died(item, exc: BaseException) -> tuple:
    logger.error("document %s killed its worker process", item.id)
    reason = Errors.Q012.format(detail=exc)
    if isinstance(item, Piece):
        return item.id, item.index, None, reason
    return item.id, None, reason


def run_processes(tasks: Iterator[list], workers: int, loader_kwargs: dict, options: Options,
                  pool: Pool | None = None, nlp=None, seqs: dict | None = None, counts=None,
                  count_kwargs: dict | None = None) -> Iterator[tuple]:
    """Tasks through a pool of ``workers`` processes, at most two in flight per worker; yields
    ``(task, results, counted)`` as tasks finish. With ``counts`` (an
    :class:`qidu_nlp.graph.Accumulator`) the workers also count the co-occurrences of their
    documents (``seqs``: ``id(record)`` → corpus position) and they are added to it; ``counted``
    says so (a task retried after a crash is not counted). A ``pool`` passed in (the speed
    benchmark's) is left running."""
    own = pool is None
    pool = Pool(workers, loader_kwargs, options, nlp=nlp) if own else pool
    inflight: dict = {}  # future → task
    tasks = iter(tasks)

    def submit(task):
        task_seqs = [seqs.get(id(item)) if isinstance(item, Record) else None for item in task] \
            if counts is not None else None
        return pool.submit(task, task_seqs, count_kwargs)

    try:
        more = True
        while more or inflight:
            while more and len(inflight) < workers * 2:
                task = next(tasks, None)
                if task is None:
                    more = False
                    break
                inflight[submit(task)] = task
            if inflight:
                yield from _collect(pool, inflight, counts)
    finally:
        if own:
            pool.shutdown()


def _collect(pool: Pool, inflight: dict, counts) -> Iterator[tuple]:
    done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
    for fut in done:
        task = inflight.pop(fut)
        try:
            got = fut.result()
        except BrokenProcessPool:
            # the tasks of the broken pool that had not finished are lost: retry each alone
            retry = [task]
            for other, t in inflight.items():
                if other.done() and not other.cancelled() and other.exception() is None:
                    yield _counted(t, other.result(), counts)
                else:
                    retry.append(t)
            inflight.clear()
            pool.restart()
            for t in retry:
                yield t, pool.run_alone(t), False
            return
        yield _counted(task, got, counts)


def _counted(task: list, got, counts) -> tuple:
    if counts is None:
        return task, got, False
    outcomes, partial = got
    counts.add(partial)
    return task, outcomes, True


def run_inline(nlp, batches: Iterator[list[Record]], options: Options) -> Iterator[tuple[list[Record], list]]:
    for batch in batches:
        yield batch, analyze_records(nlp, batch, options)
