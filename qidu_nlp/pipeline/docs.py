"""qidu_nlp.pipeline.docs: what the components read of a Doc, read once and by arrays.

The text (cached: ``Doc.text`` builds a Token object per token at every access), the token
boundaries and the sentence offsets, each from one array read.

Deferred boundaries
-------------------
A component that writes spans needs token boundaries at their offsets, and spaCy's retokenizer
splits a token in time proportional to the whole Doc, so the splits of a long document cost
time proportional to the square of its length. While a :class:`~qidu_nlp.pipeline.language.QiduChinese`
pipeline runs (:func:`qidu_nlp.pipeline.spans.finalize`), the boundaries the components ask for
are therefore kept as a :class:`Pending` set of cuts in ``doc.user_data`` and made at the end,
in one pass. The readers below give the boundaries and sentences *with* those cuts, so a
component sees exactly the Doc it would see had every cut been made at once.

Examples
--------
>>> import spacy
>>> doc = spacy.blank("zh")("齐都镇")
>>> doc_text(doc), token_starts(doc), token_ends(doc)
('齐都镇', [0, 1, 2], [1, 2, 3])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc

__all__ = ["doc_text", "remember_text", "token_starts", "token_ends", "sentence_offsets", "token_bounds",
           "sentence_flags", "pending", "Pending", "TEXT_KEY", "PENDING_KEY"]

TEXT_KEY = "qidu_text"
PENDING_KEY = "qidu_pending"


@dataclass
class Pending:
    """Token boundaries and span layers asked for while a pipeline runs, made at its end.

    Attributes
    ----------
    cuts : set of int
        Character offsets where a token of the Doc must be cut (each inside a token).
    sent_starts : ndarray or None
        Character offsets of the sentence starts (``qidu_structure``), None until set.
    groups : dict
        Span group key → ``[(start, end, label), ...]`` written while deferred.
    ents : list or None
        ``[(start, end, label), ...]``: the entities, once written.
    """

    cuts: set = field(default_factory=set)
    sent_starts: np.ndarray | None = None
    groups: dict = field(default_factory=dict)
    ents: list | None = None
    _bounds: tuple | None = None  # (starts, ends) with the cuts, until a cut is added

    def add_cuts(self, offsets) -> None:
        before = len(self.cuts)
        self.cuts.update(offsets)
        if len(self.cuts) != before:
            self._bounds = None


def pending(doc: Doc) -> Pending | None:
    """The deferred boundaries of ``doc`` (None when its spans are written at once)."""
    return doc.user_data.get(PENDING_KEY)


def _physical_bounds(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    if not len(doc):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    arr = doc.to_array([IDX, LENGTH]).astype(np.int64)
    return arr[:, 0], arr[:, 0] + arr[:, 1]


def token_bounds(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    """Start and end character offsets of every token, deferred cuts included.

    A cut lies inside a token, so it is both the end of one piece and the start of the next:
    the sorted starts and the sorted ends pair up one to one.
    """
    p = pending(doc)
    if p is None or not p.cuts:
        return _physical_bounds(doc)
    if p._bounds is None:
        starts, ends = _physical_bounds(doc)
        cuts = np.fromiter(p.cuts, dtype=np.int64, count=len(p.cuts))
        p._bounds = (np.sort(np.concatenate([starts, cuts])), np.sort(np.concatenate([ends, cuts])))
    return p._bounds


def doc_text(doc: Doc) -> str:
    """The text of a spaCy Doc, computed once per Doc and cached in ``doc.user_data``.

    ``Doc.text`` joins a new Token object per token on every access; the components read the
    text many times, so they share one copy. Retokenising never changes the text.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("zh")("聚焦“强富美优”")
    >>> doc_text(doc) == doc.text
    True
    """
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Keep ``text`` as the Doc's text for :func:`doc_text` (the tokenizer's input)."""
    doc.user_data[TEXT_KEY] = text


def token_starts(doc: Doc) -> list[int]:
    """Character offset of every token (one array read instead of a Token object per token).

    Examples
    --------
    >>> import spacy
    >>> token_starts(spacy.blank("zh")("齐都镇"))
    [0, 1, 2]
    """
    return token_bounds(doc)[0].tolist()


def token_ends(doc: Doc) -> list[int]:
    """Character offset where every token ends."""
    return token_bounds(doc)[1].tolist()


def sentence_flags(doc: Doc) -> np.ndarray:
    """``SENT_START`` of every token (1 starts a sentence, -1 does not, 0 unknown), deferred
    cuts included: a piece cut off a token never starts a sentence."""
    p = pending(doc)
    if p is None or (not p.cuts and p.sent_starts is None):
        return doc.to_array(SENT_START).astype(np.int64) if len(doc) else np.zeros(0, dtype=np.int64)
    starts, _ = token_bounds(doc)
    if p.sent_starts is not None:
        return np.where(np.isin(starts, p.sent_starts), 1, -1)
    physical = doc.to_array([IDX, SENT_START]).astype(np.int64)
    at = np.searchsorted(physical[:, 0], starts)
    at = np.minimum(at, len(physical) - 1)
    same = physical[at, 0] == starts
    return np.where(same, physical[at, 1], np.where(physical[:, 1].any(), -1, 0))


def sentence_offsets(doc: Doc) -> list[tuple[int, int]]:
    """``(start_char, end_char)`` of every sentence of ``doc``, as ``doc.sents`` gives them.

    Read from two token arrays at once; iterating ``doc.sents`` makes a Span and a Token per
    sentence, and the components ask for the sentences seven times per document. A Doc
    without sentence starts is one sentence.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("zh")("甲乙。丙丁")
    >>> doc[3].is_sent_start = True
    >>> sentence_offsets(doc) == [(s.start_char, s.end_char) for s in doc.sents]
    True
    >>> sentence_offsets(doc)
    [(0, 3), (3, 5)]
    """
    if not len(doc):
        return []
    if not doc.has_annotation("SENT_START"):
        return [(0, len(doc_text(doc)))]
    t_starts, t_ends = token_bounds(doc)
    first = np.flatnonzero(sentence_flags(doc) == 1)
    first = np.concatenate([[0], first[first > 0]])
    last = np.concatenate([first[1:], [len(t_starts)]]) - 1
    return list(zip(t_starts[first].tolist(), t_ends[last].tolist()))
