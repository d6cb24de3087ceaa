"""qidu_nlp.text.structure: paragraphs, sentences, headings and section paths of a text.

Pure functions over a document's text; every offset is a character offset into it. The
``qidu_structure`` component (:mod:`qidu_nlp.pipeline.structure`) puts them on a ``Doc``.

Examples
--------
>>> t = "一、突出产业赋能\\n持续壮大产业园区。加快项目建设。"
>>> [t[s:e] for s, e in split_sentences(t)]
['一、突出产业赋能', '持续壮大产业园区。', '加快项目建设。']
"""

from __future__ import annotations

import bisect
import re

from .chars import CN_DIGITS, CN_TEN_POWERS
from .header import parse_header
from .normalize import normalize

SENT_END = set("。！？；!?;")
CLOSERS = set("”’」』)）】〕》\"'")
OPEN_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}
MAX_QUOTE = 150  # a quotation longer than this is treated as unbalanced, not kept whole

_HEADING_NUMERAL = CN_DIGITS + CN_TEN_POWERS[:2]  # 一 … 九, 十, 百
_HEADING_NUM = [
    (re.compile(rf"^[{_HEADING_NUMERAL}]+[、.．]"), 2),
    (re.compile(rf"^[(（][{_HEADING_NUMERAL}]+[)）]"), 3),
    (re.compile(r"^\d{1,2}[.．、](?!\d)"), 4),
    (re.compile(r"^[(（]\d{1,2}[)）]"), 5),
]
_SALUTATION = re.compile(r"^(各位代表|同志们|各位委员)")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the non-blank lines of ``text`` as ``(start, end)`` offsets, whitespace trimmed.

    Examples
    --------
    >>> split_paragraphs("  甲。\\n\\n乙丙\\n")
    [(2, 4), (6, 8)]
    """
    out = []
    pos = 0
    norm = normalize(text)
    for line in norm.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return out


def split_sentences(text: str, paragraphs: list[tuple[int, int]] | None = None, *,
                    max_quote: int = MAX_QUOTE) -> list[tuple[int, int]]:
    """Split ``text`` into sentences: Chinese and half-width ends (。！？；!?;) and line breaks.

    A closing quote or bracket after the end mark stays with its sentence, and a quotation is
    kept whole unless it runs over ``max_quote`` characters (an unbalanced quote).

    Examples
    --------
    >>> t = "他说：“好。走！”然后走了。下一句"
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['他说：“好。走！”然后走了。', '下一句']
    """
    norm = normalize(text)
    if paragraphs is None:
        paragraphs = split_paragraphs(text)
    out = []
    for p_start, p_end in paragraphs:
        start = p_start
        i = p_start
        quote_close = None
        while i < p_end:
            ch = norm[i]
            if quote_close is None and ch in OPEN_QUOTES:
                close = norm.find(OPEN_QUOTES[ch], i + 1, min(p_end, i + 1 + max_quote))
                if close != -1:
                    quote_close = OPEN_QUOTES[ch]
            elif quote_close is not None and ch == quote_close:
                quote_close = None
            elif quote_close is None and ch in SENT_END:
                j = i + 1
                while j < p_end and (norm[j] in CLOSERS or norm[j] in SENT_END):
                    j += 1
                out.append((start, j))
                while j < p_end and norm[j].isspace():
                    j += 1
                start = i = j
                continue
            i += 1
        if start < p_end:
            end = p_end
            if norm[start:end].strip():
                out.append((start, end))
    return out


def is_heading(line: str) -> int:
    """Return the heading level of a paragraph (0 when it is not a heading).

    Levels: 1 for an unnumbered section title (``2023年政府工作回顾``), 2 for ``一、``, 3 for
    ``（一）``, 4 for ``1.`` and 5 for ``(1)``. A numbered heading may end in a sentence
    (``一、突出产业赋能，创新驱动引领高位发展``) but not run on into a paragraph.

    Examples
    --------
    >>> is_heading("2024年目标任务和工作重点"), is_heading("一、突出产业赋能，创新驱动引领高位发展")
    (1, 2)
    >>> is_heading("持续壮大产业园区。坚持把精准招大引强和提速项目建设作为园区发展的两大抓手。")
    0
    """
    line = normalize(line).strip()
    if not line or len(line) > 60:
        return 0
    for pattern, level in _HEADING_NUM:
        if pattern.match(line):
            body = line.rstrip("。")
            return level if not any(c in SENT_END for c in body) and len(line) <= 40 else 0
    if any(c in SENT_END or c in "，,：:" for c in line) or len(line) > 30 or _SALUTATION.match(line):
        return 0
    return 1


def section_paths(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[str]:
    """Return the section path of every paragraph (``"A > B"``; ``""`` before the first heading).

    A heading's own path includes itself.

    Examples
    --------
    >>> t = "2024年目标任务和工作重点\\n一、突出产业赋能\\n持续壮大产业园区。"
    >>> section_paths(t)
    ['2024年目标任务和工作重点', '2024年目标任务和工作重点 > 一、突出产业赋能', '2024年目标任务和工作重点 > 一、突出产业赋能']
    """
    if paragraphs is None:
        paragraphs = split_paragraphs(text)
    body_start = parse_header(text).end
    stack: list[tuple[int, str]] = []
    paths = []
    for start, end in paragraphs:
        line = text[start:end]
        level = is_heading(line) if start >= body_start else 0
        if level:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, normalize(line).strip()))
        paths.append(" > ".join(h for _, h in stack))
    return paths


def locate(offsets: list[tuple[int, int]], char: int, *, starts: list[int] | None = None) -> int:
    """Index of the unit in ``offsets`` (sorted ``(start, end)``) that holds ``char``, or -1.

    Pass ``starts`` (the units' start offsets) when locating many characters in the same units.

    Examples
    --------
    >>> locate([(0, 3), (5, 9)], 6), locate([(0, 3), (5, 9)], 4)
    (1, -1)
    """
    i = bisect.bisect_right(starts if starts is not None else [s for s, _ in offsets], char) - 1
    if i >= 0 and offsets[i][0] <= char < offsets[i][1]:
        return i
    return -1


