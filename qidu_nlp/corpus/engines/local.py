"""qidu_nlp.corpus.engines.local: batches through the pipeline on this machine.

:func:`run_inline` runs them in this process; :func:`run_processes` in a pool of worker
processes, each loading the pipeline once, at most two batches in flight per worker. A document
that kills its worker process (a segfault, ``os._exit``, the OOM killer) breaks the pool: the
pool is rebuilt, the batches in flight are retried, and the batch that crashes again is retried
one document at a time, so only the culprit fails.
"""

from __future__ import annotations

import logging
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator

from ...errors import Errors
from ...pipeline.loader import load
from ..analyze import Options, Outcome, analyze_records
from ..ingest import Record

__all__ = ["Pool", "run_processes", "run_inline"]

logger = logging.getLogger("qidu_nlp")

_WORKER_NLP = None


def _init_worker(loader_kwargs: dict) -> None:
    global _WORKER_NLP
    _WORKER_NLP = load(**loader_kwargs)


def _analyze_batch(records: list[Record], options: Options = Options()) -> list[Outcome]:
    """Worker side: analyse a batch with the process's pipeline; a document that raises fails alone."""
    return analyze_records(_WORKER_NLP, records, options)


class Pool:
    """A process pool that survives the death of a worker (see the module notes)."""

    def __init__(self, workers: int, loader_kwargs: dict, options: Options):
        self.workers, self.loader_kwargs, self.options = workers, loader_kwargs, options
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, initializer=_init_worker, initargs=(self.loader_kwargs,))

    def restart(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new()

    def submit(self, batch: list[Record]):
        return self.pool.submit(_analyze_batch, batch, self.options)

    def run_alone(self, batch: list[Record]) -> list[Outcome]:
        """Run one batch with nothing else in flight; split it when it kills its worker."""
        try:
            return self.submit(batch).result()
        except BrokenProcessPool as exc:
            self.restart()
            if len(batch) == 1:
                logger.error("document %s killed its worker process", batch[0].id)
                return [(batch[0].id, None, Errors.Q012.format(detail=exc))]
            out: list[Outcome] = []
            for rec in batch:
                out.extend(self.run_alone([rec]))
            return out

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def run_processes(batches: Iterator[list[Record]], workers: int, loader_kwargs: dict,
                   options: Options, pool: Pool | None = None) -> Iterator[tuple[list[Record], list[Outcome]]]:
    """Batches through a pool of ``workers`` processes, at most two batches in flight per worker.
    A ``pool`` passed in (the speed benchmark's, warmed up) is left running."""
    own = pool is None
    pool = Pool(workers, loader_kwargs, options) if own else pool
    inflight: deque = deque()
    try:
        for batch in batches:
            inflight.append((batch, pool.submit(batch)))
            while len(inflight) >= workers * 2:
                yield from _drain(pool, inflight)
        while inflight:
            yield from _drain(pool, inflight)
    finally:
        if own:
            pool.shutdown()


def _drain(pool: Pool, inflight: deque) -> Iterator[tuple[list[Record], list[Outcome]]]:
    batch, fut = inflight.popleft()
    try:
        results = fut.result()
    except BrokenProcessPool:
        # every future of the broken pool is lost: retry them in order, each batch alone
        retry = [batch] + [b for b, _ in inflight]
        inflight.clear()
        pool.restart()
        for b in retry:
            yield b, pool.run_alone(b)
        return
    yield batch, results


def run_inline(nlp, batches: Iterator[list[Record]], options: Options) -> Iterator[tuple[list[Record], list[Outcome]]]:
    for batch in batches:
        yield batch, analyze_records(nlp, batch, options)
