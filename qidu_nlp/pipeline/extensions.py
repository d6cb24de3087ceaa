"""qidu_nlp.pipeline.extensions: the ``qidu`` attributes of spans and docs, one namespace.

Two extensions are registered, once, on import: ``span._.qidu`` and ``doc._.qidu``. Each is a
small view of plain data kept in ``doc.user_data`` (so it survives ``DocBin(store_user_data=True)``
and ``nlp.pipe(n_process=N)``), and the name ``qidu`` keeps them clear of other libraries'
extensions (textacy and others register bare names such as ``meta``).

- ``span._.qidu.NAME`` for NAME in :data:`qidu_nlp.schema.SPAN_ATTRS`: ``kind``, ``norm``,
  ``frame``, ``score`` (slogans and entities), ``value``, ``unit``, ``dimension``, ``si_value``,
  ``si_unit``, ``approx`` (quantities), ``parts`` (entities). Values live under
  ``("qidu", label, start_char, end_char)``, so a SLOGAN and an entity with the same offsets
  never overwrite each other; an attribute a span does not have reads as None.
- ``doc._.qidu.meta`` (the record's metadata, settable), ``doc._.qidu.paragraphs`` and
  ``doc._.qidu.sections`` (see :mod:`qidu_nlp.pipeline.structure`), ``doc._.qidu.paragraph_themes``.

Examples
--------
>>> import spacy
>>> doc = spacy.blank("zh")("聚焦“强富美优”城市愿景")
>>> set_span_attrs(doc, "SLOGAN", 3, 7, kind="motto")
>>> span = doc.char_span(3, 7, label="SLOGAN")
>>> span._.qidu.kind, span._.qidu.value
('motto', None)
>>> doc._.qidu.meta = {"id": "a"}
>>> doc._.qidu.meta
{'id': 'a'}
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from ..schema import SPAN_ATTRS

__all__ = ["set_span_attrs", "get_span_attrs", "span_key", "SpanAttrs", "DocAttrs", "NAMESPACE", "DOC_KEYS"]

NAMESPACE = "qidu"
# doc-level values in doc.user_data
DOC_KEYS = {"meta": "qidu_meta", "paragraphs": "qidu_paragraphs", "sections": "qidu_sections",
            "paragraph_themes": "qidu_paragraph_themes"}


def span_key(label: str, start: int, end: int) -> tuple:
    """The ``doc.user_data`` key of a span's attributes."""
    return (NAMESPACE, label, start, end)


class SpanAttrs:
    """The qidu attributes of one span (read-only; the components write them)."""

    __slots__ = ("_values",)

    def __init__(self, values: dict):
        self._values = values

    def __getattr__(self, name: str) -> Any:
        if name in SPAN_ATTRS:
            return self._values.get(name)
        raise AttributeError(f"span._.qidu has no attribute {name!r}; it has {', '.join(SPAN_ATTRS)}")

    def to_dict(self) -> dict:
        """The attributes the span has, as a plain dict."""
        return dict(self._values)

    def __repr__(self) -> str:
        return f"SpanAttrs({self._values!r})"


class DocAttrs:
    """The qidu data of a Doc: ``meta`` (settable), ``paragraphs``, ``sections``, ``paragraph_themes``."""

    __slots__ = ("_doc",)

    def __init__(self, doc: Doc):
        self._doc = doc

    def __getattr__(self, name: str) -> Any:
        if name in DOC_KEYS:
            return self._doc.user_data.get(DOC_KEYS[name])
        raise AttributeError(f"doc._.qidu has no attribute {name!r}; it has {', '.join(DOC_KEYS)}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_doc":
            object.__setattr__(self, name, value)
        elif name in DOC_KEYS:
            self._doc.user_data[DOC_KEYS[name]] = value
        else:
            raise AttributeError(f"doc._.qidu has no attribute {name!r}; it has {', '.join(DOC_KEYS)}")


def _span_getter(span: Span) -> SpanAttrs:
    return SpanAttrs(span.doc.user_data.get(span_key(span.label_, span.start_char, span.end_char)) or {})


def _doc_getter(doc: Doc) -> DocAttrs:
    return DocAttrs(doc)


def set_span_attrs(doc: Doc, label: str, start: int, end: int, **attrs: Any) -> None:
    """Store attributes for the span ``label`` at character offsets ``start:end``.

    Values must be plain data (str, int, float, bool, None, lists/dicts of them).
    """
    doc.user_data.setdefault(span_key(label, start, end), {}).update(attrs)


def get_span_attrs(doc: Doc, label: str, start: int, end: int) -> dict:
    """The stored attributes of a span (an empty dict when there are none)."""
    return dict(doc.user_data.get(span_key(label, start, end), {}))


# registered once, on import (spaCy keeps extensions process-wide)
if not Span.has_extension(NAMESPACE):
    Span.set_extension(NAMESPACE, getter=_span_getter)
if not Doc.has_extension(NAMESPACE):
    Doc.set_extension(NAMESPACE, getter=_doc_getter)
