"""qidu_nlp.pipeline.rows: from an annotated Doc to plain rows (mentions, the document, indicators).

The rows are the hinge between spaCy and everything downstream (``mentions.csv``, the slogan
inventory, the co-occurrence graph, the indicator table): plain dicts, no spaCy objects, so
they travel between processes and into tables.
"""

from __future__ import annotations

import json
from typing import Iterable

import pandas as pd
from spacy.tokens import Doc, Span

from ..rules.indicators import extract_text
from ..schema import ENTS_KEY, QUANTITIES_KEY, SLOGANS_KEY, THEMES_KEY, columns, frame
from ..text.header import document_year
from ..text.normalize import normalize, trim_span
from ..text.structure import locate, split_sentences
from .docs import doc_text, sentence_offsets
from .extensions import get_span_attrs

__all__ = ["mention_rows", "document_row", "indicator_rows", "analyze_doc", "from_docs", "to_frame", "doc_year",
           "COLUMNS"]

COLUMNS = columns("mentions")  # doc_id, year, paragraph, sentence, section, label, kind, text, norm,
#                                start, end, value, unit, frame, score, parts, sentence_text
LAYERS = ((SLOGANS_KEY, "SLOGAN"), (ENTS_KEY, None), (QUANTITIES_KEY, "QUANTITY"), (THEMES_KEY, "THEME"))


def doc_year(doc: Doc) -> int | None:
    """The year a document refers to (:func:`qidu_nlp.text.header.document_year` of its meta and text)."""
    return document_year(doc._.qidu.meta, doc_text(doc))


def _spans(doc: Doc, key: str) -> Iterable[Span]:
    if key == ENTS_KEY:
        return doc.ents
    return doc.spans[key] if key in doc.spans else ()


def mention_rows(doc: Doc, *, doc_id: str | None = None) -> list[dict]:
    """Return the mention rows of one annotated Doc, in document order.

    Parameters
    ----------
    doc : Doc
        A Doc processed by the qidu pipeline.
    doc_id : str, optional
        Overrides ``doc._.qidu.meta["id"]``.

    Returns
    -------
    list of dict
        One dict per mention with the keys of :data:`COLUMNS`; ``start``/``end`` are character
        offsets into the original text. THEME rows carry the theme name as ``norm``.

    Examples
    --------
    >>> import qidu_nlp
    >>> nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure", "qidu_slogans"])
    >>> rows = mention_rows(nlp("聚焦“强富美优”城市愿景。"), doc_id="d1")
    >>> [(r["label"], r["text"], r["sentence"]) for r in rows]
    [('SLOGAN', '强富美优', 0)]
    """
    meta = doc._.qidu.meta or {}
    did = doc_id if doc_id is not None else str(meta.get("id", ""))
    year = doc_year(doc)
    text = doc_text(doc)
    norm = normalize(text)  # artefacts and invisible characters count as space when trimming
    sents = sentence_offsets(doc) if doc.has_annotation("SENT_START") else [(0, len(text))]
    sections = doc._.qidu.sections or []
    paragraphs = [(s, e) for s, e, *_ in sections] or (doc._.qidu.paragraphs or [])
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
                    "norm": label if key == THEMES_KEY else (attrs.get("norm") or surface),
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
    return to_frame(row for doc in docs for row in mention_rows(doc))


def to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Build the mention DataFrame from row dicts, with stable columns and dtypes
    (:func:`qidu_nlp.schema.frame`)."""
    return frame("mentions", rows)


def document_row(doc: Doc, n_mentions: int, status: str = "ok") -> dict:
    """The ``documents.csv`` row of an annotated Doc."""
    meta = doc._.qidu.meta or {}
    sents = len(sentence_offsets(doc)) if doc.has_annotation("SENT_START") else len(split_sentences(doc_text(doc)))
    return {
        "id": meta.get("id", ""),
        "title": meta.get("title"),
        "date": meta.get("date"),
        "year": doc_year(doc),
        "place": meta.get("place"),
        "level": meta.get("level"),
        "speaker": meta.get("speaker"),
        "source": meta.get("source"),
        "chars": len(doc_text(doc)),
        "sentences": sents,
        "paragraphs": len(doc._.qidu.paragraphs or []),
        "mentions": n_mentions,
        "status": status,
    }


def indicator_rows(doc: Doc) -> list[dict]:
    """The indicator statements of an annotated Doc (:func:`qidu_nlp.rules.indicators.extract_text`).

    Uses ``doc.spans["quantities"]`` when present, the sections of ``qidu_structure`` when
    present, and ``doc._.qidu.meta`` (``id``, ``year``/``date``, ``place``), else the report
    header.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("zh")
    >>> doc = nlp("2023年，全镇完成固定资产投资5.3亿元，同比增长6.47%。")
    >>> doc._.qidu.meta = {"id": "d", "year": 2024}
    >>> r = indicator_rows(doc)[0]
    >>> r["indicator"], r["value_low"], r["change_low"], r["period_start"], r["status"]
    ('fixed-asset investment', 530000000.0, 6.47, 2023, 'actual')
    """
    quantities = None
    if QUANTITIES_KEY in doc.spans:
        quantities = [
            {"start": s.start_char, "end": s.end_char, **{k: a.get(k) for k in ("value", "unit", "dimension", "approx")}}
            for s, a in ((s, get_span_attrs(doc, s.label_, s.start_char, s.end_char)) for s in doc.spans[QUANTITIES_KEY])
        ]
    return extract_text(doc_text(doc), meta=doc._.qidu.meta or {}, quantities=quantities,
                        sections=doc._.qidu.sections)


def analyze_doc(doc: Doc) -> dict:
    """One annotated Doc as plain rows: ``{"document", "mentions", "indicators"}``."""
    rows = mention_rows(doc)
    return {
        "document": document_row(doc, sum(1 for r in rows if r["label"] != "THEME")),
        "mentions": rows,
        "indicators": indicator_rows(doc),
    }
