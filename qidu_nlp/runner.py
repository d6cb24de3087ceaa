"""qidu_nlp.runner: the engines that run the pipeline over a corpus (local processes, Dask).

Each worker loads the pipeline once and turns documents into plain rows
(:func:`qidu_nlp.corpus.analyze_doc`); only rows travel between processes, in corpus order, so
the results are the same for any number of workers and any batch size.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Iterator

import pandas as pd

from . import mentions as _mentions
from .corpus import DOC_COLUMNS, ERROR_COLUMNS, Corpus, Result, analyze_doc
from .ingest import Failure, Record

logger = logging.getLogger("qidu_nlp")

_WORKER_NLP = None


def _init_worker(loader_kwargs: dict) -> None:
    global _WORKER_NLP
    from .loader import load

    _WORKER_NLP = load(**loader_kwargs)


def _analyze_batch(records: list[Record]) -> list[tuple[str, dict | None, str | None]]:
    """Worker side: analyse a batch; a document that raises fails alone."""
    out = []
    for rec in records:
        out.append(analyze_record(_WORKER_NLP, rec))
    return out


def analyze_record(nlp, rec: Record) -> tuple[str, dict | None, str | None]:
    """Analyse one record; return ``(id, rows, None)`` or ``(id, None, error message)``."""
    try:
        doc = nlp(rec.text)
        doc._.meta = {**rec.meta, "id": rec.id}
        return rec.id, analyze_doc(doc), None
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a corpus run
        logger.exception("document %s failed", rec.id)
        return rec.id, None, f"{type(exc).__name__}: {exc}"


def _batches(items: Iterator, size: int) -> Iterator[list]:
    while True:
        batch = list(islice(items, size))
        if not batch:
            return
        yield batch


def run(corpus: Corpus, nlp=None, *, workers: int = 1, batch_size: int = 8, engine: str = "local",
        scheduler: str | None = None, window: str = "sentence", progress: bool = False,
        output_dir=None, resume: bool = False, loader_kwargs: dict | None = None) -> Result:
    """Run the pipeline over ``corpus`` and collect a :class:`~qidu_nlp.corpus.Result`."""
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    loader_kwargs = dict(loader_kwargs or {})
    documents: list[dict] = []
    mention_rows: list[dict] = []
    indicator_rows: list[dict] = []
    errors: list[dict] = []
    records = _split(corpus.iter_all(), errors)
    bar = _progress(progress)
    started = time.perf_counter()

    def collect(rec_by_id: dict, results) -> None:
        for rid, rows, err in results:
            rec = rec_by_id[rid]
            if err is not None:
                errors.append({"source": rec.meta.get("source", ""), "id": rid, "reason": err})
                documents.append(_failed_row(rec))
            else:
                documents.append(rows["document"])
                mention_rows.extend(rows["mentions"])
                indicator_rows.extend(rows["indicators"])
            if bar is not None:
                bar.update(1)
                bar.set_postfix(chars_per_s=f"{_chars(documents) / max(time.perf_counter() - started, 1e-9):,.0f}")

    if engine == "dask":
        from .dask_engine import run_dask

        for batch_ids, results in run_dask(records, scheduler=scheduler, batch_size=batch_size, loader_kwargs=loader_kwargs):
            collect(batch_ids, results)
    elif workers <= 1:
        if nlp is None:
            from .loader import load

            nlp = load(**loader_kwargs)
        for batch in _batches(records, batch_size):
            collect({r.id: r for r in batch}, [analyze_record(nlp, r) for r in batch])
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(loader_kwargs,)) as pool:
            pending = []
            for batch in _batches(records, batch_size):
                pending.append((batch, pool.submit(_analyze_batch, batch)))
                if len(pending) >= workers * 2:
                    b, fut = pending.pop(0)
                    collect({r.id: r for r in b}, fut.result())
            for b, fut in pending:
                collect({r.id: r for r in b}, fut.result())
    if bar is not None:
        bar.close()
    elapsed = time.perf_counter() - started
    result = Result(
        documents=pd.DataFrame(documents, columns=DOC_COLUMNS),
        mentions=_mentions.to_frame(mention_rows),
        indicators=_indicator_frame(indicator_rows),
        errors=pd.DataFrame(errors, columns=ERROR_COLUMNS),
        window=window,
    )
    result.stats = {
        "documents": int((result.documents["status"] == "ok").sum()),
        "failed": len(errors),
        "mentions": int((result.mentions["label"] != "THEME").sum()),
        "seconds": elapsed,
        "chars": _chars(documents),
    }
    return result


def _indicator_frame(rows: list[dict]) -> pd.DataFrame:
    from . import indicators

    return indicators.to_frame(rows)


def _chars(documents: list[dict]) -> int:
    return sum(d.get("chars") or 0 for d in documents)


def _failed_row(rec: Record) -> dict:
    row = {c: rec.meta.get(c) for c in DOC_COLUMNS}
    row.update({"id": rec.id, "chars": len(rec.text), "sentences": 0, "paragraphs": 0, "mentions": 0, "status": "failed"})
    return row


def _split(items: Iterator[Record | Failure], errors: list[dict]) -> Iterator[Record]:
    for item in items:
        if isinstance(item, Failure):
            errors.append({"source": item.source, "id": item.id, "reason": item.reason})
        else:
            yield item


def _progress(enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(unit="doc", desc="qidu analyze", dynamic_ncols=True)
