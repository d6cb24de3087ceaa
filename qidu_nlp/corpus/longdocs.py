"""qidu_nlp.corpus.longdocs: run the pipeline over a document longer than one Doc should be.

spaCy refuses texts longer than ``nlp.max_length``, a single Doc of many megabytes costs a
lot of memory, and one long document on one worker leaves the others idle. :func:`chunk_offsets`
cuts such a text into pieces at line breaks (else sentence ends, else clause punctuation or
spaces, else a hard cut), :func:`pipe_long` runs the pipeline on each piece and
:func:`merge_pieces` merges the pieces back into one Doc whose text is the original text and
whose spans, entities, span attributes, paragraphs and sections carry offsets into the whole
text. The engines hand the pieces (:class:`Piece`) to different workers and merge them the
same way, so the result does not depend on where the pieces ran.

The pieces are cut by the document alone (at most :data:`DEFAULT_MAX_CHARS` characters), never
by the number of workers. What the components learn across a document (names found again,
slogans quoted once and repeated) stays within a piece.

Examples
--------
>>> chunk_offsets("第一句。第二句。\\n第三句。", 6)
[(0, 4), (4, 9), (9, 13)]
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ..pipeline.docs import TEXT_KEY
from ..pipeline.extensions import DOC_KEYS, NAMESPACE
from ..pipeline.structure import annotate
from .budget import time_limit

logger = logging.getLogger("qidu_nlp")

DEFAULT_MAX_CHARS = 200_000  # about 3 s of work: a long document keeps every worker busy


@dataclass
class Piece:
    """One piece of a long document, as it travels to a worker: the document's id, the piece's
    place (``index`` of ``count``), its character offsets and its text."""

    id: str
    index: int
    count: int
    start: int
    end: int
    text: str
_SENT_ENDS = "。！？；!?;"
_SOFT_ENDS = "，、,： \t\u3000"
_PER_PARAGRAPH_KEYS = (DOC_KEYS["paragraph_themes"],)
_WHOLE_TEXT_KEYS = (DOC_KEYS["paragraphs"], DOC_KEYS["sections"], DOC_KEYS["meta"], TEXT_KEY)


def chunk_offsets(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Cut ``text`` into consecutive ``(start, end)`` pieces of at most ``max_chars`` characters.

    A cut goes after the last line break of the window, else after its last sentence end
    (。！？； and half-width forms), else after clause punctuation or a space, else at
    ``max_chars`` (never between ``\\r`` and ``\\n`` nor inside a surrogate pair).
    """
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    out: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while n - pos > max_chars:
        window = text[pos : pos + max_chars]
        cut = window.rfind("\n") + 1
        if cut <= 0:
            cut = max((window.rfind(ch) for ch in _SENT_ENDS), default=-1) + 1
        if cut <= 0:
            cut = max((window.rfind(ch) for ch in _SOFT_ENDS), default=-1) + 1
        if cut <= 0:
            cut = max_chars
            if window[cut - 1] == "\r" or "\udc00" <= window[cut - 1] <= "\udfff":
                cut -= 1
        out.append((pos, pos + cut))
        pos += cut
    out.append((pos, n))
    return out


def _pieces(nlp: Language, text: str, chunks: list[tuple[int, int]], timeout: float | None) -> list[Doc]:
    docs = []
    for start, end in chunks:
        with time_limit(timeout):
            docs.append(nlp(text[start:end]))
    return docs


def pipe_long(nlp: Language, text: str, *, max_chars: int | None = None, timeout: float | None = None) -> Doc:
    """Run ``nlp`` on ``text`` in pieces and merge them into one Doc with correct offsets.

    Parameters
    ----------
    nlp : Language
        The pipeline.
    text : str
        The document (any length).
    max_chars : int, optional
        Largest piece; default ``min(nlp.max_length, DEFAULT_MAX_CHARS)``.
    timeout : float, optional
        Seconds each piece may take (:func:`qidu_nlp.corpus.analyze.time_limit`).

    Returns
    -------
    Doc
        ``doc.text == text``; span groups, ``doc.ents``, sentence starts and the qidu span
        attributes of every piece, shifted to offsets into ``text``; ``doc._.paragraphs`` and
        ``doc._.sections`` computed over the whole text.

    Examples
    --------
    >>> from qidu_nlp.pipeline import load
    >>> nlp = load(segmenter="char", components=["qidu_structure"])
    >>> doc = pipe_long(nlp, "各位代表：\\n聚焦“强富美优”城市愿景。\\n", max_chars=8)
    >>> doc.text == "各位代表：\\n聚焦“强富美优”城市愿景。\\n", [s.text for s in doc.sents][-1]
    (True, '聚焦“强富美优”城市愿景。\\n')
    """
    limit = max_chars or min(nlp.max_length, DEFAULT_MAX_CHARS)
    chunks = chunk_offsets(text, limit)
    if len(chunks) == 1:
        return nlp(text)
    logger.info("long document (%d chars): %d pieces of at most %d", len(text), len(chunks), limit)
    return merge_pieces(_pieces(nlp, text, chunks, timeout), chunks, text)


def merge_pieces(docs: list[Doc], chunks: list[tuple[int, int]], text: str) -> Doc:
    """One Doc of ``text`` from the Docs of its pieces (``chunks``: their offsets in ``text``)."""
    merged = Doc.from_docs(docs, ensure_whitespace=False, exclude=["user_data"])
    if merged.text != text:  # pragma: no cover - from_docs keeps token text and whitespace
        raise RuntimeError("merging the pieces of a long document changed its text")
    _merge_user_data(merged, docs, chunks)
    return merged


def _merge_user_data(merged: Doc, docs: list[Doc], chunks: list[tuple[int, int]]) -> None:
    data = merged.user_data
    for doc, (offset, _) in zip(docs, chunks):
        for key, value in doc.user_data.items():
            if isinstance(key, tuple) and len(key) == 4 and key[0] == NAMESPACE and isinstance(key[2], int):
                data[(key[0], key[1], key[2] + offset, key[3] + offset)] = value
            elif key in _PER_PARAGRAPH_KEYS and isinstance(value, list):
                data.setdefault(key, []).extend(value)
            elif key not in _WHOLE_TEXT_KEYS:
                data.setdefault(key, value)
    if any(DOC_KEYS["paragraphs"] in d.user_data for d in docs):
        # paragraphs, sections and sentences of the whole text: a piece boundary is no
        # sentence start unless the whole text says so
        annotate(merged)
