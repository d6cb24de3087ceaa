"""qidu_nlp.corpus.analyze: one document, or a batch of them, through the pipeline into plain rows.

What every engine runs on its side (in this process, in worker processes, on Dask workers):
:func:`analyze_records` sends a batch through ``nlp.pipe`` and returns, per document, its rows
(:func:`qidu_nlp.pipeline.rows.analyze_doc`) or the reason it failed; only rows travel between
processes, so the results are the same for any number of workers and any batch size. A long
document is analysed in pieces (:mod:`qidu_nlp.corpus.longdocs`): :func:`analyze_piece` is one
piece, which the engines may hand to another worker, and :func:`merge_outcome` puts the pieces
back together, the same wherever they ran.

Time budget
-----------
``Options.doc_timeout`` bounds the seconds a document (or a piece of a long one) may take. In
the main thread of a process (the one-process run and every local worker) a timer interrupts
the document when the budget runs out; it then fails with the reason (:data:`Errors.Q015`) and
the run goes on with the next one. Elsewhere (the threads of a Dask worker) there is no timer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from spacy.tokens import Doc

from ..errors import Errors
from ..graph import count
from ..pipeline.rows import analyze_doc, to_frame
from ..text.scripts import detect_script, to_simplified
from .budget import DocumentTimeout, time_limit
from .ingest import Record
from .longdocs import DEFAULT_MAX_CHARS, Piece, chunk_offsets, merge_pieces, pipe_long

__all__ = ["Options", "Outcome", "analyze_record", "analyze_records", "analyze_piece", "merge_outcome",
           "analyze_task", "count_outcomes", "prepare", "DEFAULT_DOC_TIMEOUT"]

logger = logging.getLogger("qidu_nlp")

Outcome = tuple[str, "dict | None", "str | None"]
DEFAULT_DOC_TIMEOUT = 300.0


@dataclass(frozen=True)
class Options:
    """Per-document options that travel to the workers.

    Attributes
    ----------
    to_simplified : bool
        Fold traditional characters to simplified before analysis (offsets unchanged; the
        ``text`` and ``sentence_text`` of mentions are taken from the original).
    max_chars : int or None
        Documents longer than this are analysed in pieces (:mod:`qidu_nlp.corpus.longdocs`); default
        ``min(nlp.max_length, DEFAULT_MAX_CHARS)``.
    doc_timeout : float or None
        Seconds a document (or a piece of a long one) may take before it is stopped and listed
        as failed; None for no limit.
    """

    to_simplified: bool = False
    max_chars: int | None = None
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT


# --------------------------------------------------------------------------- documents


def analyze_record(nlp, rec: Record, options: Options = Options()) -> Outcome:
    """Analyse one record; return ``(id, rows, None)`` or ``(id, None, error message)``.

    Examples
    --------
    >>> import qidu_nlp
    >>> from qidu_nlp.corpus.ingest import make_record
    >>> nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure"])
    >>> rid, rows, err = analyze_record(nlp, make_record("a", "各位代表：\\n聚焦城市愿景。"))
    >>> rid, rows["document"]["sentences"], rows["document"]["script"], err
    ('a', 2, 'simplified', None)
    """
    try:
        text, script, converted, limit = prepare(rec, options, nlp.max_length)
        if len(text) > limit:
            doc = pipe_long(nlp, text, max_chars=limit, timeout=options.doc_timeout)
            return _finish(doc, rec, script, converted)
        with time_limit(options.doc_timeout):
            return _finish(nlp(text), rec, script, converted)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a corpus run
        return _failure(rec, exc, options)


def analyze_records(nlp, records: list[Record], options: Options = Options()) -> list[Outcome]:
    """Analyse a batch of records through ``nlp.pipe``; outcomes in the records' order.

    A document longer than the piece limit goes alone through :mod:`qidu_nlp.corpus.longdocs`. When
    a component raises inside the pipe, the pipe cannot go on: that document and the rest of
    the batch are analysed one by one (:func:`analyze_record`), so the bad one fails alone and
    the others come out as they would have. A document that runs out of time fails alone and
    the pipe starts again with the next one.

    Examples
    --------
    >>> import qidu_nlp
    >>> from qidu_nlp.corpus.ingest import make_record
    >>> nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure"])
    >>> out = analyze_records(nlp, [make_record("a", "各位代表："), make_record("b", "一。二。")])
    >>> [(rid, rows["document"]["sentences"]) for rid, rows, _ in out]
    [('a', 1), ('b', 2)]
    """
    out: list[Outcome | None] = [None] * len(records)
    queue = []  # (position, text, script, converted) of the documents for the pipe
    for i, rec in enumerate(records):
        try:
            text, script, converted, limit = prepare(rec, options, nlp.max_length)
        except Exception as exc:  # noqa: BLE001
            out[i] = _failure(rec, exc, options)
            continue
        if len(text) > limit:
            out[i] = analyze_record(nlp, rec, options)
        else:
            queue.append((i, text, script, converted))
    while queue:
        queue = _pipe(nlp, records, queue, out, options)
    return out  # type: ignore[return-value]


def _pipe(nlp, records: list[Record], queue: list[tuple], out: list, options: Options) -> list[tuple]:
    """Send ``queue`` through one ``nlp.pipe``; return what is left when a document ran out of time."""
    docs = iter(nlp.pipe(text for _, text, _, _ in queue))
    for done, (i, _, script, converted) in enumerate(queue):
        outcome, usable = _next_outcome(docs, records[i], script, converted, options)
        if outcome is None:  # a component raised inside the pipe: the rest one by one
            for j, *_ in queue[done:]:
                out[j] = analyze_record(nlp, records[j], options)
            return []
        out[i] = outcome
        if not usable:  # out of time inside the pipe: a new pipe for the rest
            return queue[done + 1:]
    return []


def _next_outcome(docs, rec: Record, script: str, converted: bool, options: Options) -> tuple:
    """The next Doc of the pipe made into rows, within the time budget: ``(outcome, pipe usable)``,
    with outcome None when the pipe itself raised."""
    try:
        with time_limit(options.doc_timeout):
            try:
                doc = next(docs)
            except DocumentTimeout:
                raise
            except Exception:  # noqa: BLE001 - a component raised inside the pipe
                return None, False
            try:
                return _finish(doc, rec, script, converted), True
            except DocumentTimeout:
                raise
            except Exception as exc:  # noqa: BLE001
                return _failure(rec, exc, options), True
    except DocumentTimeout as exc:
        return _failure(rec, exc, options), False


def analyze_task(nlp, items: list, options: Options = Options()) -> list:
    """A task of a scheduled run (:mod:`qidu_nlp.corpus.schedule`): its records through one
    ``nlp.pipe`` (:func:`analyze_records`), its pieces one by one (:func:`analyze_piece`);
    results in the items' order."""
    records = [(i, it) for i, it in enumerate(items) if isinstance(it, Record)]
    out: list = [None] * len(items)
    for (i, _), outcome in zip(records, analyze_records(nlp, [r for _, r in records], options)):
        out[i] = outcome
    for i, item in enumerate(items):
        if isinstance(item, Piece):
            out[i] = analyze_piece(nlp, item, options)
    return out


def count_outcomes(items: list, outcomes: list, seqs: list, count_kwargs: dict | None = None):
    """The co-occurrence counts (:class:`qidu_nlp.graph.Counts`) of a task's finished records,
    ``seqs`` being their corpus positions (None for a piece: a long document is counted once
    merged). What a worker sends back with its rows, so the parent only adds counts up."""
    rows = [r for item, outcome in zip(items, outcomes) if isinstance(item, Record) and outcome[1]
            for r in outcome[1]["mentions"]]
    doc_seq = {item.id: seq for item, seq in zip(items, seqs) if seq is not None and isinstance(item, Record)}
    return count(to_frame(rows), doc_seq=doc_seq, **(count_kwargs or {}))


def analyze_piece(nlp, piece: Piece, options: Options = Options()) -> tuple:
    """Analyse one piece of a long document: ``(id, index, Doc bytes, None)`` or ``(id, index, None, error)``."""
    try:
        with time_limit(options.doc_timeout):
            return piece.id, piece.index, nlp(piece.text).to_bytes(exclude=["tensor"]), None
    except Exception as exc:  # noqa: BLE001 - the document fails, the run goes on
        reason = Errors.Q015.format(seconds=options.doc_timeout) if isinstance(exc, DocumentTimeout) \
            else f"{type(exc).__name__}: {exc}"
        logger.error("piece %d of document %s failed: %s", piece.index + 1, piece.id, reason)
        return piece.id, piece.index, None, f"piece {piece.index + 1} of {piece.count} " \
            f"(characters {piece.start}-{piece.end}): {reason}"


def merge_outcome(vocab, rec: Record, prepared: tuple, parts: list[tuple]) -> Outcome:
    """The outcome of a long document from the outcomes of its pieces (:func:`analyze_piece`).

    ``prepared`` is :func:`prepare`'s ``(text, script, converted, limit)``. The pieces' Docs are
    merged as :func:`qidu_nlp.corpus.longdocs.pipe_long` merges them, so the rows are those of
    a one-process run.
    """
    failed = [err for _, _, _, err in parts if err is not None]
    if failed:
        return rec.id, None, failed[0]
    text, script, converted, limit = prepared
    try:
        docs = [Doc(vocab).from_bytes(data) for _, _, data, _ in sorted(parts, key=lambda p: p[1])]
        return _finish(merge_pieces(docs, chunk_offsets(text, limit), text), rec, script, converted)
    except Exception as exc:  # noqa: BLE001
        return _failure(rec, exc, Options())


def prepare(rec: Record, options: Options, max_length: int) -> tuple[str, str, bool, int]:
    """The text to analyse (folded to simplified if asked), its script, whether it was folded,
    and the length above which it is analysed in pieces (``max_length``: the pipeline's)."""
    text = rec.text
    script = detect_script(text)
    converted = options.to_simplified and script in ("traditional", "mixed")
    if converted:
        text = to_simplified(text)
    return text, script, converted, options.max_chars or min(max_length, DEFAULT_MAX_CHARS)


def _finish(doc, rec: Record, script: str, converted: bool) -> Outcome:
    doc._.qidu.meta = {**rec.meta, "id": rec.id}
    rows = analyze_doc(doc)
    rows["document"]["script"] = script
    if converted:
        _restore_original(rows, rec.text)
    return rec.id, rows, None


def _failure(rec: Record, exc: Exception, options: Options) -> Outcome:
    if isinstance(exc, DocumentTimeout):
        reason = Errors.Q015.format(seconds=options.doc_timeout)
        logger.error("document %s: %s", rec.id, reason)
        return rec.id, None, reason
    logger.error("document %s failed", rec.id, exc_info=exc)
    return rec.id, None, f"{type(exc).__name__}: {exc}"


def _restore_original(rows: dict, original: str) -> None:
    for row in rows["mentions"]:
        s, e = row.get("start"), row.get("end")
        if isinstance(s, int) and isinstance(e, int):
            row["text"] = original[s:e]
    rows["document"]["converted"] = "t2s"
