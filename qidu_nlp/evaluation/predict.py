"""qidu_nlp.evaluation.predict: any detector's predictions in the gold schema (``qidu predict``).

A detector is the qidu pipeline (default), any spaCy ``Language`` whose docs carry
``doc.spans["slogans"]``, ``doc.ents``, ``doc.spans["quantities"]``, or a plain callable
``text -> list of span dicts``; :func:`load_detector` imports one named ``module:function``.

Examples
--------
>>> recs = [{"id": "x", "text": "围绕“1221”工作体系"}]
>>> predict(recs, detector=lambda t: [(3, 7, "SLOGAN")])[0]["spans"]
[{'start': 3, 'end': 7, 'label': 'SLOGAN'}]
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional, Union

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import InputError
from ..files import atomic_write
from ..pipeline.extensions import get_span_attrs
from ..pipeline.loader import load
from ..schema import QUANTITIES_KEY, SLOGANS_KEY
from .gold import PathLike, _is_number, read_texts
from .scorer import sort_key

__all__ = ["predict", "predict_file", "doc_to_spans", "write_jsonl", "load_detector", "Detector"]

logger = logging.getLogger("qidu_nlp")

Detector = Union[Language, Callable[[str], object], None]


def _clean(value):
    """Plain JSON-able data (numpy scalars and tuples folded)."""
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value




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
    >>> from qidu_nlp.pipeline.spans import write_spans
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
    return sorted(out, key=sort_key)


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
    return sorted(out, key=sort_key)



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
        None loads the qidu pipeline (:func:`qidu_nlp.pipeline.load`); a spaCy ``Language`` is run with
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
    """
    records = list(records)
    keep = set(labels) if labels else None
    if detector is None:
        detector = load()
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
    >>> f = load_detector("qidu_nlp.evaluation.baselines:quotes_baseline")
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
