"""qidu_nlp.text.normalize: a length-preserving normalised view of a document's text.

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
