"""qidu_nlp.runner: the engines that run the pipeline over a corpus (local processes, Dask).

Each worker loads the pipeline once and turns documents into plain rows
(:func:`qidu_nlp.corpus.analyze_doc`); only rows travel between processes, collected in corpus
order, so the results are the same for any number of workers and any batch size.

Memory
------
Finished documents are written at once: their rows go to Parquet spools (documents, mentions,
indicators; :mod:`qidu_nlp.tables`) in parts of ``flush_rows`` rows, and their co-occurrences
are counted in batches of whole documents and added up (:mod:`qidu_nlp.cooccurrence`). What a
run holds is bounded by the batches in flight and those buffers, not by the corpus
(``benchmarks/memory.py`` measures it).

Reliability
-----------
* Records stream from the corpus in batches; at most ``2 × workers`` batches are in flight, no
  Doc outlives its document and no corpus file is read whole.
* A document that raises fails alone (``errors.csv``). A document that kills its worker process
  (a segfault, ``os._exit``, the OOM killer) breaks the pool: the pool is rebuilt, the batches in
  flight are retried, and the batch that crashes again is retried one document at a time, so
  only the culprit fails ("worker process died").
* With an ``output_dir``, finished documents go into shard files ``OUT/.qidu-cache/KEY/*.jsonl``
  (each written atomically), keyed by a hash of the text and of the pipeline's configuration
  (:func:`config_key`). ``resume=True`` reuses them and retries every document that failed or
  was never reached; an interrupted run (Ctrl-C, a killed process) leaves only whole shards.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
import uuid
import weakref
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator


import pandas as pd

from . import tables
from .corpus import DOC_COLUMNS, Corpus, Result, analyze_doc, atomic_write, text_hash
from .ingest import JSONL_SUFFIXES, Failure, Record, _walk
from .tables import Spool, Store, temporary_folder

logger = logging.getLogger("qidu_nlp")

CACHE_DIR = ".qidu-cache"
SHARD_DOCS = 64
SHARD_SECONDS = 20.0
CRASH_REASON = "[Q012] worker process died while analysing this document ({detail}); it was retried alone and died again."
Outcome = tuple[str, "dict | None", "str | None"]

_WORKER_NLP = None


@dataclass(frozen=True)
class Options:
    """Per-document options that travel to the workers.

    Attributes
    ----------
    to_simplified : bool
        Fold traditional characters to simplified before analysis (offsets unchanged; the
        ``text`` and ``sentence_text`` of mentions are taken from the original).
    max_chars : int or None
        Documents longer than this are analysed in pieces (:mod:`qidu_nlp.longdocs`); default
        ``min(nlp.max_length, longdocs.DEFAULT_MAX_CHARS)``.
    """

    to_simplified: bool = False
    max_chars: int | None = None


# --------------------------------------------------------------------------- documents


def analyze_record(nlp, rec: Record, options: Options = Options()) -> Outcome:
    """Analyse one record; return ``(id, rows, None)`` or ``(id, None, error message)``.

    Examples
    --------
    >>> import qidu_nlp
    >>> from qidu_nlp.ingest import make_record
    >>> nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure"])
    >>> rid, rows, err = analyze_record(nlp, make_record("a", "各位代表：\\n聚焦城市愿景。"))
    >>> rid, rows["document"]["sentences"], rows["document"]["script"], err
    ('a', 2, 'simplified', None)
    """
    from .longdocs import pipe_long

    try:
        text, script, converted, limit = _prepare(nlp, rec, options)
        doc = pipe_long(nlp, text, max_chars=limit) if len(text) > limit else nlp(text)
        return _finish(doc, rec, script, converted)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a corpus run
        return _failure(rec, exc)


def analyze_records(nlp, records: list[Record], options: Options = Options()) -> list[Outcome]:
    """Analyse a batch of records through ``nlp.pipe``; outcomes in the records' order.

    A document longer than the piece limit goes alone through :mod:`qidu_nlp.longdocs`. When
    a component raises inside the pipe, the pipe cannot go on: that document and the rest of
    the batch are analysed one by one (:func:`analyze_record`), so the bad one fails alone and
    the others come out as they would have.

    Examples
    --------
    >>> import qidu_nlp
    >>> from qidu_nlp.ingest import make_record
    >>> nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure"])
    >>> out = analyze_records(nlp, [make_record("a", "各位代表："), make_record("b", "一。二。")])
    >>> [(rid, rows["document"]["sentences"]) for rid, rows, _ in out]
    [('a', 1), ('b', 2)]
    """
    out: list[Outcome | None] = [None] * len(records)
    queue = []  # (position, text, script, converted) of the documents for the pipe
    for i, rec in enumerate(records):
        try:
            text, script, converted, limit = _prepare(nlp, rec, options)
        except Exception as exc:  # noqa: BLE001
            out[i] = _failure(rec, exc)
            continue
        if len(text) > limit:
            out[i] = analyze_record(nlp, rec, options)
        else:
            queue.append((i, text, script, converted))
    done = 0
    try:
        for doc in nlp.pipe(text for _, text, _, _ in queue):
            i, _, script, converted = queue[done]
            done += 1
            try:
                out[i] = _finish(doc, records[i], script, converted)
            except Exception as exc:  # noqa: BLE001
                out[i] = _failure(records[i], exc)
            del doc
    except Exception:  # noqa: BLE001 - a component raised inside the pipe
        for i, *_ in queue[done:]:
            out[i] = analyze_record(nlp, records[i], options)
    return out  # type: ignore[return-value]


def _prepare(nlp, rec: Record, options: Options) -> tuple[str, str, bool, int]:
    """The text to analyse (folded to simplified if asked), its script, whether it was folded,
    and the length above which it is analysed in pieces."""
    from .longdocs import DEFAULT_MAX_CHARS
    from .scripts import detect_script, to_simplified

    text = rec.text
    script = detect_script(text)
    converted = options.to_simplified and script in ("traditional", "mixed")
    if converted:
        text = to_simplified(text)
    return text, script, converted, options.max_chars or min(nlp.max_length, DEFAULT_MAX_CHARS)


def _finish(doc, rec: Record, script: str, converted: bool) -> Outcome:
    doc._.meta = {**rec.meta, "id": rec.id}
    rows = analyze_doc(doc)
    rows["document"]["script"] = script
    if converted:
        _restore_original(rows, rec.text)
    return rec.id, rows, None


def _failure(rec: Record, exc: Exception) -> Outcome:
    logger.error("document %s failed", rec.id, exc_info=exc)
    return rec.id, None, f"{type(exc).__name__}: {exc}"


def _restore_original(rows: dict, original: str) -> None:
    for row in rows["mentions"]:
        s, e = row.get("start"), row.get("end")
        if isinstance(s, int) and isinstance(e, int):
            row["text"] = original[s:e]
    rows["document"]["converted"] = "t2s"


# --------------------------------------------------------------------------- local processes


def _init_worker(loader_kwargs: dict) -> None:
    global _WORKER_NLP
    from .loader import load

    _WORKER_NLP = load(**loader_kwargs)


def _analyze_batch(records: list[Record], options: Options = Options()) -> list[Outcome]:
    """Worker side: analyse a batch with the process's pipeline; a document that raises fails alone."""
    return analyze_records(_WORKER_NLP, records, options)


class _Pool:
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
                return [(batch[0].id, None, CRASH_REASON.format(detail=exc))]
            out: list[Outcome] = []
            for rec in batch:
                out.extend(self.run_alone([rec]))
            return out

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _run_processes(batches: Iterator[list[Record]], workers: int, loader_kwargs: dict,
                   options: Options, pool: _Pool | None = None) -> Iterator[tuple[list[Record], list[Outcome]]]:
    """Batches through a pool of ``workers`` processes, at most two batches in flight per worker.
    A ``pool`` passed in (the speed benchmark's, warmed up) is left running."""
    own = pool is None
    pool = _Pool(workers, loader_kwargs, options) if own else pool
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


def _drain(pool: _Pool, inflight: deque) -> Iterator[tuple[list[Record], list[Outcome]]]:
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


def _run_inline(nlp, batches: Iterator[list[Record]], options: Options) -> Iterator[tuple[list[Record], list[Outcome]]]:
    for batch in batches:
        yield batch, analyze_records(nlp, batch, options)


# --------------------------------------------------------------------------- resume cache


def config_key(loader_kwargs: dict | None = None, nlp=None, options: Options = Options()) -> str:
    """The pipeline part of a document's cache key.

    A hash of the loader arguments (or of ``nlp.config`` when a pipeline object is given), the
    per-document options, the library version, and the bytes of the package's code and data
    files, so that any change of rules, lexicons or models invalidates earlier results.
    """
    from .about import __version__

    h = hashlib.sha256()
    h.update(json.dumps({"loader": loader_kwargs or {}, "options": asdict(options), "version": __version__},
                        sort_keys=True, default=str).encode())
    if nlp is not None:
        h.update(nlp.config.to_str().encode())
    h.update(_package_digest().encode())
    return h.hexdigest()[:16]


_DIGEST: str | None = None


def _package_digest() -> str:
    global _DIGEST
    if _DIGEST is None:
        root = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
        _DIGEST = h.hexdigest()
    return _DIGEST


class _Cache:
    """Shard files of finished documents under ``OUT/.qidu-cache/KEY/``."""

    def __init__(self, output_dir: Path, key: str, resume: bool):
        root = Path(output_dir) / CACHE_DIR
        if not resume and root.exists():
            shutil.rmtree(root)
        self.folder = root / key
        self.folder.mkdir(parents=True, exist_ok=True)
        # key → (shard, byte offset of its line): the rows stay on disk until a document is released
        self.known: dict[str, tuple[Path, int]] = {}
        if resume:
            for shard in sorted(self.folder.glob("part-*.jsonl")):
                with open(shard, "rb") as f:
                    while True:
                        offset = f.tell()
                        line = f.readline()
                        if not line:
                            break
                        key = _line_key(line)
                        if key:
                            self.known[key] = (shard, offset)
        self.buffer: list[str] = []
        self.flushed = time.monotonic()
        self.seq = len(list(self.folder.glob("part-*.jsonl")))

    def __contains__(self, key: str) -> bool:
        return key in self.known

    def get(self, key: str) -> dict | None:
        where = self.known.get(key)
        if where is None:
            return None
        with open(where[0], "rb") as f:
            f.seek(where[1])
            return json.loads(f.readline())["rows"]

    def add(self, key: str, rows: dict) -> None:
        self.buffer.append(json.dumps({"key": key, "rows": rows}, ensure_ascii=False, default=str))
        if len(self.buffer) >= SHARD_DOCS or time.monotonic() - self.flushed > SHARD_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            lines, self.buffer = self.buffer, []
            name = f"part-{self.seq:06d}-{uuid.uuid4().hex[:8]}.jsonl"
            self.seq += 1
            atomic_write(self.folder / name, lambda f: f.write("\n".join(lines) + "\n"), text=True)
        self.flushed = time.monotonic()


_KEY_PREFIX = b'{"key": "'


def _line_key(line: bytes) -> str | None:
    """The key of a shard line, read from its start (``{"key": "…", "rows": …}``)."""
    if line.startswith(_KEY_PREFIX):
        end = line.find(b'"', len(_KEY_PREFIX))
        if end > 0:
            return line[len(_KEY_PREFIX):end].decode("ascii", "replace")
    try:
        return json.loads(line)["key"]
    except (ValueError, KeyError, TypeError):
        logger.warning("unreadable line in a resume shard; that document is analysed again")
        return None


def _with_identity(rows: dict, rec: Record) -> dict:
    """Cached rows of the same text under this record's id and metadata."""
    rows = json.loads(json.dumps(rows))
    doc = rows["document"]
    for col in DOC_COLUMNS:
        if col in rec.meta:
            doc[col] = rec.meta[col]
    doc["id"] = rec.id
    for row in rows["mentions"]:
        row["doc_id"] = rec.id
    for row in rows["indicators"]:
        if "doc_id" in row:
            row["doc_id"] = rec.id
    return rows


# --------------------------------------------------------------------------- progress


def estimate_total(corpus: Corpus) -> int | None:
    """A cheap count of the documents of a corpus (lines of JSONL files, other files), or None."""
    paths = getattr(corpus, "paths", None)
    if paths is None:
        return getattr(corpus, "n_records", None)
    total = 0
    for given in paths:
        given = Path(given)
        if not given.exists():
            continue
        for path in _walk(given):
            if path.suffix.lower() in JSONL_SUFFIXES:
                total += _count_lines(path)
            else:
                total += 1
    return total


def _count_lines(path: Path) -> int:
    n, last = 0, b"\n"
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                n += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 1
    return n + (last != b"\n")


def _progress(enabled: bool, total: int | None):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="doc", desc="qidu analyze", dynamic_ncols=True, smoothing=0.1)


# --------------------------------------------------------------------------- the run


class _Sink:
    """Where finished documents go, in corpus order: the table spools and the co-occurrence
    counts. Nothing of a document stays in memory once it is written."""

    def __init__(self, folder: Path, window: str, flush_rows: int):
        from .cooccurrence import Accumulator

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

    def failed(self, row: dict, error: dict) -> None:
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


def run(corpus: Corpus, nlp=None, *, workers: int = 1, batch_size: int = 8, engine: str = "local",
        scheduler: str | None = None, window: str = "sentence", progress: bool = False,
        output_dir=None, resume: bool = False, loader_kwargs: dict | None = None,
        to_simplified: bool = False, max_chars: int | None = None, flush_rows: int = 10_000) -> Result:
    """Run the pipeline over ``corpus`` and collect a :class:`~qidu_nlp.corpus.Result`.

    Parameters are those of :meth:`qidu_nlp.corpus.Corpus.analyze`; ``flush_rows`` is the number
    of rows held before they go to disk. ``result.stats`` holds ``documents`` (done),
    ``failed``, ``reused`` (from the resume cache), ``mentions``, ``chars`` and ``seconds``.

    The tables are written to Parquet files as documents finish (in a ``.qidu-spool-*`` folder
    inside ``output_dir``, or in the system's temporary folder) and the co-occurrence counts are
    added up batch by batch, so memory does not grow with the corpus.
    """
    from .cooccurrence import check_window

    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    if batch_size < 1 or workers < 1:
        raise ValueError("workers and batch_size must be at least 1")
    check_window(window)
    loader_kwargs = dict(loader_kwargs or {})
    options = Options(to_simplified=to_simplified, max_chars=max_chars)
    started = time.perf_counter()
    # in corpus order: ("todo", (key, seq, chars), record), ("row", (key, seq, chars), record
    # without its text) or ("fail", None, failure)
    slots: deque = deque()
    cache = None
    if output_dir is not None:
        _remove_stale_spools(Path(output_dir))
        cache = _Cache(Path(output_dir), config_key(loader_kwargs, nlp if nlp is not None and engine == "local" and workers <= 1 else None, options), resume)
    bar = _progress(progress, estimate_total(corpus))
    sink = _Sink(temporary_folder(output_dir), window, flush_rows)
    stats = {"chars": 0, "reused": 0}

    def emit(rec: Record, seq: int, rows: dict | None, err: str | None, n_chars: int, counted: bool = False) -> None:
        if err is not None:
            sink.failed(_failed_row(rec, n_chars), {"source": rec.meta.get("source", ""), "id": rec.id, "reason": err})
        else:
            sink.document(seq, rows, counted=counted)
        stats["chars"] += n_chars
        if bar is not None:
            bar.update(1)
            # the rate counts from the first finished document, so pipeline loading is not in it
            now = time.perf_counter()
            if "first" not in stats:
                stats["first"] = (now, stats["chars"])
            elif now - stats["first"][0] >= 1.0:  # batches finish together: wait for a stable rate
                rate = (stats["chars"] - stats["first"][1]) / (now - stats["first"][0])
                bar.set_postfix_str(f"{rate:,.0f} chars/s", refresh=False)

    cache_key = cache.folder.name if cache is not None else ""
    seqs: dict[int, int] = {}  # id(record in flight) → its corpus position (for Dask's counts)

    def todo() -> Iterator[Record]:
        """Records still to analyse; cached and failed-to-read ones wait in order, without text."""
        for seq, item in enumerate(corpus.iter_all()):
            if isinstance(item, Failure):
                slots.append(("fail", None, item))
                continue
            key = text_hash(item.text, cache_key) if cache is not None else ""
            if cache is not None and key in cache:
                slots.append(("row", (key, seq, len(item.text)), Record(item.id, "", item.meta)))
            else:
                slots.append(("todo", (key, seq, len(item.text)), item))
                seqs[id(item)] = seq
                yield item

    def release(done: dict[int, tuple]) -> None:
        """Emit the slots at the head whose outcome is known (corpus order)."""
        while slots:
            kind, payload, rec = slots[0]
            if kind == "fail":
                sink.errors.append({"source": rec.source, "id": rec.id, "reason": rec.reason})
                if bar is not None:
                    bar.update(1)
            elif kind == "row":
                key, seq, n_chars = payload
                stats["reused"] += 1
                emit(rec, seq, _with_identity(cache.get(key), rec), None, n_chars)
            elif id(rec) in done:
                key, seq, n_chars = payload
                (_, rows, err), counted = done.pop(id(rec))
                seqs.pop(id(rec), None)
                if rows is not None and cache is not None:
                    cache.add(key, rows)
                emit(rec, seq, rows, err, n_chars, counted)
            else:
                return
            slots.popleft()

    batches = _batches(todo(), batch_size)
    if engine == "dask":
        from .dask_engine import run_dask

        stream = run_dask(batches, scheduler=scheduler, loader_kwargs=loader_kwargs, options=options,
                          seqs=seqs, count_kwargs={"window": window}, counts=sink.counts)
    elif workers <= 1:
        if nlp is None:
            from .loader import load

            nlp = load(**loader_kwargs)
        stream = _run_inline(nlp, batches, options)
    else:
        stream = _run_processes(batches, workers, loader_kwargs, options)
    done: dict[int, tuple] = {}
    try:
        for batch, outcomes, *counted in stream:
            for rec, outcome in zip(batch, outcomes):
                done[id(rec)] = (outcome, bool(counted and counted[0]))
            release(done)
        release(done)
        store, counts = sink.close()
    except BaseException:
        sink.abort()
        raise
    finally:
        if cache is not None:
            cache.flush()
        if bar is not None:
            bar.close()
    result = Result(errors=tables.frame("errors", sink.errors), window=window, store=store, counts=counts)
    weakref.finalize(result, store.discard)  # the spool goes with the Result (to_dir copies it out)
    result.stats = {
        "documents": sink.n_ok,
        "failed": len(sink.errors),
        "reused": stats["reused"],
        "mentions": sink.n_mentions,
        "seconds": time.perf_counter() - started,
        "chars": stats["chars"],
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
