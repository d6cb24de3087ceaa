"""qidu_nlp.pipeline.docs: what the components read of a Doc, read once and by arrays.

The text (cached: ``Doc.text`` builds a Token object per token at every access), the token
boundaries and the sentence offsets, each from one array read.

Examples
--------
>>> import spacy
>>> doc = spacy.blank("zh")("齐都镇")
>>> doc_text(doc), token_starts(doc), token_ends(doc)
('齐都镇', [0, 1, 2], [1, 2, 3])
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc

__all__ = ["doc_text", "remember_text", "token_starts", "token_ends", "sentence_offsets", "TEXT_KEY"]

TEXT_KEY = "qidu_text"


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
    return doc.to_array(IDX).tolist() if len(doc) else []


def token_ends(doc: Doc) -> list[int]:
    """Character offset where every token ends."""
    if not len(doc):
        return []
    arr = doc.to_array([IDX, LENGTH]).astype(np.int64)
    return (arr[:, 0] + arr[:, 1]).tolist()


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
    arr = doc.to_array([IDX, LENGTH, SENT_START]).astype(np.int64)  # unsigned: -1 wraps back
    first = np.flatnonzero(arr[:, 2] == 1)
    first = np.concatenate([[0], first[first > 0]])
    last = np.concatenate([first[1:], [len(doc)]]) - 1
    starts = arr[first, 0]
    ends = arr[last, 0] + arr[last, 1]
    return list(zip(starts.tolist(), ends.tolist()))
