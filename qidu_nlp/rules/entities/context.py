"""qidu_nlp.rules.entities.context: a document as the entity rules see it, and the character
tests they share.

:class:`Context` holds the normalised text, the sentence-and-line piece of every character
(no name crosses a sentence or a line), the segmenter's token boundaries (to check where a
short name may start and end) and the lexicons; :meth:`Context.candidate` makes a candidate
dict when a span is well formed. The functions below look at characters only: where a name
may end on its left (:func:`extend_left`), whether a core is made of generic words only
(:func:`is_generic`), which division ends at a position (:func:`place_ending_at`).

A candidate is a dict ``{"start", "end", "label", "norm"}`` plus optional ``generic`` (a
generic body such as 县委), ``level`` (of a place) and ``parts``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Iterator

import numpy as np

from ...text.chars import ASCII_LETTERS, CJK, CN_DIGITS, CN_TEN_POWERS, CN_TWO, CN_ZERO, DIGITS, code_points, is_cjk
from .lexicons import Lexicons, load_lexicons

__all__ = ["Context", "NUM", "FUNCTION_CHARS", "segment_ids", "extend_left", "is_generic", "place_ending_at",
           "boundary_before", "boundary_after", "holds_word", "starts_with_word", "occurrences", "list_item_ok"]

# an ordinal or count inside a meeting or list name (第十八届, 等9个村): digits, 零 … 九, 十, 百
NUM = f"[{DIGITS}{CN_DIGITS}{CN_TEN_POWERS[:2]}{CN_ZERO}{CN_TWO}]"
FUNCTION_CHARS = set("与为于从以及各向在对将把由的等被给这每和或")
# a count, an honour or an enumeration marker at the start of a list item or project core
COUNT_START = f"[{CN_DIGITS}{CN_TEN_POWERS[0]}{CN_TWO}{CN_TEN_POWERS[1:]}万{DIGITS}]"
HONOUR_START = r"全国|全省|全市|全县|全区|国家|省级|市级|县级|首个|首批|一是|二是|三是|四是"


@dataclass
class Context:
    """The document the finders read.

    Parameters
    ----------
    text : str
        The normalised text (:func:`qidu_nlp.text.normalize.normalize`).
    segments : list of int
        The sentence-and-line piece of every character (:func:`segment_ids`; -1 on a line break).
    token_starts, token_ends : set of int
        Where tokens start and end (every position when there is no segmenter).
    lex : Lexicons
        The gazetteer and word lists.
    """

    text: str
    segments: list[int]
    token_starts: set[int]
    token_ends: set[int]
    lex: Lexicons

    @classmethod
    def make(cls, text: str, sentences: Iterable[tuple[int, int]] | None = None,
             token_starts: Iterable[int] | None = None, token_ends: Iterable[int] | None = None,
             lex: Lexicons | None = None) -> "Context":
        """The context of a normalised ``text`` (boundaries default to every position)."""
        n = len(text) + 1
        return cls(text, segment_ids(text, sentences),
                   set(token_starts) if token_starts is not None else set(range(n)),
                   set(token_ends) if token_ends is not None else set(range(n)),
                   lex or load_lexicons())

    def ok_span(self, start: int, end: int) -> bool:
        """A span inside the text, not starting or ending on a space, within one piece."""
        text = self.text
        if not (0 <= start < end <= len(text)) or text[start].isspace() or text[end - 1].isspace():
            return False
        return self.segments[start] >= 0 and self.segments[start] == self.segments[end - 1]

    def candidate(self, start: int, end: int, label: str, norm: str | None = None, **attrs) -> dict | None:
        """The candidate dict of a well-formed span (:meth:`ok_span`), else None.

        ``norm`` defaults to the surface without white space.
        """
        if not self.ok_span(start, end):
            return None
        surface = self.text[start:end]
        item = {"start": start, "end": end, "label": label,
                "norm": norm if norm is not None else re.sub(r"\s+", "", surface)}
        item.update(attrs)
        return item

    def seg_start(self, p: int) -> int:
        """The first position of the run of equal segment ids that holds ``p``."""
        return self._seg_first[p]

    @cached_property
    def _seg_first(self) -> list[int]:
        # for every position at once: the last change of segment id at or before it
        ids = np.asarray(self.segments, dtype=np.int64)
        change = np.ones(len(ids), dtype=bool)
        change[1:] = ids[1:] != ids[:-1]
        return np.maximum.accumulate(np.where(change, np.arange(len(ids)), 0)).tolist()

    @cached_property
    def towns(self) -> set[str]:
        """The towns of the gazetteer the text names (齐都镇), found once."""
        return {town for _end, town in self.lex.town_automaton.iter(self.text)}

    @cached_property
    def _sorted_starts(self) -> list[int]:
        return sorted(self.token_starts)

    def token_len_ending(self, end: int) -> int:
        """Length of the last token that starts before ``end`` (by bisection)."""
        i = bisect.bisect_left(self._sorted_starts, end)
        return end - self._sorted_starts[i - 1] if i else end

    def place_prefix(self, p: int, lone_level: bool = True) -> int:
        """Start of the place names (or one level character 县/区/市…) right before ``p``."""
        text, start = self.text, p
        lo = self.seg_start(p) if self.segments[p] >= 0 else p
        while True:
            s = place_ending_at(text, start, self.lex, lo)
            if s is None:
                break
            start = s
        if start == p and lone_level and p > lo and text[p - 1] in "省市县区镇乡州旗":
            if p - 1 == lo or text[p - 2] not in "全各本该每两三四五六七八九十多个省市县区镇乡州旗":
                start = p - 1
        return start

    def all_common(self, s: int, e: int, max_idf: float = 10.0) -> bool:
        """Whether ``text[s:e]`` is a run of ordinary words of two to four characters only
        (招商引资, 双拥模范: no proper-name element), however the segmenter cut it.

        Examples
        --------
        >>> ctx = Context.make("招商引资项目")
        >>> ctx.all_common(0, 4), Context.make("雄忻高铁").all_common(0, 2)
        (True, False)
        """
        text, lex = self.text, self.lex
        reach = [False] * (e - s + 1)  # reach[i]: text[s:s+i] splits into ordinary words
        reach[0] = True
        for i in range(e - s):
            if reach[i]:
                for n in (2, 3, 4):
                    if i + n <= e - s and lex.is_common(text[s + i:s + i + n], max_idf):
                        reach[i + n] = True
        return e > s and reach[e - s]

    def name_start(self, p: int, max_core: int, ascii_letters: bool = False) -> int:
        """Left edge of a name whose head starts at ``p``: extended, then amounts trimmed."""
        text, lo = self.text, self.seg_start(p)
        s = extend_left(text, p, self.lex, max_core, min_start=lo, ascii_letters=ascii_letters)
        # a one-character boundary word the segmenter reads as the start of a longer word is none
        # (向东地块, 向阳航空产业园: 向东 and 向阳 are words, not 向 + a name)
        while s > lo and s not in self.token_starts and s - 1 in self.token_starts and is_cjk(text[s - 1]) \
                and p - s + 1 <= max_core:
            s = extend_left(text, s - 1, self.lex, max_core - (p - s + 1), min_start=lo)
        while s < p:
            unit = re.match(r"平方米|平米|平方|公里|公顷|千瓦|千伏|兆瓦|[个项亩家所座条处批期号余多万亿千百元吨米台套户人支]", text[s:p])
            if unit:
                s += unit.end()
            elif not is_cjk(text[s]) and text[s] != "“":
                s += 1
            else:
                break
        return s


# ----------------------------------------------------------------------------------------------
# pure helpers on characters


def holds_word(text: str, words: set[str], *, min_len: int = 1) -> bool:
    """Whether some word of ``words`` (at least ``min_len`` long) occurs in ``text``: the
    substrings of a short text looked up in the set, not the set scanned."""
    n = len(text)
    return any(text[i:j] in words for i in range(n) for j in range(i + min_len, n + 1))


def starts_with_word(text: str, words) -> bool:
    """Whether ``text`` starts with a (non-empty) word of the set ``words``."""
    return any(text[:j] in words for j in range(1, len(text) + 1))


def segment_ids(text: str, sentences: Iterable[tuple[int, int]] | None = None) -> list[int]:
    """Give every character the id of its sentence-and-line piece (-1 for line breaks).

    Examples
    --------
    >>> segment_ids("甲乙\\n丙")
    [0, 0, -1, 1]
    """
    if not text:
        return []
    # a new piece after each line break and at each sentence start (one array pass, no loop)
    newline = code_points(text) == 10
    step = newline.astype(np.int64)
    if sentences:
        cuts = np.fromiter((s for s, _e in sentences if 0 < s < len(text)), dtype=np.int64)
        step[cuts[~newline[cuts]]] = 1
    ids = np.cumsum(step)
    ids[newline] = -1
    return ids.tolist()


def occurrences(text: str, word: str) -> Iterator[int]:
    """Start of every non-overlapping occurrence of ``word`` in ``text``, left to right (what
    ``re.finditer(re.escape(word), text)`` finds, without a pattern per word)."""
    i = text.find(word) if word else -1
    while i >= 0:
        yield i
        i = text.find(word, i + len(word))


def boundary_before(text: str, p: int, lex: Lexicons) -> bool:
    """True when a boundary word ends at position ``p`` (or no Chinese character precedes it)."""
    if p <= 0 or not is_cjk(text[p - 1]):
        return True
    return any(text[max(0, p - n):p] in lex.boundary for n in (3, 2, 1))


def boundary_after(text: str, e: int, lex: Lexicons) -> bool:
    """True when a boundary word starts at ``e`` (or no Chinese character follows)."""
    if e >= len(text) or not is_cjk(text[e]):
        return True
    return any(text[e:e + n] in lex.boundary for n in (3, 2, 1))


def place_ending_at(text: str, p: int, lex: Lexicons, min_start: int = 0) -> int | None:
    """Start of the longest gazetteer division (full name) that ends at ``p``."""
    for n in range(min(lex.max_place, p - min_start), 1, -1):
        hit = lex.divisions.get(text[p - n:p])
        if n == 2 and text[p - 2] in FUNCTION_CHARS:  # 和县 in 市政府和县委
            continue
        if n == 2 and p - 3 >= min_start and lex.is_common(text[p - 3:p - 1]):
            continue  # 成县 in 完成县政府: its first character belongs to the word before
        if hit and hit[0] in ("province", "prefecture", "county", "town"):
            return p - n
    return None


def extend_left(text: str, p: int, lex: Lexicons, max_len: int, stop_at_place: bool = False,
                min_start: int = 0, ascii_letters: bool = False) -> int:
    """Extend a name leftwards from ``p`` over Chinese characters (and bracketed 1–6 character
    insertions such as （山东）) until a boundary word, punctuation or ``max_len`` characters.
    With ``ascii_letters``, a run of two or more Latin letters right before ``p`` and after a
    Chinese character is part of the name (华瀛LNG, 凤凰河eod项目).

    Examples
    --------
    >>> t = "持续抓好正华助剂"
    >>> t[extend_left(t, 6, load_lexicons(), 8):6]
    '正华'
    """
    start = p
    while start > min_start and p - start < max_len:
        ch = text[start - 1]
        if ch in "）)":
            open_at = max(text.rfind("（", min_start, start - 1), text.rfind("(", min_start, start - 1))
            inner = text[open_at + 1:start - 1] if open_at >= 0 else ""
            if open_at > min_start and 1 <= len(inner) <= 6 and all(map(is_cjk, inner)) \
                    and is_cjk(text[open_at - 1]):
                start = open_at
                continue
            break
        if ch.isascii() and ch.isalpha() and ascii_letters and start == p:
            run = len(text[min_start:start]) - len(text[min_start:start].rstrip(ASCII_LETTERS))
            a = start - run
            if run >= 2 and a > min_start and is_cjk(text[a - 1]) and p - a < max_len:
                start = a  # a Latin code inside a name: 华瀛LNG, 凤凰河eod项目
                continue
            break
        if not is_cjk(ch) or boundary_before(text, start, lex):
            break
        if stop_at_place and start < p and place_ending_at(text, start, lex, min_start) is not None:
            break
        start -= 1
    return start


def list_item_ok(item: str) -> bool:
    """A list item may hold numerals inside a brand (三一发达, 五星颐家) but is no count or honour."""
    if re.match(COUNT_START + r"+(?:[大项个号批条类座家期]|$)", item):
        return False
    if re.match(HONOUR_START, item):
        return False
    return item.count("“") == item.count("”")


def is_generic(core: str, lex: Lexicons) -> bool:
    """True if ``core`` is made only of generic words (no proper-name element).

    Examples
    --------
    >>> lex = load_lexicons()
    >>> is_generic("现代农业", lex), is_generic("淄博鲜食玉米", lex)
    (True, False)
    """
    core = re.sub(r"[\s0-9“”\"（）()·、]", "", core)
    if not core:
        return True
    i = 0
    while i < len(core):
        for n in range(min(6, len(core) - i), 0, -1):
            piece = core[i:i + n]
            if piece in lex.generic or (n == 1 and piece in "新大老小各类级型式化性等和及的之现"):
                i += n
                break
        else:
            return False
    return True


CJK_RUN = f"[{CJK}]"  # one Chinese character, for the finders' patterns
