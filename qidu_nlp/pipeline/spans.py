"""qidu_nlp.pipeline.spans: turn character-offset matches into spaCy spans, whatever the segmenter did.

The components find their mentions on characters (the annotation guide's offsets), while
pkuseg may put a boundary inside a token (``三区两园一线发展`` as one word). Before spans are
created, :func:`write_spans` splits the tokens that straddle a boundary, then rebuilds every
span group already on the doc from its character offsets: spaCy's retokenizer updates
``doc.ents`` but not ``doc.spans``, so without this an earlier layer would shift.
"""

from __future__ import annotations

import bisect
from typing import Iterable, Mapping

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..schema import ENTS_KEY
from .docs import doc_text, token_starts
from .extensions import set_span_attrs
_RESERVED = {"start", "end", "label"}


def ensure_boundaries(doc: Doc, offsets: Iterable[int]) -> None:
    """Split tokens so that every character offset in ``offsets`` is a token boundary.

    Span groups already on ``doc`` are rebuilt from their character offsets afterwards, and
    their labels and attributes are kept.

    Parameters
    ----------
    doc : Doc
        The document to retokenise in place.
    offsets : iterable of int
        Character offsets that must fall between two tokens.

    Examples
    --------
    >>> from spacy.tokens import Doc
    >>> import spacy
    >>> nlp = spacy.blank("zh")
    >>> doc = Doc(nlp.vocab, words=["三区两园一线发展", "蓝图"], spaces=[False, False])
    >>> ensure_boundaries(doc, [6])
    >>> [t.text for t in doc]
    ['三区两园一线', '发展', '蓝图']
    """
    starts = token_starts(doc)
    n_chars = len(doc_text(doc))
    cuts: dict[int, set[int]] = {}
    for off in offsets:
        if off <= 0 or off >= n_chars:
            continue
        i = bisect.bisect_right(starts, off) - 1
        if i < 0:
            continue
        token = doc[i]
        rel = off - token.idx
        if 0 < rel < len(token.text):
            cuts.setdefault(i, set()).add(rel)
    if not cuts:
        return
    saved = {
        key: [(s.start_char, s.end_char, s.label_) for s in group] for key, group in doc.spans.items()
    }
    with doc.retokenize() as retokenizer:
        for i, rels in cuts.items():
            token = doc[i]
            points = [0, *sorted(rels), len(token.text)]
            orths = [token.text[a:b] for a, b in zip(points, points[1:])]
            heads = [(token, 0)] * len(orths)
            retokenizer.split(token, orths, heads=heads)
    for key, items in saved.items():
        doc.spans[key] = [
            span
            for span in (doc.char_span(s, e, label=lab) for s, e, lab in items)
            if span is not None
        ]


def write_spans(doc: Doc, key: str, items: Iterable[Mapping]) -> list[Span]:
    """Write character-offset matches to ``doc.spans[key]`` (or ``doc.ents`` for key ``"ents"``).

    Each item is a mapping with ``start``, ``end`` and ``label``; any other key is stored as a
    span attribute (``span._.qidu.kind``, ``span._.qidu.value`` …, see :mod:`qidu_nlp.pipeline.extensions`).

    Parameters
    ----------
    doc : Doc
        The document.
    key : str
        The span-group key, or ``"ents"`` to set ``doc.ents`` (overlaps resolved longest first).
    items : iterable of mapping
        The matches, with character offsets into ``doc.text``.

    Returns
    -------
    list of Span
        The spans written, in document order.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("zh")
    >>> doc = nlp("聚焦“强富美优”城市愿景")
    >>> spans = write_spans(doc, "slogans", [{"start": 3, "end": 7, "label": "SLOGAN", "kind": "motto"}])
    >>> [(s.text, s._.qidu.kind) for s in doc.spans["slogans"]]
    [('强富美优', 'motto')]
    """
    n_chars = len(doc_text(doc))
    items = sorted(
        (dict(it) for it in items if 0 <= it["start"] < it["end"] <= n_chars),
        key=lambda it: (it["start"], -it["end"]),
    )
    ensure_boundaries(doc, [o for it in items for o in (it["start"], it["end"])])
    spans = []
    for it in items:
        span = doc.char_span(it["start"], it["end"], label=it["label"])
        if span is None:  # a boundary on whitespace that belongs to a token: shrink to the words
            span = doc.char_span(it["start"], it["end"], label=it["label"], alignment_mode="contract")
            if span is None or (span.start_char, span.end_char) != (it["start"], it["end"]):
                continue
        attrs = {k: v for k, v in it.items() if k not in _RESERVED}
        if attrs:
            set_span_attrs(doc, it["label"], it["start"], it["end"], **attrs)
        spans.append(span)
    if key == ENTS_KEY:
        doc.ents = filter_spans(spans)
        return list(doc.ents)
    doc.spans[key] = spans
    return spans
