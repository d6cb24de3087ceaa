"""qidu_nlp.evaluation: gold files, the scorer, ``qidu predict`` and ``qidu bench``.

The gold schema (``corpora/annotations/GUIDE.md``) is JSONL, one document a line::

    {"id": "…", "text": "…", "meta": {…},
     "spans": [{"start": 3, "end": 7, "label": "SLOGAN", "kind": "motto"},
               {"start": 9, "end": 15, "label": "QUANTITY", "value": 143000000.0, "unit": "元"}]}

Predictions are written in exactly that schema, so any scorer can read them, and
:func:`score` reads any two lists of such records. Scores per label:

- strict: a predicted span counts when a gold span has the same label and the same offsets;
- overlap: the two spans share at least one character and have the same label, matched one to
  one, greedily by largest overlap;
- kind accuracy (SLOGAN) and value and unit accuracy (QUANTITY) among the strict matches.

A detector is the qidu pipeline (default), any spaCy ``Language`` whose docs carry
``doc.spans["slogans"]``, ``doc.ents``, ``doc.spans["quantities"]``, or a plain callable
``text -> list of span dicts``.

Examples
--------
>>> gold = [{"id": "a", "text": "聚焦“强富美优”城市愿景", "spans": [
...     {"start": 3, "end": 7, "label": "SLOGAN", "kind": "motto"}]}]
>>> pred = predict(gold, detector=lambda text: [{"start": 2, "end": 8, "label": "SLOGAN", "kind": "motto"}])
>>> s = score(gold, pred)
>>> s["labels"]["SLOGAN"]["strict"]["f1"], s["labels"]["SLOGAN"]["overlap"]["f1"]
(0.0, 1.0)
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import math
import os
import platform
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional, Sequence, Union

from spacy.language import Language
from spacy.tokens import Doc

from .errors import InputError
from .extensions import get_span_attrs
from .structure import split_sentences

logger = logging.getLogger("qidu_nlp")

ENTITY_LABELS = ("VILLAGE", "PLACE", "ORG", "PROJECT", "PERSON", "EVENT", "DOC")
LABELS = ("SLOGAN", *ENTITY_LABELS, "QUANTITY")
SLOGAN_KINDS = ("numeric", "motto", "campaign", "formula")
VALUE_RTOL = 1e-6
WARM_UP = 200  # characters run through each system before it is timed
CONTEXT = 12  # characters either side of an error in its ``context`` string
SLOGANS_KEY = "slogans"
QUANTITIES_KEY = "quantities"

Detector = Union[Language, Callable[[str], object], None]
PathLike = Union[str, os.PathLike]

_REPO = Path(__file__).resolve().parents[1]
BUNDLED_GOLD = _REPO / "corpora" / "annotations" / "qidu_2024.jsonl"


# --- gold I/O ----------------------------------------------------------------------------------


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def check_span(span, text: str) -> Optional[str]:
    """Return why ``span`` is not a valid gold-schema span of ``text``, or None when it is.

    Examples
    --------
    >>> check_span({"start": 0, "end": 2, "label": "SLOGAN"}, "三农工作")
    "SLOGAN span (0, 2) has no 'kind' (one of numeric, motto, campaign, formula)"
    >>> check_span({"start": 0, "end": 2, "label": "QUANTITY", "value": 2.0, "unit": "个"}, "两个")
    """
    if not isinstance(span, Mapping):
        return f"a span is not an object: {span!r}"
    start, end, label = span.get("start"), span.get("end"), span.get("label")
    if not _is_int(start) or not _is_int(end):
        return f"span {dict(span)!r} needs integer 'start' and 'end'"
    if not isinstance(label, str) or not label:
        return f"span ({start}, {end}) has no string 'label'"
    if not 0 <= start < end <= len(text):
        return f"{label} span ({start}, {end}) lies outside the text of length {len(text)} or is empty"
    surface = text[start:end]
    if "\n" in surface:
        return f"{label} span ({start}, {end}) {surface!r} contains a line break"
    if surface[0].isspace() or surface[-1].isspace():
        return f"{label} span ({start}, {end}) {surface!r} starts or ends on whitespace"
    if label == "SLOGAN" and span.get("kind") not in SLOGAN_KINDS:
        return (
            f"SLOGAN span ({start}, {end}) has no 'kind' (one of {', '.join(SLOGAN_KINDS)})"
            if "kind" not in span
            else f"SLOGAN span ({start}, {end}) has kind {span['kind']!r}, not one of {', '.join(SLOGAN_KINDS)}"
        )
    if label == "QUANTITY":
        if not _is_number(span.get("value")):
            return f"QUANTITY span ({start}, {end}) {surface!r} needs a numeric 'value', got {span.get('value')!r}"
        if not isinstance(span.get("unit"), str):
            return f"QUANTITY span ({start}, {end}) {surface!r} needs a string 'unit' ('' for none)"
    return None


def _check_record(rec, *, need_spans: bool) -> Optional[str]:
    if not isinstance(rec, dict):
        return "the line is not a JSON object"
    if not isinstance(rec.get("id"), (str, int)) or isinstance(rec.get("id"), bool) or rec.get("id") == "":
        return "record has no 'id' (string)"
    if not isinstance(rec.get("text"), str):
        return "record has no string field 'text'"
    if not need_spans:
        return None
    spans = rec.get("spans")
    if not isinstance(spans, list):
        return "record has no 'spans' list"
    text = rec["text"]
    for sp in spans:
        reason = check_span(sp, text)
        if reason:
            return reason
    by_label: dict[str, list] = {}
    for sp in spans:
        by_label.setdefault(sp["label"], []).append((sp["start"], sp["end"]))
    for label, offs in by_label.items():
        offs.sort()
        for (s1, e1), (s2, e2) in zip(offs, offs[1:]):
            if s2 < e1:
                return f"two {label} spans overlap: ({s1}, {e1}) and ({s2}, {e2})"
    return None


def _read_jsonl(path: PathLike, *, need_spans: bool) -> list[dict]:
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "file does not exist")
    records = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})") from None
            reason = _check_record(rec, need_spans=need_spans)
            if reason:
                raise InputError(where, reason)
            rid = str(rec["id"])
            if rid in seen:
                raise InputError(where, f"id {rid!r} already used on line {seen[rid]}")
            seen[rid] = n
            records.append(rec)
    return records


def load_gold(path: PathLike) -> list[dict]:
    """Read and validate a gold-schema JSONL file.

    Every non-blank line must be a JSON object with an ``id``, a ``text`` and a ``spans`` list;
    every span needs integer ``start < end`` inside the text, a ``label``, no line break and no
    whitespace at either end; SLOGAN needs a ``kind`` (numeric, motto, campaign, formula) and
    QUANTITY a numeric ``value`` and a string ``unit``; spans of one label never overlap and ids
    are unique.

    Parameters
    ----------
    path : str or Path
        The JSONL file.

    Returns
    -------
    list of dict
        The records, as read.

    Raises
    ------
    InputError
        On the first bad line, with source ``"PATH:LINE"`` and the reason.

    Examples
    --------
    >>> import tempfile, os
    >>> fd, p = tempfile.mkstemp(suffix=".jsonl"); os.close(fd)
    >>> _ = open(p, "w", encoding="utf-8").write('{"id": "a", "text": "三农", "spans": []}\\n{"id": "b"}\\n')
    >>> try:
    ...     load_gold(p)
    ... except InputError as exc:
    ...     print(exc.source.endswith(":2"), exc.reason)
    True record has no string field 'text'
    """
    return _read_jsonl(path, need_spans=True)


def read_texts(path: PathLike) -> list[dict]:
    """Read a JSONL file of records with ``id`` and ``text`` (spans, if any, are not checked).

    Raises
    ------
    InputError
        On the first bad line, with source ``"PATH:LINE"``.
    """
    return _read_jsonl(path, need_spans=False)


def default_gold_paths() -> list[Path]:
    """The gold files ``qidu bench`` scores when none are given.

    The bundled report's gold (``corpora/annotations/qidu_2024.jsonl``, in a source checkout) and
    the shared development set (``$QIDU_SHARED/corpora/local_dev/gold.jsonl``, default
    ``../shared`` next to the checkout), each when present.

    Raises
    ------
    InputError
        When neither exists.
    """
    shared = Path(os.environ.get("QIDU_SHARED", _REPO.parent / "shared"))
    paths = [p for p in (BUNDLED_GOLD, shared / "corpora" / "local_dev" / "gold.jsonl") if p.is_file()]
    if not paths:
        raise InputError("qidu bench", "no gold files given and no bundled gold found; pass GOLD.jsonl paths")
    return paths


# --- predictions ---------------------------------------------------------------------------------


def _clean(value):
    """Plain JSON-able data (numpy scalars and tuples folded)."""
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def _sort_key(span: Mapping):
    label = span["label"]
    return (span["start"], span["end"], LABELS.index(label) if label in LABELS else len(LABELS), label)


def _gold_span(label: str, start: int, end: int, attrs: Mapping) -> dict:
    out = {"start": int(start), "end": int(end), "label": label}
    if label == "SLOGAN":
        out["kind"] = attrs.get("kind")
    elif label == "QUANTITY":
        value = attrs.get("value")
        out["value"] = float(value) if _is_number(value) else None
        unit = attrs.get("unit")
        out["unit"] = unit if isinstance(unit, str) else ("" if unit is None else str(unit))
    return out


def doc_to_spans(doc: Doc, labels: Optional[Iterable[str]] = None) -> list[dict]:
    """Turn a Doc from the qidu pipeline into gold-schema spans, sorted by offset.

    ``doc.spans["slogans"]`` gives SLOGAN spans with ``kind``, ``doc.ents`` the entities, and
    ``doc.spans["quantities"]`` QUANTITY spans with ``value`` and ``unit``.

    Parameters
    ----------
    doc : Doc
        A processed document.
    labels : iterable of str, optional
        Keep only these labels.

    Examples
    --------
    >>> import spacy
    >>> from qidu_nlp.spans import write_spans
    >>> doc = spacy.blank("zh")("聚焦“强富美优”城市愿景")
    >>> _ = write_spans(doc, "slogans", [{"start": 3, "end": 7, "label": "SLOGAN", "kind": "motto"}])
    >>> doc_to_spans(doc)
    [{'start': 3, 'end': 7, 'label': 'SLOGAN', 'kind': 'motto'}]
    """
    keep = set(labels) if labels else None
    out = []
    groups = (
        (doc.spans[SLOGANS_KEY] if SLOGANS_KEY in doc.spans else [], "SLOGAN"),
        (doc.ents, None),
        (doc.spans[QUANTITIES_KEY] if QUANTITIES_KEY in doc.spans else [], "QUANTITY"),
    )
    for spans, default in groups:
        for span in spans:
            label = span.label_ or default
            if default and span.label_ and span.label_ != default:
                label = default  # the group decides the layer
            if keep is not None and label not in keep:
                continue
            attrs = get_span_attrs(doc, span.label_, span.start_char, span.end_char)
            out.append(_gold_span(label, span.start_char, span.end_char, attrs))
    return sorted(out, key=_sort_key)


def _callable_spans(result, text: str, labels: Optional[set]) -> list[dict]:
    if isinstance(result, Doc):
        return doc_to_spans(result, labels)
    out = []
    for item in result or []:
        if isinstance(item, Mapping):
            sp = dict(item)
        elif isinstance(item, (tuple, list)) and len(item) >= 3:
            sp = {"start": item[0], "end": item[1], "label": item[2]}
        else:
            raise TypeError(f"a detector returned {item!r}; expected a dict with start, end, label")
        if labels is not None and sp.get("label") not in labels:
            continue
        start, end = int(sp["start"]), int(sp["end"])
        if not 0 <= start < end <= len(text):
            logger.warning("detector span %r outside the text (length %d): dropped", sp, len(text))
            continue
        extra = {k: _clean(v) for k, v in sp.items() if k not in ("start", "end", "label")}
        out.append({"start": start, "end": end, "label": str(sp["label"]), **extra})
    return sorted(out, key=_sort_key)


def _load_default() -> Language:
    from .loader import load

    return load()


def predict(
    records: Iterable[Mapping],
    *,
    detector: Detector = None,
    labels: Optional[Iterable[str]] = None,
    batch_size: int = 16,
) -> list[dict]:
    """Run a detector over records and return predictions in the gold schema.

    Parameters
    ----------
    records : iterable of mapping
        Each with ``id`` and ``text`` (anything else but ``meta`` is ignored).
    detector : Language, callable or None
        None loads the qidu pipeline (:func:`qidu_nlp.load`); a spaCy ``Language`` is run with
        ``nlp.pipe``; a callable gets one text and returns a list of span dicts
        (``start``, ``end``, ``label`` and optional ``kind``/``value``/``unit``), of
        ``(start, end, label)`` tuples, or a spaCy Doc.
    labels : iterable of str, optional
        Keep only these labels.
    batch_size : int
        Batch size for ``nlp.pipe``.

    Returns
    -------
    list of dict
        ``{"id", "text", "spans"}`` (and ``meta`` when the input had it), in input order.

    Examples
    --------
    >>> recs = [{"id": "x", "text": "围绕“1221”工作体系"}]
    >>> predict(recs, detector=lambda t: [(3, 7, "SLOGAN")])[0]["spans"]
    [{'start': 3, 'end': 7, 'label': 'SLOGAN'}]
    """
    records = list(records)
    keep = set(labels) if labels else None
    if detector is None:
        detector = _load_default()
    texts = [rec["text"] for rec in records]
    if isinstance(detector, Language):
        all_spans = [doc_to_spans(doc, keep) for doc in detector.pipe(texts, batch_size=batch_size)]
    elif callable(detector):
        all_spans = [_callable_spans(detector(text), text, keep) for text in texts]
    else:
        raise TypeError(f"detector must be a spaCy Language or a callable, not {type(detector).__name__}")
    out = []
    for rec, spans in zip(records, all_spans):
        pred = {"id": rec["id"], "text": rec["text"]}
        if "meta" in rec:
            pred["meta"] = rec["meta"]
        pred["spans"] = spans
        out.append(pred)
    return out


def write_jsonl(records: Iterable[Mapping], path: PathLike) -> int:
    """Write records as UTF-8 JSONL atomically (temp file in the same folder, then os.replace)."""
    from .corpus import atomic_write

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = [0]

    def write(fh) -> None:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            count[0] += 1

    atomic_write(path, write, text=True)
    return count[0]


def predict_file(
    in_path: PathLike,
    out_path: PathLike,
    *,
    labels: Optional[Iterable[str]] = None,
    detector: Detector = None,
) -> int:
    """``qidu predict``: read ``id``/``text`` records, write predictions in the gold schema.

    Parameters
    ----------
    in_path : str or Path
        A JSONL file in the gold schema (only ``id``, ``text`` and ``meta`` are read).
    out_path : str or Path
        Where to write; written atomically (a temp file, then ``os.replace``).
    labels, detector
        As in :func:`predict`.

    Returns
    -------
    int
        The number of documents written.

    Raises
    ------
    InputError
        When a line of ``in_path`` is not a JSON object with ``id`` and ``text``.
    """
    records = read_texts(in_path)
    return write_jsonl(predict(records, detector=detector, labels=labels), out_path)


# --- scoring -------------------------------------------------------------------------------------


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "precision": p, "recall": r, "f1": f}


def values_equal(a, b, rtol: float = VALUE_RTOL) -> bool:
    """Equal within ``rtol`` relative tolerance (exactly equal for zero).

    Examples
    --------
    >>> values_equal(143000000, 143000000.00001), values_equal(34, 3.4)
    (True, False)
    """
    if not _is_number(a) or not _is_number(b):
        return False
    return abs(a - b) <= rtol * max(abs(a), abs(b))


def match_strict(gold: Sequence[Mapping], pred: Sequence[Mapping]) -> list[tuple[int, int]]:
    """Pairs ``(gold index, pred index)`` with the same label and offsets, one to one."""
    free: dict[tuple, list[int]] = {}
    for gi, g in enumerate(gold):
        free.setdefault((g["start"], g["end"], g["label"]), []).append(gi)
    pairs = []
    for pi, p in enumerate(pred):
        slot = free.get((p["start"], p["end"], p["label"]))
        if slot:
            pairs.append((slot.pop(0), pi))
    return pairs


def match_overlap(gold: Sequence[Mapping], pred: Sequence[Mapping]) -> list[tuple[int, int]]:
    """Pairs ``(gold index, pred index)`` of same-label spans sharing a character, one to one.

    Candidate pairs are taken greedily by largest overlap (ties: the closer boundaries, then
    the earlier span).

    Examples
    --------
    >>> g = [{"start": 0, "end": 4, "label": "X"}, {"start": 4, "end": 6, "label": "X"}]
    >>> p = [{"start": 0, "end": 6, "label": "X"}]
    >>> match_overlap(g, p)
    [(0, 0)]
    """
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g["label"] != p["label"]:
                continue
            ov = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if ov > 0:
                dist = abs(g["start"] - p["start"]) + abs(g["end"] - p["end"])
                cands.append((-ov, dist, gi, pi))
    cands.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def _sentence_of(sents: list[tuple[int, int]], text: str, start: int, end: int) -> str:
    first = next((i for i, (s, e) in enumerate(sents) if s <= start < e), None)
    if first is None:
        lo = text.rfind("\n", 0, start) + 1
        hi = text.find("\n", end)
        return text[lo : hi if hi != -1 else len(text)].strip()
    last = first
    while last + 1 < len(sents) and sents[last][1] < end:
        last += 1
    return text[sents[first][0] : sents[last][1]]


def _describe(span: Mapping, text: str, sents) -> dict:
    out = {k: span[k] for k in ("start", "end", "label")}
    for k in ("kind", "value", "unit"):
        if k in span:
            out[k] = span[k]
    start, end = span["start"], span["end"]
    out["text"] = text[start:end]
    out["sentence"] = _sentence_of(sents, text, start, end)
    lo = max(text.rfind("\n", 0, start) + 1, start - CONTEXT)
    hi = text.find("\n", end)
    hi = min(hi if hi != -1 else len(text), end + CONTEXT)
    out["context"] = f"{text[lo:start]}[{text[start:end]}]{text[end:hi]}"
    return out


def score(
    gold_records: Iterable[Mapping],
    pred_records: Iterable[Mapping],
    *,
    labels: Optional[Iterable[str]] = None,
) -> dict:
    """Score predictions against gold, per label and in total.

    Documents are paired by ``id``; a gold document without predictions counts all its spans
    as missed; a predicted document not in the gold is ignored (logged).

    Parameters
    ----------
    gold_records, pred_records : iterable of mapping
        Gold-schema records (``id``, ``text``, ``spans``).
    labels : iterable of str, optional
        Score only these labels (default: every label in the gold or the predictions).

    Returns
    -------
    dict
        ``labels``: per label ``gold``, ``pred`` counts and ``strict``/``overlap`` dicts of
        ``tp``, ``precision``, ``recall``, ``f1``; ``micro``: the same over all labels;
        ``slogan_kind``: ``n``, ``correct``, ``accuracy`` over strict SLOGAN matches (and
        ``by_kind``: strict recall per gold kind); ``quantity_value`` and ``quantity_unit``: the
        same over strict QUANTITY matches; ``documents``: per document ``id``,
        ``false_positives``, ``false_negatives`` (strict, each with ``text``, ``sentence`` and
        ``overlaps``: True when an overlap match exists) and ``attribute_errors`` (strict
        matches with a wrong kind, value or unit); ``n_docs``, ``chars``.

    Raises
    ------
    ValueError
        When a predicted document has the same id as a gold one but a different text.

    Examples
    --------
    >>> g = [{"id": "a", "text": "打好三大攻坚战", "spans": [{"start": 2, "end": 7, "label": "SLOGAN", "kind": "numeric"}]}]
    >>> s = score(g, g)
    >>> s["micro"]["strict"]["f1"], s["slogan_kind"]["accuracy"]
    (1.0, 1.0)
    """
    gold_records = list(gold_records)
    preds = {str(r["id"]): r for r in pred_records}
    gold_ids = {str(r["id"]) for r in gold_records}
    extra = sorted(set(preds) - gold_ids)
    if extra:
        logger.warning("%d predicted documents have no gold and are ignored: %s", len(extra), extra[:5])
    if labels:
        label_list = list(dict.fromkeys(labels))
    else:
        seen = {sp["label"] for r in gold_records for sp in r.get("spans", [])}
        seen |= {sp["label"] for rid in gold_ids if rid in preds for sp in preds[rid].get("spans", [])}
        label_list = [lab for lab in LABELS if lab in seen] + sorted(seen - set(LABELS))
    keep = set(label_list)
    counts = {lab: {"gold": 0, "pred": 0, "strict": 0, "overlap": 0} for lab in label_list}
    kind = {"n": 0, "correct": 0}
    by_kind: dict[str, dict] = {}
    value = {"n": 0, "correct": 0}
    unit = {"n": 0, "correct": 0}
    documents = []
    chars = 0
    for grec in gold_records:
        rid, text = str(grec["id"]), grec["text"]
        chars += len(text)
        prec = preds.get(rid)
        if prec is not None and prec.get("text", text) != text:
            raise ValueError(f"document {rid!r}: the predicted text differs from the gold text")
        gold = sorted((sp for sp in grec.get("spans", []) if sp["label"] in keep), key=_sort_key)
        pred = sorted((sp for sp in (prec or {}).get("spans", []) if sp["label"] in keep), key=_sort_key)
        strict = match_strict(gold, pred)
        overlap = match_overlap(gold, pred)
        for sp in gold:
            counts[sp["label"]]["gold"] += 1
            if sp["label"] == "SLOGAN":
                by_kind.setdefault(str(sp.get("kind")), {"gold": 0, "found": 0})["gold"] += 1
        for sp in pred:
            counts[sp["label"]]["pred"] += 1
        for gi, _ in overlap:
            counts[gold[gi]["label"]]["overlap"] += 1
        sents = split_sentences(text)
        attr_errors = []
        for gi, pi in strict:
            g, p = gold[gi], pred[pi]
            counts[g["label"]]["strict"] += 1
            wrong = []
            if g["label"] == "SLOGAN":
                by_kind.setdefault(str(g.get("kind")), {"gold": 0, "found": 0})["found"] += 1
                kind["n"] += 1
                if p.get("kind") == g.get("kind"):
                    kind["correct"] += 1
                else:
                    wrong.append(f"kind {p.get('kind')!r} ≠ {g.get('kind')!r}")
            elif g["label"] == "QUANTITY":
                value["n"] += 1
                unit["n"] += 1
                if values_equal(p.get("value"), g.get("value")):
                    value["correct"] += 1
                else:
                    wrong.append(f"value {p.get('value')!r} ≠ {g.get('value')!r}")
                if (p.get("unit") or "") == (g.get("unit") or ""):
                    unit["correct"] += 1
                else:
                    wrong.append(f"unit {p.get('unit')!r} ≠ {g.get('unit')!r}")
            if wrong:
                attr_errors.append({**_describe(g, text, sents), "error": "; ".join(wrong)})
        g_strict = {gi for gi, _ in strict}
        p_strict = {pi for _, pi in strict}
        g_over = {gi for gi, _ in overlap}
        p_over = {pi for _, pi in overlap}
        fps = [
            {**_describe(sp, text, sents), "overlaps": pi in p_over}
            for pi, sp in enumerate(pred)
            if pi not in p_strict
        ]
        fns = [
            {**_describe(sp, text, sents), "overlaps": gi in g_over}
            for gi, sp in enumerate(gold)
            if gi not in g_strict
        ]
        documents.append(
            {"id": rid, "false_positives": fps, "false_negatives": fns, "attribute_errors": attr_errors}
        )

    def acc(d):
        return {**d, "accuracy": d["correct"] / d["n"] if d["n"] else None}

    per_label = {
        lab: {
            "gold": c["gold"],
            "pred": c["pred"],
            "strict": _prf(c["strict"], c["pred"], c["gold"]),
            "overlap": _prf(c["overlap"], c["pred"], c["gold"]),
        }
        for lab, c in counts.items()
    }
    tot = {k: sum(c[k] for c in counts.values()) for k in ("gold", "pred", "strict", "overlap")}
    return {
        "labels": per_label,
        "micro": {
            "gold": tot["gold"],
            "pred": tot["pred"],
            "strict": _prf(tot["strict"], tot["pred"], tot["gold"]),
            "overlap": _prf(tot["overlap"], tot["pred"], tot["gold"]),
        },
        "slogan_kind": {
            **acc(kind),
            "by_kind": {
                k: {**v, "recall": v["found"] / v["gold"] if v["gold"] else None}
                for k, v in sorted(by_kind.items())
            },
        },
        "quantity_value": acc(value),
        "quantity_unit": acc(unit),
        "documents": documents,
        "n_docs": len(gold_records),
        "chars": chars,
    }


# --- plug-in detectors ---------------------------------------------------------------------------


def _required_positional(func) -> int:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return 1
    return sum(
        1
        for p in sig.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    )


def load_detector(spec: str) -> Union[Language, Callable[[str], object]]:
    """Import a detector named ``"module:attribute"`` (``qidu bench --detector``).

    The attribute may be:

    - a spaCy ``Language`` object: used as it is;
    - a function of one argument (the text) returning a list of span dicts
      (``start``, ``end``, ``label``, and ``kind``/``value``/``unit`` where they apply): used as
      the detector;
    - a function of no arguments: called once; it must return a spaCy ``Language`` (for example
      ``spacy.load(...)`` of the researcher's pipeline) or a text → spans callable.

    Parameters
    ----------
    spec : str
        ``"package.module:name"``; the module must be importable (on ``sys.path`` or installed).

    Raises
    ------
    InputError
        When the spec is malformed, the module or attribute is missing, or it is not usable.

    Examples
    --------
    >>> f = load_detector("qidu_nlp.baselines:quotes_baseline")
    >>> f("实施“春风行动”")[0]["kind"]
    'campaign'
    """
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise InputError(spec, "a detector is named 'module:function' (e.g. mypkg.detect:find_spans)")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError(spec, f"cannot import module {module_name!r} ({exc})") from None
    obj = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise InputError(spec, f"module {module_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if isinstance(obj, Language):
        return obj
    if not callable(obj):
        raise InputError(spec, f"{attr!r} is neither a spaCy Language nor a function")
    if _required_positional(obj) == 0:
        made = obj()
        if isinstance(made, Language) or callable(made):
            return made
        raise InputError(spec, f"{attr}() returned {type(made).__name__}, not a spaCy Language or a function")
    return obj


# --- bench ---------------------------------------------------------------------------------------


def _machine() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kb = int(fh.readline().split()[1])
        info["memory_gb"] = round(kb / 1024**2, 1)
    except (OSError, ValueError, IndexError):
        pass
    return info


def _commit() -> Optional[str]:
    try:
        out = subprocess.run(
            ["git", "-C", str(_REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    if not commit:
        return None
    try:  # uncommitted library changes make the measurement not reproducible from the commit
        dirty = subprocess.run(
            ["git", "-C", str(_REPO), "status", "--porcelain", "--", "qidu_nlp"],
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        dirty = ""
    return f"{commit}+dirty" if dirty else commit


def _scoped(records: list[dict], scope: Optional[Callable[[dict], bool]]) -> list[dict]:
    if scope is None:
        return records
    return [{**r, "spans": [sp for sp in r.get("spans", []) if scope(sp)]} for r in records]


@dataclass
class BenchReport:
    """The results of :func:`bench`.

    Attributes
    ----------
    results : dict
        Plain JSON-able data: ``date``, ``commit``, ``machine``, ``versions``, ``skipped`` (systems
        not run, with the reason) and ``gold``: per gold file its ``path``, ``n_docs``, ``chars``,
        ``n_spans`` and ``systems``, each with ``name``, ``description``, ``labels``,
        ``seconds``, ``chars_per_second`` and ``scores`` (:func:`score`).
    """

    results: dict = field(default_factory=dict)

    def markdown(
        self, *, max_errors: int = 12, errors: bool = True, systems: Optional[Iterable[str]] = None
    ) -> str:
        """A table per gold file (system × label: gold and predicted counts, strict P/R/F1,
        overlap F1, kind accuracy, value accuracy, chars/s), then a shortened list of the
        false positives and false negatives of the first system, per document.

        Parameters
        ----------
        max_errors : int
            Errors listed per document and per kind of error (the rest is counted).
        errors : bool
            List the errors at all (False: the tables only).
        systems : iterable of str, optional
            Only these systems in the tables.
        """
        only = set(systems) if systems else None
        lines = []
        for gold in self.results.get("gold", []):
            lines.append(
                f"### {gold['name']} ({gold['n_docs']} documents, {gold['chars']:,} characters, "
                f"{gold['n_spans']} gold spans)"
            )
            lines.append("")
            lines.append(
                "| system | label | gold | pred | strict P | strict R | strict F1 | overlap F1 "
                "| kind acc | value acc | chars/s |"
            )
            lines.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
            for sysres in gold["systems"]:
                if only is not None and sysres["name"] not in only:
                    continue
                sc = sysres["scores"]
                rows = list(sc["labels"].items())
                if len(rows) > 1:
                    rows.append(("all (micro)", sc["micro"]))
                for i, (lab, r) in enumerate(rows):
                    kind_acc = sc["slogan_kind"]["accuracy"] if lab == "SLOGAN" else None
                    value_acc = sc["quantity_value"]["accuracy"] if lab == "QUANTITY" else None
                    lines.append(
                        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                            f"**{sysres['name']}**" if i == 0 else "",
                            lab,
                            r["gold"],
                            r["pred"],
                            _f(r["strict"]["precision"]),
                            _f(r["strict"]["recall"]),
                            _f(r["strict"]["f1"]),
                            _f(r["overlap"]["f1"]),
                            _f(kind_acc),
                            _f(value_acc),
                            f"{sysres['chars_per_second']:,.0f}" if i == 0 else "",
                        )
                    )
            lines.append("")
            if errors and gold["systems"]:
                lines.extend(_error_lines(gold["systems"][0], max_errors))
        skipped = self.results.get("skipped", [])
        if skipped:
            lines.append("Not run: " + "; ".join(f"{s['name']} ({s['reason']})" for s in skipped))
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def to_json(self, path: PathLike) -> None:
        """Write :attr:`results` as indented UTF-8 JSON (atomically)."""
        from .corpus import atomic_write

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda fh: fh.write(json.dumps(self.results, ensure_ascii=False, indent=1) + "\n"), text=True)


def _f(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def _error_lines(sysres: dict, max_errors: int) -> list[str]:
    docs = sysres["scores"]["documents"]
    if not any(d["false_positives"] or d["false_negatives"] or d["attribute_errors"] for d in docs):
        return []
    out = [f"Errors of **{sysres['name']}** (strict; ~ = overlaps a span of the other side):", ""]
    for d in docs:
        parts = []
        for key, title in (("false_negatives", "missed"), ("false_positives", "spurious")):
            items = d[key]
            if not items:
                continue
            shown = [
                f"{'~' if it.get('overlaps') else ''}{it['label']} {it['context']}"
                for it in items[:max_errors]
            ]
            more = f" … and {len(items) - max_errors} more" if len(items) > max_errors else ""
            parts.append(f"  - {title} ({len(items)}): " + "; ".join(shown) + more)
        items = d["attribute_errors"]
        if items:
            shown = [f"{it['context']}: {it['error']}" for it in items[:max_errors]]
            more = f" … and {len(items) - max_errors} more" if len(items) > max_errors else ""
            parts.append(f"  - wrong attributes ({len(items)}): " + "; ".join(shown) + more)
        if parts:
            out.append(f"- `{d['id']}`")
            out.extend(parts)
    out.append("")
    return out


def _versions() -> dict:
    out = {}
    for name in ("qidu_nlp", "spacy", "spacy_pkuseg", "jieba", "jionlp"):
        try:
            from importlib.metadata import version

            out[name] = version(name.replace("_", "-") if name == "qidu_nlp" else name)
        except Exception:  # noqa: BLE001 - a missing optional package is simply not listed
            continue
    return out


def _run(name: str, description: str, detector, records, labels, scope=None) -> tuple[dict, list]:
    if records:  # warm up: lazy loading inside a detector is not throughput
        predict([{"id": "warm-up", "text": records[0]["text"][:WARM_UP]}], detector=detector, labels=labels)
    t0 = time.perf_counter()
    preds = predict(records, detector=detector, labels=labels)
    seconds = time.perf_counter() - t0
    chars = sum(len(r["text"]) for r in records)
    scores = score(_scoped(records, scope), _scoped(preds, scope), labels=labels)
    result = {
        "name": name,
        "description": description,
        "labels": list(labels) if labels else list(scores["labels"]),
        "seconds": seconds,
        "chars_per_second": chars / seconds if seconds > 0 else float("inf"),
        "scores": scores,
    }
    return result, preds


def bench(
    gold_paths: Iterable[PathLike],
    *,
    detector: Detector = None,
    baselines: bool = False,
    labels: Optional[Iterable[str]] = None,
) -> BenchReport:
    """Score a detector (default: the qidu pipeline) and optionally the baselines on gold files.

    Every system runs in this process on the same records; throughput is characters of input
    per second of prediction, measured after a short warm-up run (the pipeline's loading time
    is excluded and reported apart as ``load_seconds``).

    Parameters
    ----------
    gold_paths : iterable of path
        Gold-schema JSONL files (validated by :func:`load_gold`).
    detector : Language, callable or None
        As in :func:`predict`; None loads the qidu pipeline once.
    baselines : bool
        Also run :func:`qidu_nlp.baselines.available_baselines` (each scored on the labels it
        predicts; the jionlp money baseline on money quantities only, next to the detector's
        score on the same subset). Missing optional packages are skipped with a note.
    labels : iterable of str, optional
        Score only these labels.

    Returns
    -------
    BenchReport

    Examples
    --------
    >>> import json, os, tempfile
    >>> fd, p = tempfile.mkstemp(suffix=".jsonl"); os.close(fd)
    >>> rec = {"id": "a", "text": "开展“三提三争”活动", "spans": [{"start": 3, "end": 7, "label": "SLOGAN", "kind": "numeric"}]}
    >>> _ = open(p, "w", encoding="utf-8").write(json.dumps(rec, ensure_ascii=False) + "\\n")
    >>> from qidu_nlp.baselines import quotes_baseline
    >>> rep = bench([p], detector=quotes_baseline)
    >>> rep.results["gold"][0]["systems"][0]["scores"]["micro"]["strict"]["f1"]
    1.0
    """
    from . import baselines as _baselines

    labels = list(dict.fromkeys(labels)) if labels else None
    golds = [(Path(p), load_gold(p)) for p in gold_paths]
    load_seconds = None
    if detector is None:
        t0 = time.perf_counter()
        detector = _load_default()
        load_seconds = time.perf_counter() - t0
        main_name, main_desc = "qidu", "the qidu_nlp pipeline (qidu_nlp.load())"
    else:
        main_name = getattr(detector, "__name__", None) or type(detector).__name__
        main_desc = "detector under test"
        if isinstance(detector, Language):
            main_name, main_desc = "pipeline", f"spaCy pipeline {detector.pipe_names}"
    systems = []
    skipped = []
    if baselines:
        for b in _baselines.available_baselines():
            if b.detect is None:
                skipped.append({"name": b.name, "reason": b.note})
                continue
            scope = [lab for lab in b.labels if labels is None or lab in labels]
            if scope:
                systems.append(b)
    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": _machine(),
        "versions": _versions(),
        "load_seconds": load_seconds,
        "skipped": skipped,
        "gold": [],
    }
    for path, records in golds:
        entry = {
            "name": path.name if path.parent.name != "local_dev" else "local_dev/" + path.name,
            "path": str(path),
            "n_docs": len(records),
            "chars": sum(len(r["text"]) for r in records),
            "n_spans": sum(len(r["spans"]) for r in records),
            "systems": [],
        }
        main, main_preds = _run(main_name, main_desc, detector, records, labels)
        entry["systems"].append(main)
        for b in systems:
            scope_labels = [lab for lab in b.labels if labels is None or lab in labels]
            run, _ = _run(b.name, b.description, b.detect, records, scope_labels, b.scope)
            if b.scope is not None:
                # the detector on the same subset, rescored from the predictions already made
                entry["systems"].append(
                    {
                        **main,
                        "name": f"{main_name} ({b.name} scope)",
                        "description": f"{main_desc}, scored as {b.name} is: {b.description}",
                        "labels": scope_labels,
                        "scores": score(
                            _scoped(records, b.scope), _scoped(main_preds, b.scope), labels=scope_labels
                        ),
                    }
                )
            entry["systems"].append(run)
        results["gold"].append(entry)
    return BenchReport(results)
