"""qidu_nlp.dask_engine: run the pipeline on a Dask distributed cluster (``engine="dask"``).

The corpus streams from the client in partitions (the runner's batches); each partition is one
task. Every worker process loads the pipeline once: :class:`PipelinePlugin` loads it when the
worker joins, and :func:`worker_pipeline` (a per-process cache keyed by the loader arguments)
serves every later task. Tasks return plain rows; the client gathers them in corpus order, so
the outputs are those of the local engine. The co-occurrence graph is built once on the client
from the gathered mention rows (``graph.build`` works on one sparse incidence matrix of the whole
mention table; rows, not Docs, travel).

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

from .ingest import Record
from .runner import Options, Outcome, analyze_record

logger = logging.getLogger("qidu_nlp")

_PIPELINES: dict[str, object] = {}
_LOCK = threading.Lock()


def worker_pipeline(loader_kwargs: dict):
    """The pipeline of this process for ``loader_kwargs`` (loaded on first use, then cached)."""
    key = json.dumps(loader_kwargs, sort_keys=True, default=str)
    with _LOCK:
        nlp = _PIPELINES.get(key)
        if nlp is None:
            from .loader import load

            nlp = _PIPELINES[key] = load(**loader_kwargs)
        return nlp


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise ImportError('engine="dask" needs dask.distributed: pip install "dask[distributed]"') from None
    return distributed


try:  # the plugin class needs distributed; the module stays importable without it
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


def analyze_partition(records: list[Record], loader_kwargs: dict, options: Options = Options()) -> list[Outcome]:
    """Task body: analyse one partition with the worker's cached pipeline (rows only)."""
    nlp = worker_pipeline(loader_kwargs)
    with _LOCK:  # one Doc at a time per process: worker threads share the pipeline
        return [analyze_record(nlp, rec, options) for rec in records]


def connect(scheduler):
    """A ``distributed.Client`` for ``scheduler`` (an address or a Client); returns ``(client, owned)``."""
    distributed = _import_distributed()
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    if not scheduler:
        raise ValueError('engine="dask" needs a scheduler address (--scheduler tcp://HOST:8786)')
    return distributed.Client(scheduler), True


def run_dask(batches: Iterator[list[Record]], *, scheduler, loader_kwargs: dict | None = None,
             options: Options = Options(), max_inflight: int | None = None
             ) -> Iterator[tuple[list[Record], list[Outcome]]]:
    """Run partitions on the cluster and yield ``(partition, outcomes)`` in corpus order.

    Parameters
    ----------
    batches : iterator of list of Record
        The partitions, in corpus order (streamed: at most ``max_inflight`` are on the cluster).
    scheduler : str or distributed.Client
        The scheduler address (``tcp://HOST:8786``) or a connected client.
    loader_kwargs : dict, optional
        Arguments of :func:`qidu_nlp.load` for the workers' pipeline.
    options : Options
        Per-document options (see :class:`qidu_nlp.runner.Options`).
    max_inflight : int, optional
        Partitions submitted ahead; default twice the cluster's worker threads.
    """
    loader_kwargs = dict(loader_kwargs or {})
    client, owned = connect(scheduler)
    try:
        client.register_plugin(PipelinePlugin(loader_kwargs), name=f"qidu-pipeline-{abs(hash(json.dumps(loader_kwargs, sort_keys=True)))}")
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values()) or 1
        limit = max_inflight or 2 * threads
        inflight: deque = deque()
        for batch in batches:
            inflight.append((batch, client.submit(analyze_partition, batch, loader_kwargs, options, pure=False)))
            while len(inflight) >= limit:
                yield _collect(client, *inflight.popleft(), loader_kwargs, options)
        while inflight:
            yield _collect(client, *inflight.popleft(), loader_kwargs, options)
    finally:
        if owned:
            client.close()


def _collect(client, batch: list[Record], future, loader_kwargs: dict, options: Options):
    try:
        return batch, future.result()
    except Exception as exc:  # noqa: BLE001 - KilledWorker, a lost worker, an unpicklable result
        logger.error("partition of %d documents failed on the cluster (%s); retrying one at a time", len(batch), exc)
    out: list[Outcome] = []
    for rec in batch:
        try:
            out.extend(client.submit(analyze_partition, [rec], loader_kwargs, options, pure=False).result())
        except Exception as exc:  # noqa: BLE001
            out.append((rec.id, None, f"[Q012] the Dask task of this document failed ({type(exc).__name__}: {exc})"))
    return batch, out
