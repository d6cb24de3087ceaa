"""qidu_nlp.training.english_phrases: the English side of the glossary builder.

The official translations are read as clauses of words (a comma may sit inside a phrase, any
other punctuation mark ends it); :func:`phrases` gives a segment's candidate renderings, and
:func:`occurrences`, :func:`open_share` and :func:`next_unit` say where a phrase stands and
whether its edges are those of a whole expression or of a piece of a longer one
(:mod:`qidu_nlp.training.glossary` uses them).

Examples
--------
>>> key = lambda text: tuple(stem(w) for w in text.split())  # phrases are keyed by their words' stems
>>> occ = occurrences(key("streamline administration"), [0],
...                   [{"en": "We will streamline administration and delegate power."}])
>>> [(i, a, b) for i, _, a, b in occ], next_unit(occ[0][1], occ[0][2], occ[0][3], 1) == key("and delegate")
([(0, 2, 4)], True)
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterable, Sequence

from ..resources import data_folder, read_lines

__all__ = ["phrases", "clauses", "stem", "occurrences", "open_share", "next_unit", "is_capitalised", "trim_edges",
           "CAPITALISED", "FUNCTION_WORDS", "FRAME_WORDS", "FRAME_HEADS", "MAX_TOKENS"]

FUNCTION_WORDS = frozenset(read_lines(data_folder("slogans"), "english_function_words.txt"))


def stem(word: str) -> str:
    """A word's key: lower case, a plural ``-s`` off, and the forms of a verb made one (``pursue``
    and ``pursuing``, ``put`` and ``putting``, ``combine`` and ``combined``), so that a rendering is
    counted over all its co-occurrences whatever the tense; function words are kept whole.

    Examples
    --------
    >>> [stem(w) for w in ("pursuing", "pursue", "putting", "put", "Areas", "nothing")]
    ['pursu', 'pursu', 'put', 'put', 'area', 'nothing']
    """
    w = word.lower().replace("’", "'")
    w = w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")) else w
    if w in FUNCTION_WORDS or not w.isalpha():
        return w
    for end in ("ing", "ed"):
        if w.endswith(end) and len(w) - len(end) >= 3:
            w = w[:-len(end)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # putting, planned
            return w
    return w[:-1] if len(w) > 3 and w.endswith("e") and not w.endswith("ee") else w


# the word lists below are compared with keys, so they are taken in key form (:func:`stem`)
FRAME_WORDS = frozenset(stem(w) for w in read_lines(data_folder("slogans"), "english_frames.txt"))
# frame noun -> the Chinese heads it translates (strategy: 战略 …): english_frame_heads.txt
FRAME_HEADS = {stem(line.split()[0]): tuple(line.split()[1:])
               for line in read_lines(data_folder("slogans"), "english_frame_heads.txt")}
ARTICLES = frozenset(("a", "an", "the"))
MAX_TOKENS = 14
# a word (with inner hyphens, apostrophes, dots: supply-side, people's, 21st; a plural possessive
# keeps its apostrophe: formalities' sake), a comma, or any other punctuation mark (which ends a phrase)
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-'’.][A-Za-z0-9]+)*(?:(?<=s)['’](?![A-Za-z0-9]))?|,|[^\sA-Za-z0-9,]")
_WORD = re.compile(r"[A-Za-z0-9]")
# a capitalised name: every word capitalised but the function words (checked on the surface)
CAPITALISED = re.compile(r"^(?:(?:[A-Z0-9][\w'’-]*|of|on|and|for|the|in|with|to|a|an)\s*)+$")


def clauses(text: str):
    """The clauses of an English segment: ``(words, quoted, first)``, each word ``(key, start, end)``.

    A clause ends at any punctuation mark but a comma; commas are skipped (a list is one
    phrase with or without its serial comma). ``quoted``: the clause is the whole of a quotation;
    ``first``: it opens a sentence.
    """
    out, words = [], []
    quoted = first = True
    quoted = False
    for m in [*_TOKEN.finditer(text), None]:
        tok = m.group() if m else "."
        if tok == ",":
            continue
        if _WORD.match(tok):
            words.append((stem(tok), m.start(), m.end()))
            continue
        if words:
            out.append((words, quoted and tok in _QUOTES, first))
        first = tok in ".;:!?"
        quoted = tok in _QUOTES and not quoted
        words = []
    return out


def phrases(text: str, max_tokens: int = MAX_TOKENS) -> dict[tuple, tuple[str, bool, float]]:
    """The candidate English phrases of a segment: key → (surface, term-like, relative position).

    Word n-grams inside a clause (commas may sit inside, any other punctuation mark ends the
    phrase), neither starting nor ending with a function word. The key is the words' stems
    (:func:`stem`: ``delegate powers`` and ``delegated power`` are one phrase; so are a list with
    and without its serial comma). A phrase is *term-like* when it is
    quoted, when every word but the function words is capitalised (``Scientific Outlook on
    Development``; one capitalised word opening a sentence is not), or when it opens with a
    numeral (``three critical battles``, ``14th Five-Year Plan``, ``eight-point decision``).

    Examples
    --------
    >>> key = lambda text: tuple(stem(w) for w in text.split())
    >>> p = phrases("We advanced the Belt and Road Initiative and three critical battles.", 4)
    >>> p[key("belt and road initiative")][:2], p[key("three critical battles")][:2]
    (('Belt and Road Initiative', True), ('three critical battles', True))
    >>> p[key("advanced")]
    ('advanced', False, 0.044...)
    >>> phrases("agriculture, rural areas, and farmers")[key("agriculture rural area and farmer")]
    ('agriculture, rural areas, and farmers', False, 0.0)
    """
    out: dict[tuple, tuple[str, bool, float]] = {}
    for words, quoted, first in clauses(text):
        keys = [w[0] for w in words]
        edge = [k not in FUNCTION_WORDS for k in keys]
        capital = [text[w[1]].isupper() or text[w[1]].isdigit() or w[0] in FUNCTION_WORDS for w in words]
        for i in range(len(words)):
            if not edge[i]:
                continue
            for j in range(i + 1, min(i + max_tokens, len(words)) + 1):
                key = tuple(keys[i:j])
                if not edge[j - 1] or (key in out and out[key][1]):
                    continue
                caps = all(capital[i:j]) and not (i == 0 and first and j == 1)
                term = (quoted and i == 0 and j == len(words)) or caps or _numeral(keys[i])
                out[key] = (text[words[i][1]:words[j - 1][2]], term, words[i][1] / max(len(text), 1))
    return out


_QUOTES = {'"', "“", "”"}
_NUMERALS = frozenset(stem(w) for w in (
    "one two three four five six seven eight nine ten eleven twelve first second third fourth fifth sixth seventh "
    "eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth double dual twin triple").split())


def _numeral(key: str) -> bool:
    head = key.split("-")[0]
    return head in _NUMERALS or head[:1].isdigit()


def occurrences(key: tuple, segs: Iterable[int], pairs: Sequence[dict]) -> list[tuple]:
    """Each occurrence of ``key`` in the English of ``segs``: (segment, clause words, start, end)."""
    occ = []
    for i in segs:
        for words, _, _ in clauses(pairs[i]["en"]):
            keys = [w[0] for w in words]
            for a in range(len(keys) - len(key) + 1):
                if tuple(keys[a:a + len(key)]) == key:
                    occ.append((i, words, a, a + len(key)))
    return occ


def open_share(occ: list, pairs: Sequence[dict]) -> tuple[float, float]:
    """The share of occurrences in which the phrase is a piece of a longer expression, on each
    side. On the right: the same continuation (function words and a content word: ``and
    delegate`` after ``streamline administration``) in most occurrences, or a content word right
    after it (no comma between: ``decision on improving`` | ``Party …``, ``work …``) that is no
    frame noun (``english_frames.txt``: business startup and innovation | ``initiative``). On the left: the same content word right before it in
    most occurrences, or the same content word and ``and``/``or`` (``operating permits and`` before
    ``business licenses``): a fixed modifier or the other half of a pair, while the verbs before a
    term vary, and a possessive ``'s`` is a boundary; for a list (a comma inside), the same word
    and any function words (``formalities for`` before ``formalities' sake, bureaucratism, …``),
    or one more item before it (``formalism,`` before ``bureaucratism, hedonism, and
    extravagance``, ``the telecommunications network, the`` before ``radio and television
    broadcasting network, and the Internet``), and a phrase after ``…, and`` is the last item of a
    list (``workers' compensation, maternity insurance, and`` | ``housing provident fund schemes``).
    A list without ``and``/``or`` followed by a comma lacks its last item.
    Returns the shares (left, right)."""
    before: Counter = Counter()
    after: Counter = Counter()
    listed = listed_after = run_on = 0
    for i, words, a, b in occ:
        text = pairs[i]["en"]
        unit, inner = next_unit(words, a, b, -1), text[words[a][1]:words[b - 1][2]]
        is_list = "," in inner
        if unit and not unit[0].endswith("'s") and (is_list or set(unit[1:]) <= {"and", "or"}):
            gap = text[words[a - len(unit)][2]:words[a][1]]
            if "," not in gap:
                before[unit] += 1
            elif is_list or len(unit) > 1:  # one more item before a list, or a list's last item
                listed += 1
        if b < len(words) and "," not in text[words[b - 1][2]:words[b][1]]:
            run_on += words[b][0] not in FUNCTION_WORDS and words[b][0] not in FRAME_WORDS
            after[next_unit(words, a, b, 1)] += 1
        elif b < len(words) and is_list and not {"and", "or"} & {w[0] for w in words[a:b]}:
            listed_after += 1  # a list without its last item: Party Constitution, Party regulations, | and …
    after.pop((), None)
    left = max(listed, max(before.values(), default=0))
    same = max(after.values(), default=0)  # the same continuation: in more than half of the uses
    right = max(listed_after, run_on, same if 2 * same > len(occ) else 0)
    return left / len(occ), right / len(occ)


def trim_edges(key: tuple, slogan: str, detached: Callable[[tuple, tuple], bool] | None = None) -> tuple:
    """``key`` without the words at its edges that render no part of ``slogan``: a first word
    followed by an article (create a | ``new pattern of development``: the verb of the sentence
    around a term), and a frame noun that opens it with ``of``/``for`` (strategy of | ``competing on
    quality``) or ends it (``employment-first`` | policy), unless the slogan holds one of the
    frame's Chinese heads (:data:`FRAME_HEADS`: 河长制 keeps ``river chief system``) or, at the
    end, the frame never comes off (``detached(core, key)`` is false: the core is never found
    without it, as ``four-pronged comprehensive`` always comes with ``strategy``).

    Examples
    --------
    >>> key = lambda text: tuple(stem(w) for w in text.split())
    >>> trim_edges(key("strategy of competing on quality"), "以质取胜") == key("competing on quality")
    True
    >>> trim_edges(key("create a new pattern of development"), "新发展格局") == key("new pattern of development")
    True
    >>> trim_edges(key("river chief system"), "河长制") == key("river chief system")
    True
    >>> whole = key("four-pronged comprehensive strategy")
    >>> trim_edges(whole, "四个全面", lambda core, key: False) == whole
    True
    """
    def frame(word: str) -> bool:
        return word in FRAME_HEADS and not any(head in slogan for head in FRAME_HEADS[word])

    def off(core: tuple) -> tuple:
        return core if detached is None or detached(core, key) else key

    while len(key) > 2 and key[1] in ARTICLES and key[2] not in FUNCTION_WORDS:
        key = key[2:]
    if len(key) > 2 and frame(key[0]) and key[1] in ("of", "for") and key[2] not in FUNCTION_WORDS:
        key = key[2:]
    if len(key) > 1 and frame(key[-1]):
        core = key[:-1]
        while len(core) > 1 and core[-1] in FUNCTION_WORDS:
            core = core[:-1]
        key = off(core)
    return key


def is_capitalised(text: str, words) -> bool:
    """Whether every word but the function words starts with a capital or a digit."""
    content = [w for w in words if w[0] not in FUNCTION_WORDS]
    return bool(content) and all(text[w[1]].isupper() or text[w[1]].isdigit() for w in content)


def next_unit(words, a: int, b: int, side: int) -> tuple:
    """The function words and the one further word next to ``words[a:b]`` on one side."""
    keys = [w[0] for w in words]
    out = []
    k = b if side > 0 else a - 1
    while 0 <= k < len(keys):
        out.append(keys[k])
        if keys[k] not in FUNCTION_WORDS:
            return tuple(out) if side > 0 else tuple(reversed(out))
        k += side
    return ()
