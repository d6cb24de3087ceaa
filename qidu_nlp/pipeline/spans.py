"""qidu_nlp.pipeline.spans: turn character-offset matches into spaCy spans, whatever the segmenter did.

The components find their mentions on characters (the annotation guide's offsets), while
pkuseg may put a boundary inside a token (``三区两园一线发展`` as one word). Before spans are
created, :func:`write_spans` splits the tokens that straddle a boundary, then rebuilds every
span group already on the doc from its character offsets: spaCy's retokenizer updates
``doc.ents`` but not ``doc.spans``, so without this an earlier layer would shift.

Splitting a token with spaCy's retokenizer takes time proportional to the whole Doc, so on a
long document the splits alone grow with the square of its length. Inside a
:class:`~qidu_nlp.pipeline.language.QiduChinese` pipeline the cuts and the layers are therefore
deferred (:class:`qidu_nlp.pipeline.docs.Pending`) and :func:`finalize` makes them all at the
end, in one pass over the tokens; a component called on its own writes at once, as before.
Either way the spans, entities and sentences come out the same.
"""

from __future__ import annotations

import bisect
from typing import Iterable, Mapping

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..schema import ENTS_KEY
from .docs import PENDING_KEY, Pending, doc_text, pending, token_bounds, token_starts
from .extensions import set_span_attrs

__all__ = ["ensure_boundaries", "write_spans", "defer", "finalize"]

_RESERVED = {"start", "end", "label"}


def ensure_boundaries(doc: Doc, offsets: Iterable[int]) -> None:
    """Split tokens so that every character offset in ``offsets`` is a token boundary.

    Span groups already on ``doc`` are rebuilt from their character offsets afterwards, and
    their labels and attributes are kept; a piece cut off a token never starts a sentence. On
    a Doc whose boundaries are deferred (:func:`defer`) the cuts are noted and made by
    :func:`finalize`.

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
    cuts = _cuts_inside(doc, offsets)
    if not cuts:
        return
    p = pending(doc)
    if p is not None:
        p.add_cuts(cuts)
        return
    _split(doc, cuts)


def _cuts_inside(doc: Doc, offsets: Iterable[int]) -> list[int]:
    """The offsets that fall strictly inside a token (with the deferred cuts), sorted."""
    starts, ends = token_bounds(doc)
    if not len(starts):
        return []
    n_chars = len(doc_text(doc))
    offs = np.unique(np.fromiter((o for o in offsets if 0 < o < n_chars), dtype=np.int64))
    if not len(offs):
        return []
    i = np.searchsorted(starts, offs, side="right") - 1
    ok = i >= 0
    offs, i = offs[ok], i[ok]
    return offs[(starts[i] < offs) & (offs < ends[i])].tolist()


def _split(doc: Doc, cuts: list[int]) -> None:
    """Cut the tokens of ``doc`` in place at ``cuts`` (offsets inside tokens) with the retokenizer."""
    starts = token_starts(doc)
    saved = {key: [(s.start_char, s.end_char, s.label_) for s in group] for key, group in doc.spans.items()}
    flags = doc.to_array([IDX, SENT_START]).astype(np.int64)
    by_token: dict[int, list[int]] = {}
    for off in cuts:  # sorted, so each token's cuts are in order
        i = bisect.bisect_right(starts, off) - 1
        by_token.setdefault(i, []).append(off - starts[i])
    with doc.retokenize() as retokenizer:
        for i, rels in by_token.items():
            token = doc[i]
            points = [0, *rels, len(token.text)]
            orths = [token.text[a:b] for a, b in zip(points, points[1:])]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))
    _restore_sentence_starts(doc, flags)
    for key, items in saved.items():
        doc.spans[key] = [span for span in (doc.char_span(s, e, label=lab) for s, e, lab in items) if span is not None]


def _restore_sentence_starts(doc: Doc, before: np.ndarray) -> None:
    """Give every token the sentence start it had by character offset; a new piece none.

    spaCy's split leaves the new pieces with the ``SENT_START`` of the tokens that followed
    the split one (stale values), which would invent sentence starts inside a word.
    """
    if not before[:, 1].any():
        return
    idx = doc.to_array(IDX).astype(np.int64)
    at = np.minimum(np.searchsorted(before[:, 0], idx), len(before) - 1)
    values = np.where(before[at, 0] == idx, before[at, 1], -1)
    doc.from_array([SENT_START], values.astype(np.int64).astype(np.uint64).reshape(-1, 1))


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
        The spans written, in document order (none while the Doc's boundaries are deferred:
        :func:`finalize` writes them).

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
    p = pending(doc)
    if p is not None:
        _write_deferred(doc, p, key, items)
        return []
    spans = []
    for it in items:
        span = doc.char_span(it["start"], it["end"], label=it["label"])
        if span is None:  # a boundary on whitespace that belongs to a token: shrink to the words
            span = doc.char_span(it["start"], it["end"], label=it["label"], alignment_mode="contract")
            if span is None or (span.start_char, span.end_char) != (it["start"], it["end"]):
                continue
        _set_attrs(doc, it)
        spans.append(span)
    if key == ENTS_KEY:
        doc.ents = filter_spans(spans)
        return list(doc.ents)
    doc.spans[key] = spans
    return spans


def _set_attrs(doc: Doc, item: Mapping) -> None:
    attrs = {k: v for k, v in item.items() if k not in _RESERVED}
    if attrs:
        set_span_attrs(doc, item["label"], item["start"], item["end"], **attrs)


def _write_deferred(doc: Doc, p: Pending, key: str, items: list[dict]) -> None:
    """:func:`write_spans` on a deferred Doc: the same spans, kept as offsets until :func:`finalize`.

    A span is kept when its offsets are token boundaries (with the cuts), as ``char_span``
    requires; entities are filtered as :func:`spacy.util.filter_spans` does, on token indices.
    """
    starts, ends = token_bounds(doc)
    kept = []
    for it in items:
        i, j = np.searchsorted(starts, it["start"]), np.searchsorted(ends, it["end"])
        if i < len(starts) and starts[i] == it["start"] and j < len(ends) and ends[j] == it["end"]:
            _set_attrs(doc, it)
            kept.append((int(i), int(j) + 1, it["start"], it["end"], it["label"]))
    if key != ENTS_KEY:
        p.groups[key] = [(s, e, label) for _, _, s, e, label in kept]
        return
    # filter_spans: longest (in tokens) first, then leftmost; a span whose first or last token
    # is taken is dropped
    chosen, seen = [], set()
    for t_start, t_end, s, e, label in sorted(kept, key=lambda k: (k[1] - k[0], -k[0]), reverse=True):
        if t_start not in seen and t_end - 1 not in seen:
            chosen.append((t_start, s, e, label))
            seen.update(range(t_start, t_end))
    p.ents = [(s, e, label) for _, s, e, label in sorted(chosen, key=lambda c: c[0])]


def defer(doc: Doc) -> Doc:
    """Defer the token cuts and span layers of ``doc`` until :func:`finalize` (see the module notes)."""
    doc.user_data[PENDING_KEY] = Pending()
    return doc


def finalize(doc: Doc) -> Doc:
    """Make the deferred cuts of ``doc`` and write its deferred layers; return the Doc.

    With cuts to make, the Doc is rebuilt once with every cut (a new Doc with the same text,
    user data, sentences, span groups and entities), in time proportional to its length; the
    retokenizer would take time proportional to the Doc for each token it splits (on the
    national reports the rebuild takes 0.6 µs per character, the splits in place 1.0).

    Examples
    --------
    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> doc = defer(Doc(spacy.blank("zh").vocab, words=["三区两园一线发展", "蓝图"], spaces=[False, False]))
    >>> _ = write_spans(doc, "slogans", [{"start": 0, "end": 6, "label": "SLOGAN"}])
    >>> len(doc), list(doc.spans.get("slogans", []))
    (2, [])
    >>> doc = finalize(doc)
    >>> [t.text for t in doc], [s.text for s in doc.spans["slogans"]]
    (['三区两园一线', '发展', '蓝图'], ['三区两园一线'])
    """
    p = doc.user_data.pop(PENDING_KEY, None)
    if p is None:
        return doc
    if p.cuts:
        doc = _rebuild(doc, sorted(p.cuts))
    if p.sent_starts is not None and len(doc):
        idx = doc.to_array(IDX).astype(np.int64)
        values = np.where(np.isin(idx, p.sent_starts), 1, -1)
        doc.from_array([SENT_START], values.astype(np.int64).astype(np.uint64).reshape(-1, 1))
    for key, items in p.groups.items():
        doc.spans[key] = [doc.char_span(s, e, label=label) for s, e, label in items]
    if p.ents is not None:
        doc.ents = [doc.char_span(s, e, label=label) for s, e, label in p.ents]
    return doc


def _rebuild(doc: Doc, cuts: list[int]) -> Doc:
    """A new Doc with the tokens of ``doc`` cut at ``cuts``; everything else carried over."""
    text = doc_text(doc)
    starts, ends = token_bounds(doc)  # physical: the pending state was popped
    spaces = doc.to_array("SPACY").astype(bool)
    new_starts = np.sort(np.concatenate([starts, np.asarray(cuts, dtype=np.int64)]))
    new_ends = np.sort(np.concatenate([ends, np.asarray(cuts, dtype=np.int64)]))
    # the last piece of a token keeps its trailing space; the pieces before it have none
    new_spaces = np.zeros(len(new_starts), dtype=bool)
    new_spaces[np.searchsorted(new_ends, ends)] = spaces
    words = [text[s:e] for s, e in zip(new_starts.tolist(), new_ends.tolist())]
    new = Doc(doc.vocab, words=words, spaces=new_spaces.tolist())
    flags = doc.to_array([IDX, SENT_START]).astype(np.int64)
    new.user_data.update(doc.user_data)
    new.user_hooks.update(doc.user_hooks)
    new.user_token_hooks.update(doc.user_token_hooks)
    new.user_span_hooks.update(doc.user_span_hooks)
    new.cats = dict(doc.cats)
    _restore_sentence_starts(new, flags)
    for key, group in doc.spans.items():
        new.spans[key] = [new.char_span(s.start_char, s.end_char, label=s.label_) for s in group]
    if doc.ents:
        new.ents = [new.char_span(e.start_char, e.end_char, label=e.label_) for e in doc.ents]
    return new
