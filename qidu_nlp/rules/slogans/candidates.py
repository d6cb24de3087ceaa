"""qidu_nlp.rules.slogans.candidates: where a slogan may be, on the characters of a text.

Everything works on the normalised view of a document (:func:`qidu_nlp.text.normalize.normalize`)
and returns plain data:

- :func:`quoted_candidates`: the text inside every outermost pair of quotation marks, in all
  quote styles (“” ‘’ 「」 『』, and ASCII ``"`` / ``'`` where they balance on the line);
- :func:`numeral_candidates`: unquoted numeral abbreviations by a small grammar over Chinese
  numerals and digits (三区两园一线, 三提三争, 四清一落实, 两个确立, 十四五, 三大攻坚战, 三项制度);
- :func:`formula_candidates`: the closed list of national formulas, matched on characters;
- :func:`repeat_candidates`: unquoted repetitions of slogans quoted elsewhere;
- :func:`find_frame`: the head noun after a slogan; :func:`slogan_norm`: the canonical form.

A candidate is a dict ``{"start", "end", "source", "quote"}`` with ``source`` one of
``"quoted"``, ``"numeral"``, ``"formula"``, ``"repeat"`` and ``quote`` the opening mark (or "").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ...text.chars import CN_DIGITS, CN_PAIR, CN_TEN_POWERS, CN_TWO, DIGITS
from ...text.normalize import normalize, trim_span
from ...text.terms import automaton, count_terms  # noqa: F401  (count_terms: part of this module's API)
from .lexicons import Lexicons, load_lexicons  # noqa: F401  (load_lexicons: the examples)

__all__ = ["quoted_candidates", "numeral_candidates", "formula_candidates", "repeat_candidates",
           "find_candidates", "find_frame", "slogan_norm", "quoted_mask", "match_terms", "count_terms"]

OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
CLOSERS = {v: k for k, v in OPENERS.items()}
ASCII_QUOTES = ('"', "'")
MAX_QUOTED = 40
SENT_FINAL = set("。！？!?\n")
# every character the quote scanner acts on; all others are skipped without a look
_QUOTE_CHARS = re.compile("[" + re.escape("".join(OPENERS) + "".join(OPENERS.values()) + "".join(ASCII_QUOTES)) + "]")
# the numerals that count the members of a set: 一 … 九, 两, 十 and 双 (双招双引)
SET_NUMERALS = CN_DIGITS + CN_TWO + CN_TEN_POWERS[0] + CN_PAIR
COUNT_NUMERALS = (set(SET_NUMERALS) - {"一"}) | set(DIGITS)  # 一 alone is "one", not a count
CONTEXT_CUES = ("honour", "product", "adopt", "emphasis")
LOCATIVES = set("中上下内外里间前后")
BOUNDARY_AFTER = set("等的和与及为是、，。；：在有取实建成加持全将已均")
PUNCT = set("，。、；：？！,.;:?!（）()《》【】“”‘’「」『』\"' \n")
# a numeral followed by one of these is a measure, a date or an ordinal, not a set count
MEASURE_AFTER = set("号级万亿千百年月日周次人元%岁期届")
# unquoted numeral grammar
N = f"[{SET_NUMERALS}]"
_ND = rf"(?:[{CN_DIGITS[1:]}{CN_TWO}十]|\d{{1,2}})"
_NOT_N = f"[^{SET_NUMERALS}个年月日次位名家项件元人户届期号级万亿千百第多余几批种些道起系\\W\\d_a-zA-Z]"
_NO_NUMERAL_BEFORE = rf"(?<![{CN_DIGITS}{CN_TWO}十\d第])"
NUMERAL_PATTERNS = (
    ("plan", re.compile(rf"(?<!第)十[{CN_DIGITS}]五")),
    ("parallel", re.compile(rf"(?<![{SET_NUMERALS}第\d]){N}{_NOT_N}{{1,2}}(?:{N}{_NOT_N}{{1,2}}){{1,3}}")),
    ("ge", re.compile(rf"{_NO_NUMERAL_BEFORE}{_ND}个{_NOT_N}{{2}}")),
    ("da", re.compile(rf"{_NO_NUMERAL_BEFORE}{_ND}[大项]{_NOT_N}{{2,4}}")),
)


def quoted_candidates(norm: str) -> list[dict]:
    """Return the text inside every outermost pair of quotation marks.

    Quotes pair within one line. A second “ while a “ is open replaces the stray first one
    (Chinese nests ‘’ inside “”, never “ inside “); an unclosed quote yields nothing; with
    nested quotes only the outer text is a candidate; ASCII quotes count only where they
    balance on their line. Quoted text longer than 40 characters or holding a sentence end is
    no candidate.

    Examples
    --------
    >>> t = "聚焦“闲地”“闲产”，“旧貌”换‘新颜’，“全国‘文明’村”，“无“零容忍”"
    >>> [t[c["start"]:c["end"]] for c in quoted_candidates(t)]
    ['闲地', '闲产', '旧貌', '新颜', '全国‘文明’村', '零容忍']
    """
    out = []
    pos = 0
    for line in norm.split("\n"):
        ascii_ok = {q: line.count(q) % 2 == 0 for q in ASCII_QUOTES}
        stack: list[tuple[str, int]] = []
        for m in _QUOTE_CHARS.finditer(line):
            i, ch = m.start(), m.group()
            if stack and (ch == OPENERS.get(stack[-1][0]) or (ch in ASCII_QUOTES and ch == stack[-1][0])):
                opener, start = stack.pop()
                if not stack:
                    s, e = trim_span(line, start + 1, i)
                    body = line[s:e]
                    if 0 < e - s <= MAX_QUOTED and not (set(body) & SENT_FINAL):
                        out.append({"start": pos + s, "end": pos + e, "source": "quoted", "quote": opener})
                continue
            if ch in OPENERS:
                if stack and stack[-1][0] == ch:
                    stack = [(ch, i)] if len(stack) == 1 else stack[:-1] + [(ch, i)]
                else:
                    stack.append((ch, i))
            elif ch in ASCII_QUOTES and ascii_ok[ch]:
                stack.append((ch, i))
        pos += len(line) + 1
    return out


def quoted_mask(norm: str, quoted: list[dict]) -> bytearray:
    mask = bytearray(len(norm))
    for c in quoted:
        mask[c["start"] - 1 : c["end"] + 1] = b"\x01" * (c["end"] - c["start"] + 2)
    return mask


_ND_HEAD = re.compile(_ND + "[大项]")


def numeral_candidates(norm: str) -> list[dict]:
    """Unquoted numeral-built phrases that may name a set (the judge decides which do).

    The grammar: five-year plans (十四五), parallel numeral + word runs (三区两园一线, 三重一大,
    四清一落实, 双招双引), numeral + 个 + two characters (两个确立) and numeral + 大/项 + two to four
    characters (三大攻坚战, 三项制度; each length is a candidate). Ordinals (第…) and numbers
    that continue a longer numeral are excluded.

    Examples
    --------
    >>> t = "坚持三重一大集体决策，打好三大攻坚战，落实十四五规划"
    >>> sorted({t[c["start"]:c["end"]] for c in numeral_candidates(t)})
    ['三大攻坚', '三大攻坚战', '三重一大', '三重一大集', '十四五']
    """
    out = []
    seen = set()
    for name, pattern in NUMERAL_PATTERNS:
        for m in pattern.finditer(norm):
            s, e = m.span()
            ends = [e]
            if name == "parallel" and e - s > 4 and norm[e - 2] not in SET_NUMERALS:
                ends = [e - 1, e]  # the last item has one character or two: 三重一大 | 四清一落实
            if name == "da":
                head = _ND_HEAD.match(norm, s).end()
                ends = list(range(head + 2, e + 1))
            for end in ends:
                if (s, end) not in seen:
                    seen.add((s, end))
                    out.append({"start": s, "end": end, "source": "numeral", "quote": "", "pattern": name})
    return out


@lru_cache(maxsize=8)
def _automaton(terms: tuple):
    return automaton(terms)


def match_terms(norm: str, terms: tuple) -> list[tuple[int, int]]:
    """Leftmost-longest, non-overlapping occurrences of ``terms`` in ``norm`` (one Aho–Corasick
    pass over the text, whatever the number of terms).

    Examples
    --------
    >>> match_terms("新发展理念和新发展格局", ("新发展理念", "新发展格局", "发展"))
    [(0, 5), (6, 11)]
    """
    if not terms:
        return []
    hits = sorted(((end + 1 - len(term), end + 1) for end, term in _automaton(terms).iter(norm)),
                  key=lambda x: (x[0], -x[1]))
    out, last = [], -1
    for s, e in hits:  # leftmost-longest, no overlaps
        if s >= last:
            out.append((s, e))
            last = e
    return out


def formula_candidates(norm: str, lexicons: Lexicons) -> list[dict]:
    """Every occurrence of a closed-list formula (leftmost longest, on characters).

    Examples
    --------
    >>> t = "坚持稳中求进工作总基调，贯彻新发展理念"
    >>> [t[c["start"]:c["end"]] for c in formula_candidates(t, load_lexicons())]
    ['稳中求进工作总基调', '新发展理念']
    """
    terms = tuple(sorted(lexicons.formulas))
    return [
        {"start": s, "end": e, "source": "formula", "quote": ""}
        for s, e in match_terms(norm, terms)
    ]


def repeat_candidates(norm: str, norms: dict, *, min_len: int = 3) -> list[dict]:
    """Unquoted occurrences of known slogans (``norms``: surface → kind).

    Two-character slogans count only when numeric (四风, 三公): shorter words recur by chance.

    Examples
    --------
    >>> t = "围绕“强富美优”城市愿景，建设强富美优新城区"
    >>> [(c["start"], c["end"]) for c in repeat_candidates(t, {"强富美优": "motto"})]
    [(15, 19)]
    """
    terms = tuple(
        sorted(t for t, k in norms.items() if len(t) >= min_len or (len(t) == 2 and k == "numeric"))
    )
    if not terms:
        return []
    out = []
    for s, e in match_terms(norm, terms):
        before = norm[s - 1] if s > 0 else ""
        after = norm[e] if e < len(norm) else ""
        if before in OPENERS or before in ASCII_QUOTES or after in CLOSERS or after in ASCII_QUOTES:
            continue
        out.append({"start": s, "end": e, "source": "repeat", "quote": ""})
    return out


def find_candidates(norm: str, lexicons: Lexicons, *, known: dict | None = None) -> list[dict]:
    """All candidates of a text, each (start, end) once; quoted ones take precedence.

    Unquoted candidates are not sought inside quoted text. An unquoted candidate whose first
    character completes a blocked word with the character before it (创|新发展理念) is dropped.
    Candidates crossing a line break or starting/ending on whitespace never occur.

    Examples
    --------
    >>> t = "坚定“两个确立”，坚持三重一大，贯彻新发展理念"
    >>> [(t[c["start"]:c["end"]], c["source"]) for c in find_candidates(t, load_lexicons())]
    [('两个确立', 'quoted'), ('三重一大', 'numeral'), ('新发展理念', 'formula')]
    """
    quoted = quoted_candidates(norm)
    mask = quoted_mask(norm, quoted)
    out = list(quoted)
    seen = {(c["start"], c["end"]) for c in quoted}
    unquoted = formula_candidates(norm, lexicons) + numeral_candidates(norm)
    if known:
        unquoted += repeat_candidates(norm, known)
    for c in unquoted:
        s, e = c["start"], c["end"]
        if (s, e) in seen or any(mask[s:e]):
            continue
        if s > 0 and norm[s - 1 : s + 1] in lexicons.blocked:
            continue
        if "\n" in norm[s:e] or norm[s].isspace() or norm[e - 1].isspace():
            continue
        seen.add((s, e))
        out.append(c)
    out.sort(key=lambda c: (c["start"], c["end"]))
    return out


# --- features -------------------------------------------------------------------------------


def find_frame(norm: str, end: int, lexicons: Lexicons) -> str | None:
    """The frame noun right after a slogan ending at ``end`` (closing quotes skipped).

    Examples
    --------
    >>> t = "围绕“1221”工作体系"
    >>> find_frame(t, 7, load_lexicons())
    '工作体系'
    """
    i = end
    while i < len(norm) and (norm[i] in CLOSERS or norm[i] in ASCII_QUOTES):
        i += 1
    if norm[i : i + 1] == "等":
        i += 1
    window = norm[i : i + 8]
    # the longest frame that starts the window (lexicons.frames is sorted longest first): a
    # set lookup per prefix length instead of a startswith per frame
    frames = lexicons.frame_set
    for k in range(len(window), 0, -1):
        if window[:k] in frames:
            return window[:k]
    return None



_PUNCT_FOLD = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）", "－": "-", "–": "-", "—": "—"}


def slogan_norm(surface: str) -> str:
    """The canonical form of a slogan: quotes stripped, widths folded, spacing unified.

    Examples
    --------
    >>> slogan_norm("“文化齐都　品质小城”") == slogan_norm("文化齐都 品质小城") == "文化齐都 品质小城"
    True
    >>> slogan_norm("４＋Ｎ"), slogan_norm("全覆盖,无死角")
    ('4+N', '全覆盖，无死角')
    """
    text = normalize(unicodedata.normalize("NFC", surface)).strip()
    text = text.strip("“”‘’「」『』\"' ")
    text = "".join(_PUNCT_FOLD.get(ch, ch) for ch in text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ?([、，；：+·—\-/]) ?", r"\1", text)
    return text.upper() if re.fullmatch(r"[0-9a-zA-Z+\-]+", text) else text

