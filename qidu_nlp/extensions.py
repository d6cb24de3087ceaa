"""qidu_nlp.extensions: the custom attributes that the components put on spans and docs.

Attribute values live in ``doc.user_data`` under ``("qidu", label, start_char, end_char)`` so
that a SLOGAN and an entity with the same offsets never overwrite each other, and so that they
survive ``DocBin(store_user_data=True)`` and ``nlp.pipe(n_process=N)`` (plain msgpack data).

Span attributes (``span._.NAME``): ``kind``, ``norm``, ``frame``, ``score`` (slogans and
entities), ``value``, ``unit``, ``dimension``, ``si_value``, ``si_unit``, ``approx``
(quantities). Doc attributes: ``doc._.meta`` (the record's metadata),
``doc._.paragraphs``, ``doc._.sections`` (see :mod:`qidu_nlp.structure`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from spacy.tokens import Doc, Span

SPAN_ATTRS = (
    "kind",
    "norm",
    "frame",
    "score",
    "value",
    "unit",
    "dimension",
    "si_value",
    "si_unit",
    "approx",
    "parts",
)
DOC_KEYS = {"meta": "qidu_meta", "paragraphs": "qidu_paragraphs", "sections": "qidu_sections"}


def _key(label: str, start: int, end: int) -> tuple:
    return ("qidu", label, start, end)


def _span_getter(name: str, span: Span) -> Any:
    attrs = span.doc.user_data.get(_key(span.label_, span.start_char, span.end_char))
    if attrs is None:
        return None
    return attrs.get(name)


def _doc_getter(key: str, doc: Doc) -> Any:
    return doc.user_data.get(key)


def _doc_setter(key: str, doc: Doc, value: Any) -> None:
    doc.user_data[key] = value


def set_extensions() -> None:
    """Register the span and doc extensions (idempotent; called on import of qidu_nlp)."""
    for name in SPAN_ATTRS:
        if not Span.has_extension(name):
            Span.set_extension(name, getter=partial(_span_getter, name))
    for name, key in DOC_KEYS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(
                name, getter=partial(_doc_getter, key), setter=partial(_doc_setter, key)
            )


def set_span_attrs(doc: Doc, label: str, start: int, end: int, **attrs: Any) -> None:
    """Store attributes for the span ``label`` at character offsets ``start:end``.

    Values must be plain data (str, int, float, bool, None, lists/dicts of them).

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("zh")
    >>> doc = nlp("聚焦“强富美优”城市愿景")
    >>> set_span_attrs(doc, "SLOGAN", 3, 7, kind="motto")
    >>> get_span_attrs(doc, "SLOGAN", 3, 7)
    {'kind': 'motto'}
    """
    doc.user_data.setdefault(_key(label, start, end), {}).update(attrs)


def get_span_attrs(doc: Doc, label: str, start: int, end: int) -> dict:
    """Return the stored attributes of a span (an empty dict when there are none)."""
    return dict(doc.user_data.get(_key(label, start, end), {}))


set_extensions()
