"""qidu_nlp.mentions: from annotated Docs to the mention table (one row per mention).

The mention table is the hinge between spaCy and everything downstream (``mentions.csv``, the
slogan inventory, the co-occurrence graph): plain rows, no spaCy objects.
"""

from __future__ import annotations

import json
from typing import Iterable

import pandas as pd
from spacy.tokens import Doc, Span

from . import tables
from .extensions import get_span_attrs
from .structure import locate
from .text import doc_text, normalize, sentence_offsets, trim_span

COLUMNS = tables.columns("mentions")  # doc_id, year, paragraph, sentence, section, label, kind, text, norm,
#                                      start, end, value, unit, frame, score, parts, sentence_text
LAYERS = (("slogans", "SLOGAN"), ("ents", None), ("quantities", "QUANTITY"), ("themes", "THEME"))


def doc_year(doc: Doc) -> int | None:
    """The year a document refers to: ``meta["year"]``, else the year of ``meta["date"]``."""
    meta = doc._.meta or {}
    year = meta.get("year")
    if year in (None, "") and meta.get("date"):
        head = str(meta["date"])[:4]
        year = int(head) if head.isdigit() else None
    return int(year) if year not in (None, "") else None


def _spans(doc: Doc, key: str) -> Iterable[Span]:
    if key == "ents":
        return doc.ents
    return doc.spans[key] if key in doc.spans else ()


def from_doc(doc: Doc, *, doc_id: str | None = None) -> list[dict]:
    """Return the mention rows of one annotated Doc, in document order.

    Parameters
    ----------
    doc : Doc
        A Doc processed by the qidu pipeline.
    doc_id : str, optional
        Overrides ``doc._.meta["id"]``.

    Returns
    -------
    list of dict
        One dict per mention with the keys of :data:`COLUMNS`; ``start``/``end`` are character
        offsets into the original text. THEME rows carry the theme name as ``norm``.

    Examples
    --------
    >>> import qidu_nlp
    >>> nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure", "qidu_slogans"])
    >>> rows = from_doc(nlp("聚焦“强富美优”城市愿景。"), doc_id="d1")
    >>> [(r["label"], r["text"], r["sentence"]) for r in rows]
    [('SLOGAN', '强富美优', 0)]
    """
    meta = doc._.meta or {}
    did = doc_id if doc_id is not None else str(meta.get("id", ""))
    year = doc_year(doc)
    text = doc_text(doc)
    norm = normalize(text)  # artefacts and invisible characters count as space when trimming
    sents = sentence_offsets(doc) if doc.has_annotation("SENT_START") else [(0, len(text))]
    sections = doc._.sections or []
    paragraphs = [(s, e) for s, e, *_ in sections] or (doc._.paragraphs or [])
    paragraphs = [tuple(p) for p in paragraphs]
    sent_starts = [s for s, _ in sents]
    para_starts = [s for s, _ in paragraphs]
    rows = []
    for key, fixed_label in LAYERS:
        for span in _spans(doc, key):
            # offsets, label and the stored attributes read once per span: each ``span._.x``
            # and ``span.text`` rebuilds objects, and this loop runs over every mention
            start, end, label = span.start_char, span.end_char, span.label_
            attrs = get_span_attrs(doc, label, start, end)
            si = locate(sents, start, starts=sent_starts)
            pi = locate(paragraphs, start, starts=para_starts)
            s_start, s_end = sents[si] if si >= 0 else (start, end)
            surface = text[start:end]
            parts = attrs.get("parts")
            rows.append(
                {
                    "doc_id": did,
                    "year": year,
                    "paragraph": pi,
                    "sentence": si,
                    "section": sections[pi][2] if 0 <= pi < len(sections) else "",
                    "label": fixed_label or label,
                    "kind": attrs.get("kind"),
                    "text": surface,
                    "norm": label if key == "themes" else (attrs.get("norm") or surface),
                    "start": start,
                    "end": end,
                    "value": attrs.get("value"),
                    "unit": attrs.get("unit"),
                    "frame": attrs.get("frame"),
                    "score": attrs.get("score"),
                    "parts": json.dumps(parts, ensure_ascii=False) if parts else "",
                    "sentence_text": text[slice(*trim_span(norm, s_start, s_end))],
                }
            )
    rows.sort(key=lambda r: (r["start"], -r["end"], r["label"]))
    return rows


def from_docs(docs: Iterable[Doc]) -> pd.DataFrame:
    """Return the mention table of many Docs as a DataFrame with the columns :data:`COLUMNS`.

    Examples
    --------
    >>> import qidu_nlp
    >>> nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure", "qidu_slogans"])
    >>> from_docs([nlp("坚决捍卫“两个确立”。")])[["label", "text"]].values.tolist()
    [['SLOGAN', '两个确立']]
    """
    return to_frame(row for doc in docs for row in from_doc(doc))


def to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Build the mention DataFrame from row dicts, with stable columns and dtypes
    (:func:`qidu_nlp.tables.frame`)."""
    return tables.frame("mentions", rows)
