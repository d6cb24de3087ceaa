"""qidu_nlp.text: a length-preserving normalised view of a document's text.

Rules and models read ``normalize(text)``; spans are cut from the original text. Because
every character maps to exactly one character, an offset in the normalised view *is* the
offset in the original: the map back is the identity, and ``mentions.csv`` offsets always
index the text as the user gave it.

What is normalised:

* full-width ASCII forms (``１２３``, ``％``, ``（``) → their half-width forms, and the
  ideographic space → a space (NFKC, only where NFKC gives a single character);
* conversion artefacts of Word exports (``[bookmark: _GoBack]``), private-use characters
  (``U+F020`` from Symbol fonts), zero-width characters, NUL and other control characters
  except line breaks → spaces, so they never join or split a name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARTEFACTS = re.compile(r"\[bookmark: ?[^\]\n]{0,80}\]|\[(?:comment|footnoteRef|endnoteRef): ?[^\]\n]{0,80}\]")
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
# characters whose NFKC form changes meaning for our rules or breaks the 1:1 map
_KEEP = set("“”‘’「」『』《》〈〉【】〔〕—…·、。，；：！？")


@lru_cache(maxsize=65536)
def _norm_char(ch: str) -> str:
    if ch in _KEEP or ch == "\n":
        return ch
    if ch in _ZERO_WIDTH:
        return " "
    cat = unicodedata.category(ch)
    if cat in ("Co", "Cs", "Cn") or (cat == "Cc" and ch not in "\n"):
        return " "
    if cat == "Cf":
        return " "
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) == 1:
        return folded
    if ch == "\u3000":
        return " "
    return ch


class _Table(dict):
    """A ``str.translate`` table filled on first sight of each character (C-speed afterwards)."""

    def __missing__(self, code: int) -> str:
        self[code] = value = _norm_char(chr(code))
        return value


_TABLE = _Table()


def normalize(text: str) -> str:
    """Return a normalised view of ``text`` of exactly the same length.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text with full-width forms folded, artefacts and invisible characters blanked.

    Examples
    --------
    >>> normalize("增长３４％，[bookmark: _GoBack]好").replace(" ", "_")
    '增长34%，___________________好'
    >>> len(normalize("政\\uf020府")) == 3
    True
    """
    if len(text) >= _CACHE_FROM:
        return _normalize_long(text)
    return _normalize(text)


# Every component normalises the whole document once more; a document's text is one str
# object (doc_text), whose hash Python keeps, so a small cache of long texts answers the
# later calls at no cost.
_CACHE_FROM = 2048


def _normalize(text: str) -> str:
    out = text.translate(_TABLE)
    if "[" in out:
        out = _ARTEFACTS.sub(lambda m: " " * len(m.group(0)), out)
    return out


@lru_cache(maxsize=4)
def _normalize_long(text: str) -> str:
    return _normalize(text)


def artefact_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of conversion artefacts (``[bookmark: _GoBack]``) in ``text``.

    Examples
    --------
    >>> artefact_spans("甲[bookmark: _GoBack]乙")
    [(1, 20)]
    """
    return [m.span() for m in _ARTEFACTS.finditer(text)]


CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

_TEXT_KEY = "qidu_text"


def doc_text(doc) -> str:
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
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def remember_text(doc, text: str) -> None:
    """Keep ``text`` as the Doc's text for :func:`doc_text` (the tokenizer's input)."""
    doc.user_data[_TEXT_KEY] = text


def code_points(text: str):
    """The code point of every character of ``text`` as an int64 numpy array (lone surrogates
    kept), for array tests over a whole text at once.

    Examples
    --------
    >>> code_points("齐a\\n").tolist()
    [40784, 97, 10]
    """
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


def token_starts(doc) -> list[int]:
    """Character offset of every token (one array read instead of a Token object per token).

    Examples
    --------
    >>> import spacy
    >>> token_starts(spacy.blank("zh")("齐都镇"))
    [0, 1, 2]
    """
    from spacy.attrs import IDX

    return doc.to_array(IDX).tolist() if len(doc) else []


def sentence_offsets(doc) -> list[tuple[int, int]]:
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
    import numpy as np
    from spacy.attrs import IDX, LENGTH, SENT_START

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


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``(start, end)`` so that the span neither starts nor ends on whitespace.

    Examples
    --------
    >>> trim_span("“ 强富美优 ”", 1, 7)
    (2, 6)
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
