"""qidu_nlp.corpus.analyze: one document, or a batch of them, through the pipeline into plain rows.

What every engine runs on its side (in this process, in worker processes, on Dask workers):
:func:`analyze_records` sends a batch through ``nlp.pipe`` and returns, per document, its rows
(:func:`qidu_nlp.pipeline.rows.analyze_doc`) or the reason it failed; only rows travel between
processes, so the results are the same for any number of workers and any batch size.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..pipeline.rows import analyze_doc
from ..text.scripts import detect_script, to_simplified
from .ingest import Record
from .longdocs import DEFAULT_MAX_CHARS, pipe_long

__all__ = ["Options", "Outcome", "analyze_record", "analyze_records"]

logger = logging.getLogger("qidu_nlp")

Outcome = tuple[str, "dict | None", "str | None"]


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
    """

    to_simplified: bool = False
    max_chars: int | None = None


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
        text, script, converted, limit = _prepare(nlp, rec, options)
        doc = pipe_long(nlp, text, max_chars=limit) if len(text) > limit else nlp(text)
        return _finish(doc, rec, script, converted)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a corpus run
        return _failure(rec, exc)


def analyze_records(nlp, records: list[Record], options: Options = Options()) -> list[Outcome]:
    """Analyse a batch of records through ``nlp.pipe``; outcomes in the records' order.

    A document longer than the piece limit goes alone through :mod:`qidu_nlp.corpus.longdocs`. When
    a component raises inside the pipe, the pipe cannot go on: that document and the rest of
    the batch are analysed one by one (:func:`analyze_record`), so the bad one fails alone and
    the others come out as they would have.

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
    text = rec.text
    script = detect_script(text)
    converted = options.to_simplified and script in ("traditional", "mixed")
    if converted:
        text = to_simplified(text)
    return text, script, converted, options.max_chars or min(nlp.max_length, DEFAULT_MAX_CHARS)


def _finish(doc, rec: Record, script: str, converted: bool) -> Outcome:
    doc._.qidu.meta = {**rec.meta, "id": rec.id}
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
