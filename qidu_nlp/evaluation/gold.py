"""qidu_nlp.evaluation.gold: gold files in the annotation guide's schema, read and checked.

The gold schema (``ANNOTATION.md``, ``corpora/annotations/GUIDE.md``) is JSONL, one document a
line::

    {"id": "…", "text": "…", "meta": {…},
     "spans": [{"start": 3, "end": 7, "label": "SLOGAN", "kind": "motto"},
               {"start": 9, "end": 15, "label": "QUANTITY", "value": 143000000.0, "unit": "元"}]}

:func:`load_gold` reads and validates such a file; :func:`to_docbin` turns records into spaCy
Docs for ``nlp.evaluate`` and ``spacy evaluate``.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Iterable, Mapping, Optional, Union

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..errors import InputError
from ..files import json_lines
from ..pipeline.spans import write_spans
from ..resources import data_folder
from ..schema import ENTITY_LABELS, ENTS_KEY, QUANTITIES_KEY, QUANTITY, SLOGAN, SLOGAN_KINDS, SLOGANS_KEY

__all__ = ["load_gold", "read_texts", "check_span", "sample_gold_path", "to_docs", "to_docbin", "split_of", "split_off_blind", "group_of", "PathLike"]

PathLike = Union[str, os.PathLike]


def sample_gold_path() -> Path:
    """The gold annotation of the bundled sample (``qidu_nlp/data/samples/qidu_2024.gold.jsonl``)."""
    return Path(str(data_folder("samples", "qidu_2024.gold.jsonl")))


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
    records = []
    seen: dict[str, str] = {}
    for where, rec in json_lines(path):
        reason = _check_record(rec, need_spans=need_spans)
        if reason:
            raise InputError(where, reason)
        rid = str(rec["id"])
        if rid in seen:
            raise InputError(where, f"id {rid!r} already used on line {seen[rid]}")
        seen[rid] = where.rsplit(":", 1)[1]
        records.append(rec)
    return records


def load_gold(path: PathLike, *, split: str | None = None) -> list[dict]:
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
    split : str, optional
        Only the records whose ``meta.split`` is this (``"train"``, ``"blind"``); records without
        a split count as ``"train"``.

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
    records = _read_jsonl(path, need_spans=True)
    if split is None:
        return records
    return [r for r in records if split_of(r) == split]


def read_texts(path: PathLike) -> list[dict]:
    """Read a JSONL file of records with ``id`` and ``text`` (spans, if any, are not checked).

    Raises
    ------
    InputError
        On the first bad line, with source ``"PATH:LINE"``.
    """
    return _read_jsonl(path, need_spans=False)



def to_docs(records: Iterable[Mapping], nlp: Language) -> list[Doc]:
    """Gold records as spaCy Docs, tokenised by ``nlp``'s tokenizer: the slogans in
    ``doc.spans["slogans"]`` and the quantities in ``doc.spans["quantities"]`` (with their kinds
    and values as ``span._.qidu`` attributes), the entities in ``doc.ents`` (the gold is flat).

    Examples
    --------
    >>> import spacy
    >>> rec = {"id": "a", "text": "聚焦“强富美优”城市愿景", "spans": [
    ...     {"start": 3, "end": 7, "label": "SLOGAN", "kind": "motto"}]}
    >>> doc = to_docs([rec], spacy.blank("zh"))[0]
    >>> [(s.text, s._.qidu.kind) for s in doc.spans["slogans"]]
    [('强富美优', 'motto')]
    """
    docs = []
    for rec in records:
        doc = nlp.make_doc(rec["text"])
        spans = rec.get("spans", [])
        layers = ((SLOGANS_KEY, [s for s in spans if s["label"] == SLOGAN]),
                  (QUANTITIES_KEY, [s for s in spans if s["label"] == QUANTITY]),
                  (ENTS_KEY, [s for s in spans if s["label"] in ENTITY_LABELS]))
        for key, items in layers:
            write_spans(doc, key, items)
        docs.append(doc)
    return docs


def to_docbin(records: Iterable[Mapping], nlp: Language, path: PathLike | None = None) -> DocBin:
    """Gold records as a ``DocBin`` (user data kept, so kinds and values travel), written to
    ``path`` when given: the input of ``spacy evaluate PIPELINE GOLD.spacy``."""
    docbin = DocBin(store_user_data=True, docs=to_docs(records, nlp))
    if path is not None:
        docbin.to_disk(path)
    return docbin


def split_of(record: Mapping) -> str:
    """A gold record's split: its ``meta.split`` (``"blind"``, ``"train"``), ``"train"`` when it has none.

    Examples
    --------
    >>> split_of({"id": "a", "meta": {"split": "blind"}}), split_of({"id": "b"})
    ('blind', 'train')
    """
    return (record.get("meta") or {}).get("split") or "train"


def split_off_blind(records: Iterable[dict]) -> tuple[list[dict], list[str]]:
    """The records that may be trained on, and the ids of those marked ``meta.split == "blind"``
    (scored once, by the benchmark, never trained or tuned on).

    Examples
    --------
    >>> split_off_blind([{"id": "a", "meta": {"split": "blind"}}, {"id": "b"}])
    ([{'id': 'b'}], ['a'])
    """
    keep, blind = [], []
    for rec in records:
        if split_of(rec) == "blind":
            blind.append(rec["id"])
        else:
            keep.append(rec)
    return keep, blind


_PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")


def group_of(record: dict) -> str:
    """The cross-validation group of a gold record: its province (``meta.province``, 甘肃省 and
    甘肃 alike), else its id.

    Examples
    --------
    >>> group_of({"id": "a", "meta": {"province": "宁夏回族自治区"}}), group_of({"id": "b"})
    ('宁夏', 'b')
    """
    meta = record.get("meta") or {}
    province = meta.get("province")
    return _PROVINCE_SUFFIX.sub("", str(province)) if province else str(record["id"])
