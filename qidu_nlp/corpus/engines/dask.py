"""qidu_nlp.corpus.engines.dask: run the pipeline on a Dask distributed cluster (``engine="dask"``).

The corpus streams from the client in partitions (the runner's tasks, cut and ordered by size:
:mod:`qidu_nlp.corpus.schedule`); each partition is one task. Every worker process loads the pipeline once: :class:`PipelinePlugin` loads it when the
worker joins, and :func:`worker_pipeline` (a per-process cache keyed by the loader arguments)
serves every later task. A task returns the plain rows of its documents and their
co-occurrence counts (:func:`qidu_nlp.graph.count`, sparse); the client writes the rows
in corpus order and sums the counts, which add up exactly (documents carry their corpus
position), so the outputs and the graph are those of the local engine. Rows, not Docs, travel.

A partition whose task fails (an exception the runner did not catch, or a worker that died more
often than ``distributed.scheduler.allowed-failures``) is retried one document at a time, so only
the culprit is reported in ``errors.csv``.

``dask[distributed]`` is an optional extra: ``pip install "dask[distributed]"``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from typing import Iterator

from ...errors import Errors
from ...pipeline.loader import load
from ..analyze import Options, Outcome, analyze_task, count_outcomes
from ..ingest import Record
from ..longdocs import Piece

__all__ = ["run_dask", "worker_pipeline", "PipelinePlugin", "analyze_partition", "connect"]

logger = logging.getLogger("qidu_nlp")

_PIPELINES: dict[str, object] = {}
_LOCK = threading.Lock()


def worker_pipeline(loader_kwargs: dict):
    """The pipeline of this process for ``loader_kwargs`` (loaded on first use, then cached)."""
    key = json.dumps(loader_kwargs, sort_keys=True, default=str)
    with _LOCK:
        nlp = _PIPELINES.get(key)
        if nlp is None:
            nlp = _PIPELINES[key] = load(**loader_kwargs)
        return nlp


def _import_distributed():
    try:
        import distributed  # optional extra: dask[distributed]
    except ImportError:
        raise ImportError('engine="dask" needs dask.distributed: pip install "dask[distributed]"') from None
    return distributed


try:  # the plugin class needs distributed (an optional extra); the module stays importable without it
    from distributed import WorkerPlugin as _WorkerPluginBase
except ImportError:  # pragma: no cover - optional extra
    _WorkerPluginBase = object


class PipelinePlugin(_WorkerPluginBase):
    """A worker plugin that loads the qidu pipeline once when a worker starts.

    Examples
    --------
    >>> from distributed import Client  # doctest: +SKIP
    >>> Client("tcp://scheduler:8786").register_plugin(PipelinePlugin({"segmenter": "pkuseg"}))  # doctest: +SKIP
    """

    name = "qidu-pipeline"

    def __init__(self, loader_kwargs: dict | None = None):
        self.loader_kwargs = dict(loader_kwargs or {})

    def setup(self, worker=None) -> None:
        worker_pipeline(self.loader_kwargs)


def analyze_partition(items: list, loader_kwargs: dict, options: Options = Options(),
                      seqs: list[int | None] | None = None, count_kwargs: dict | None = None):
    """Task body: analyse one partition (records, and pieces of long records) with the worker's
    cached pipeline.

    Returns the outcomes (rows, or an error per document; a piece's Doc bytes) and, with
    ``seqs`` (the corpus position of each record, None for a piece), the co-occurrence counts
    of the partition's mention rows (a long document is counted by the client once merged).
    """
    nlp = worker_pipeline(loader_kwargs)
    with _LOCK:  # one Doc at a time per process: worker threads share the pipeline
        outcomes = analyze_task(nlp, items, options)
    if seqs is None:
        return outcomes
    return outcomes, count_outcomes(items, outcomes, seqs, count_kwargs)


def connect(scheduler):
    """A ``distributed.Client`` for ``scheduler`` (an address or a Client); returns ``(client, owned)``."""
    distributed = _import_distributed()
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    if not scheduler:
        raise ValueError('engine="dask" needs a scheduler address (--scheduler tcp://HOST:8786)')
    return distributed.Client(scheduler), True


def run_dask(batches: Iterator[list[Record]], *, scheduler, loader_kwargs: dict | None = None,
             options: Options = Options(), max_inflight: int | None = None, seqs: dict[int, int] | None = None,
             count_kwargs: dict | None = None, counts=None) -> Iterator[tuple]:
    """Run partitions on the cluster and yield ``(partition, outcomes, counted)`` in corpus order.

    Parameters
    ----------
    batches : iterator of list of Record
        The partitions, in corpus order (streamed: at most ``max_inflight`` are on the cluster).
    scheduler : str or distributed.Client
        The scheduler address (``tcp://HOST:8786``) or a connected client.
    loader_kwargs : dict, optional
        Arguments of :func:`qidu_nlp.load` for the workers' pipeline.
    options : Options
        Per-document options (see :class:`qidu_nlp.corpus.analyze.Options`).
    max_inflight : int, optional
        Partitions submitted ahead; default twice the cluster's worker threads.
    seqs, count_kwargs, counts
        With ``counts`` (a :class:`qidu_nlp.graph.Accumulator`): each task also counts
        the co-occurrences of its documents (``seqs`` maps ``id(record)`` to its corpus
        position, ``count_kwargs`` are the counting settings) and the counts are added to
        ``counts`` here; ``counted`` is then True.
    """
    loader_kwargs = dict(loader_kwargs or {})
    client, owned = connect(scheduler)
    try:
        client.register_plugin(PipelinePlugin(loader_kwargs), name=f"qidu-pipeline-{abs(hash(json.dumps(loader_kwargs, sort_keys=True)))}")
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values()) or 1
        limit = max_inflight or 2 * threads
        inflight: deque = deque()
        task = _Task(client, loader_kwargs, options, seqs if counts is not None else None, count_kwargs)
        for batch in batches:
            inflight.append((batch, task.submit(batch)))
            while len(inflight) >= limit:
                yield task.collect(*inflight.popleft(), counts)
        while inflight:
            yield task.collect(*inflight.popleft(), counts)
    finally:
        if owned:
            client.close()


class _Task:
    """Submits partitions and collects them; a failed partition is retried one document at a time."""

    def __init__(self, client, loader_kwargs: dict, options: Options, seqs: dict[int, int] | None,
                 count_kwargs: dict | None):
        self.client, self.loader_kwargs, self.options = client, loader_kwargs, options
        self.seqs, self.count_kwargs = seqs, count_kwargs

    def submit(self, batch: list):
        seqs = [self.seqs.get(id(r)) if isinstance(r, Record) else None for r in batch] if self.seqs is not None else None
        return self.client.submit(analyze_partition, batch, self.loader_kwargs, self.options, seqs,
                                  self.count_kwargs, pure=False)

    def _result(self, future, counts) -> list[Outcome]:
        got = future.result()
        if self.seqs is None:
            return got
        outcomes, partial = got
        counts.add(partial)
        return outcomes

    def collect(self, batch: list[Record], future, counts) -> tuple:
        counted = self.seqs is not None
        try:
            return batch, self._result(future, counts), counted
        except Exception as exc:  # noqa: BLE001 - KilledWorker, a lost worker, an unpicklable result
            logger.error("partition of %d documents failed on the cluster (%s); retrying one at a time", len(batch), exc)
        out: list = []
        for item in batch:
            try:
                out.extend(self._result(self.submit([item]), counts))
            except Exception as exc:  # noqa: BLE001
                reason = Errors.Q013.format(detail=f"{type(exc).__name__}: {exc}")
                out.append((item.id, item.index, None, reason) if isinstance(item, Piece) else (item.id, None, reason))
        return batch, out, counted
