"""qidu_nlp.structure: paragraphs, sentences, section paths and the report header.

Pure functions over a document's text (all offsets are character offsets into it), and the
``qidu_structure`` component that puts them on a ``Doc``: sentence starts (so ``doc.sents``
follows Chinese sentence ends and keeps quotations whole), ``doc._.paragraphs`` and
``doc._.sections``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .spans import ensure_boundaries
from .text import doc_text, normalize, token_starts

SENT_END = set("。！？；!?;")
CLOSERS = set("”’」』)）】〕》\"'")
OPEN_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}
MAX_QUOTE = 150  # a quotation longer than this is treated as unbalanced, not kept whole

_HEADING_NUM = [
    (re.compile(r"^[一二三四五六七八九十百]+[、.．]"), 2),
    (re.compile(r"^[(（][一二三四五六七八九十百]+[)）]"), 3),
    (re.compile(r"^\d{1,2}[.．、](?!\d)"), 4),
    (re.compile(r"^[(（]\d{1,2}[)）]"), 5),
]
_SALUTATION = re.compile(r"^(各位代表|同志们|各位委员)")
_DATELINE = re.compile(
    r"(?P<date>(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日)\s*在\s*(?P<meeting>[^\n]{2,80}?(?:\n[^\n]{0,40}?)?)上"
)
_SPEAKER = re.compile(
    r"^(?P<role>(?:国务院)?(?:代理|代)?(?:总理|省长|市长|区长|县长|镇长|乡长|主席|主任|州长|旗长))\s*(?P<name>[\u4e00-\u9fff][\u4e00-\u9fff\s]{0,6}[\u4e00-\u9fff])\s*$"
)
_LEVELS = [("镇", "town"), ("乡", "town"), ("街道", "town"), ("县", "county"), ("旗", "county"),
           ("区", "district"), ("市", "city"), ("州", "city"), ("省", "province"), ("自治区", "province")]


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


def split_sentences(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Split ``text`` into sentences: Chinese and half-width ends (。！？；!?;) and line breaks.

    A closing quote or bracket after the end mark stays with its sentence, and a quotation is
    kept whole unless it runs over ``MAX_QUOTE`` characters (an unbalanced quote).

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
                close = norm.find(OPEN_QUOTES[ch], i + 1, min(p_end, i + 1 + MAX_QUOTE))
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


@dataclass
class Header:
    """Metadata parsed from a report header (all fields may be None)."""

    title: str | None = None
    date: str | None = None
    year: int | None = None
    meeting: str | None = None
    place: str | None = None
    level: str | None = None
    speaker: str | None = None
    speaker_role: str | None = None
    end: int = 0  # offset where the body starts

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "end"}


def parse_header(text: str) -> Header:
    """Parse the title, date, meeting, place, level and speaker from a report header.

    Only the lines before the first salutation (各位代表…) are read.

    Examples
    --------
    >>> h = parse_header("政府工作报告\\n\\n——2024年1月12日在齐都镇第二十届\\n人民代表大会第三次会议上\\n镇长  刘菁华\\n\\n各位代表：\\n现在……")
    >>> h.date, h.meeting, h.place, h.level, h.speaker
    ('2024-01-12', '齐都镇第二十届人民代表大会第三次会议', '齐都镇', 'town', '刘菁华')
    """
    norm = normalize(text)
    head_end = len(norm)
    m = re.search(r"^\s*(各位代表|同志们|各位委员)", norm[:3000], flags=re.M)
    if m:
        head_end = m.start(1)
    head = norm[: min(head_end, 1500)]
    h = Header(end=head_end if m else 0)
    lines = [ln.strip() for ln in head.split("\n") if ln.strip()]
    if lines and len(lines[0]) <= 40 and not lines[0].startswith("—"):
        title = re.sub(r"\s+", "", lines[0])
        if "报告" in title or len(lines) > 1:
            h.title = title
    d = _DATELINE.search(head)
    if d:
        h.date = f"{int(d['y']):04d}-{int(d['m']):02d}-{int(d['d']):02d}"
        h.year = int(d["y"])
        h.meeting = re.sub(r"\s+", "", d["meeting"])
        pm = re.match(r"^(.{2,20}?)(?:第[一二三四五六七八九十百\d]+届|[一二三四五六七八九十\d]+届)", h.meeting)
        if "全国人民代表大会" in h.meeting and (pm is None or pm.group(1).startswith("第")):
            h.place, h.level = "中国", "national"
        elif pm:
            h.place = pm.group(1)
            for suffix, level in _LEVELS:
                if h.place.endswith(suffix):
                    h.level = level
                    break
            if h.place.startswith("全国"):
                h.place, h.level = "中国", "national"
    for line in lines:
        sm = _SPEAKER.match(line)
        if sm:
            h.speaker = re.sub(r"\s+", "", sm["name"])
            h.speaker_role = re.sub(r"\s+", "", sm["role"])
            break
    return h


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


def set_sentence_starts(doc: Doc, sentences: list[tuple[int, int]]) -> None:
    """Make ``doc.sents`` follow ``sentences`` (character offsets), splitting tokens if needed."""
    starts = {s for s, _ in sentences}
    ensure_boundaries(doc, starts)
    if len(doc):
        # one array write: setting token.is_sent_start one by one rescans the doc each time
        # (and a vectorised membership test: a Python list of lists cost 4 % of the pipeline)
        begins = numpy.isin(numpy.asarray(token_starts(doc), dtype="int64"),
                            numpy.fromiter(starts, dtype="int64", count=len(starts)))
        begins[0] = True
        flags = numpy.where(begins, 1, -1).astype("int64").astype("uint64").reshape(-1, 1)
        doc.from_array([SENT_START], flags)


class DocumentStructure:
    """The ``qidu_structure`` component: sentences, paragraphs and sections on the Doc.

    Sets ``token.is_sent_start`` from :func:`split_sentences`, and ``doc._.paragraphs``
    (list of ``[start, end]``) and ``doc._.sections`` (list of ``[start, end, path]``, one per
    paragraph).
    """

    def __init__(self, nlp: Language, name: str = "qidu_structure"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        paragraphs = split_paragraphs(text)
        sentences = split_sentences(text, paragraphs)
        set_sentence_starts(doc, sentences)
        doc._.paragraphs = [[s, e] for s, e in paragraphs]
        paths = section_paths(text, paragraphs)
        doc._.sections = [[s, e, p] for (s, e), p in zip(paragraphs, paths)]
        return doc

    def to_disk(self, path, exclude=tuple()):
        pass

    def from_disk(self, path, exclude=tuple()):
        return self


@Language.factory("qidu_structure", assigns=["token.is_sent_start"])
def make_structure(nlp: Language, name: str) -> DocumentStructure:
    """Factory of :class:`DocumentStructure`."""
    return DocumentStructure(nlp, name)
