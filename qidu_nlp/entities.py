"""qidu_nlp.entities: named entities of local policy text (the ``qidu_entities`` component).

Seven labels, one flat layer (the longest name wins, nothing is marked inside it), as in the
annotation guide: VILLAGE, PLACE, ORG, PROJECT, PERSON, EVENT, DOC.

How names are found, on the characters of :func:`qidu_nlp.text.normalize` (pkuseg tokens are
only consulted to check where a short name may start and end):

- PLACE: a gazetteer of China's administrative divisions (province → prefecture → county → town,
  with unambiguous suffix-less forms such as 淄博, 临淄), countries and continents, extracted once
  from jionlp (``data/entities/divisions.tsv.gz``, see ``benchmarks/build_gazetteer.py``), plus
  a short list of regions (``regions.txt``). A town's bare form (齐都), and a district's short
  form that is also an ordinary word (武昌, 上城), count only after the full name (齐都镇, 武昌区)
  appeared in the same document. Rivers and lakes written as one token (淄河, 石塘湖); scenic and
  city areas named after a hill, lake or place (大龙山风景名胜区, 龙珠山片区, 姑苏古城); policy
  regions (皖江示范区).
- VILLAGE: a name before 村, 社区, 居委会, 居民区 or …家组; bare names listed before one
  (大夫、赵王等9个村; 西古东和田家村); a name before a generic head (棠悦智慧社区 → 棠悦).
- ORG: generic bodies with their level or place (县委, 区政府, 镇党委, 平阴县人民政府, 人大, 政协),
  a lexicon of national bodies and media, and names before an organisation suffix (集团, 有限公司,
  科技, 化工, 助剂, 学会 …) including a bracketed province (遨博（山东）智能机器人).
- PROJECT: names before a project or site suffix (项目, 产业园, 综合体, 广场, 路, 府, 苑 …), with
  a proper element (a core made only of generic words, 文化广场, is no project); widened over
  hyphenated places (马鞍山-南京-镇江城际铁路线), a company before its product facility or capacity
  (博远化工年产3.6万吨有机过氧化物项目), a Latin code at the head (凤凰河eod项目), a middle dot
  (华中金融城·资本中心) and a place-named section (商合杭高铁含山段). Quoted coined site names
  (“双生谷” → 双生谷; 工控“进未来”标准厂房 with a head after the quote). Items of a list closed by
  a count of projects or estates (三一发达、华旺新材料等…项目), company-with-product items over ORG.
- PERSON: two or three characters starting with a surname after a role title (镇长 刘菁华, 县长 张 平)
  or before 总书记/同志 (习近平总书记).
- EVENT: congress sessions (平阴县第十八届人民代表大会第三次会议, 县十七届人大二次会议), party congresses
  (党的二十大), plenums (二十届二中、三中全会), 人代会, 全省…大会.
- DOC: a title in 《》, brackets included, nesting allowed.

A name extends to the left over Chinese characters until a boundary word (a verb, preposition,
conjunction or particle: ``boundary_words.txt``, derived from jionlp's word list tagged by jiojio,
and ``boundary_extra.txt``). Names learned in a document (villages, people, companies, projects,
towns) are then found again wherever they recur. Each entity carries ``norm`` (the suffix-less
name for villages and places, spaces removed for people) and, for ORG/PROJECT/EVENT/DOC names that
contain a village or place, ``parts`` (``[{"label", "norm"}]``).
"""

from __future__ import annotations

import bisect
import gzip
import logging
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Iterable, Iterator

import numpy as np
from spacy.attrs import LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from .spans import write_spans
from .text import code_points, doc_text, normalize, sentence_offsets, token_starts

log = logging.getLogger(__name__)

LABELS = ("VILLAGE", "PLACE", "ORG", "PROJECT", "PERSON", "EVENT", "DOC")
_DATA = "qidu_nlp.data.entities"
_NUM = "[0-9一二三四五六七八九十百零〇两]"
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# priorities break ties between candidates of equal length
_COMMON_WORDS_1 = {"政府", "思路", "道路", "出路", "新路", "门路", "之路", "网路", "线路", "马路", "铁路", "公路",
                   "水路", "街道", "大街", "王府", "官府", "学府", "城府"}
_FUNCTION_CHARS = set("与为于从以及各向在对将把由的等被给这每和或")
_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CAPACITY_RE = re.compile(r"年(?:产|处理|加工|生产|吞吐)(?:能力)?[0-9.]+[万千亿]?(?:吨|台|套|件|辆|片|只|支|立方米|平方米)"
                          r"[\u4e00-\u9fff]{1,14}?(?:项目|工程|生产线)")
_LIST_END_RE = re.compile(rf"等(?:{_NUM}+个|一批|多个)?(?:[\u4e00-\u9fff]{{0,6}}?项目|[\u4e00-\u9fff]{{0,4}}?楼盘)|等(?:{_NUM}+[个项]|一批|多个)[\u4e00-\u9fff]{{0,4}}?工程")
_COMPANY_HEADS = ("公司", "集团", "科技", "高科", "股份", "控股", "实业", "置业", "环保", "化工", "助剂",
                  "药业", "制药", "传媒", "地产")
_WATER_RE = re.compile(r"[河湖]")
_NOT_WATER_FIRST = set("沿环跨入过临靠近护滨傍江山河湖内內外运银星冰天界母堰")
_NATURE_RUN = set("山水林田湖草沙")
_REGION_ABBR_RE = re.compile(r"[皖鲁苏浙粤闽赣湘鄂豫冀晋陕川滇黔桂琼辽吉黑蒙沪津渝][江南北东西中]")
_AREA_RE = re.compile(r"风景名胜区|风景区|名胜区|片区|古城|示范区")
_COMMUNITY_MODIFIERS = {"智慧", "幸福", "和谐", "文明", "美丽", "平安", "绿色", "数字", "未来", "完整"}
_SECTION_RE = re.compile(r"([\u4e00-\u9fff]{2,4}?)段")
_SITE_HEADS = ("广场", "公园", "游园", "街", "街区", "苑", "府", "园", "路", "大道", "小镇", "综合体")
_QUOTED_RE = re.compile(r"“([^”“\n\s]{2,20})”")
_HONOUR_BEFORE_RE = re.compile(r"(?:获评|荣获|评为|获得|创建|争创|创成|命名为|授予|首个|唯一一个|全国|全省|国家级|省级)“?$")
_QUOTED_SITE_HEADS = set("谷巷仓坊园苑府馆")
_PROGRAMME_HEADS = {"工程", "中心", "计划", "行动"}
_HEAD_CONTINUES = {"城市", "城镇"}
_PRIO = {"DOC": 7, "EVENT": 6, "PERSON": 5, "ORG": 4, "PROJECT": 3, "VILLAGE": 3, "PLACE": 2}


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph.

    Examples
    --------
    >>> is_cjk("村"), is_cjk("1")
    (True, False)
    """
    return "\u4e00" <= ch <= "\u9fff"


def _lines(name: str) -> list[str]:
    text = resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@dataclass
class Lexicons:
    """The data the rules use, read from ``qidu_nlp/data/entities``."""

    divisions: dict[str, tuple[str, str]] = field(default_factory=dict)  # surface -> (level, norm)
    town_alias: dict[str, str] = field(default_factory=dict)
    regions: set[str] = field(default_factory=set)
    boundary: set[str] = field(default_factory=set)
    titles_pre: list[str] = field(default_factory=list)
    titles_post: list[str] = field(default_factory=list)
    org_lexicon: set[str] = field(default_factory=set)
    org_suffixes: list[str] = field(default_factory=list)
    project_suffixes: list[str] = field(default_factory=list)
    generic: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)

    @cached_property
    def place_names(self) -> frozenset[str]:
        """Division and region names of two characters or more."""
        return frozenset(w for w in (*self.divisions, *self.regions) if len(w) >= 2)

    @cached_property
    def place_pairs(self) -> np.ndarray:
        """The first two characters of every place name, as sorted integers (a vectorised
        first test at all token starts at once)."""
        return np.unique(np.array([(ord(w[0]) << 21) | ord(w[1]) for w in self.place_names], dtype=np.int64))

    @cached_property
    def place_prefixes(self) -> frozenset[str]:
        """Every prefix (two characters or more) of a place name: a lookup at a token start
        stops at the first string no name begins with, so most starts cost one lookup."""
        return frozenset(w[:k] for w in self.place_names for k in range(2, len(w) + 1))

    @cached_property
    def titles_post_set(self) -> frozenset[str]:
        return frozenset(self.titles_post)

    @cached_property
    def max_place(self) -> int:
        # computed once: a max over 63k names on every call cost 1.5 s per report
        return max(map(len, self.divisions)) if self.divisions else 0


@lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    """Read (once) the gazetteer and word lists shipped in ``qidu_nlp/data/entities``.

    Examples
    --------
    >>> lex = load_lexicons()
    >>> lex.divisions["临淄区"], lex.divisions["淄博"]
    (('county', '临淄'), ('prefecture', '淄博'))
    """
    lex = Lexicons()
    raw = resources.files(_DATA).joinpath("divisions.tsv.gz").read_bytes()
    rank = {"province": 0, "prefecture": 1, "county": 2, "country": 3, "continent": 3, "town": 4}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        surface, level, norm = line.split("\t")
        if level == "town_alias":
            lex.town_alias[surface] = norm
            continue
        old = lex.divisions.get(surface)
        if old is None or rank[level] < rank[old[0]]:
            lex.divisions[surface] = (level, norm)
    lex.regions = set(_lines("regions.txt"))
    lex.boundary = set(_lines("boundary_words.txt")) | set(_lines("boundary_extra.txt"))
    for line in _lines("titles.txt"):
        kind, title = line.split("\t")
        (lex.titles_pre if kind == "pre" else lex.titles_post).append(title)
    lex.titles_pre.sort(key=len, reverse=True)
    lex.titles_post.sort(key=len, reverse=True)
    lex.org_lexicon = set(_lines("org_lexicon.txt"))
    lex.org_suffixes = sorted(set(_lines("org_suffixes.txt")), key=len, reverse=True)
    lex.project_suffixes = sorted(set(_lines("project_suffixes.txt")), key=len, reverse=True)
    lex.generic = set(_lines("generic_words.txt"))
    lex.surnames = {s for line in _lines("surnames.txt") for s in line.split()}
    return lex


# ----------------------------------------------------------------------------------------------
# pure helpers on characters


def _holds_word(text: str, words: set[str], *, min_len: int = 1) -> bool:
    """Whether some word of ``words`` (at least ``min_len`` long) occurs in ``text``: the
    substrings of a short text looked up in the set, not the set scanned."""
    n = len(text)
    return any(text[i:j] in words for i in range(n) for j in range(i + min_len, n + 1))


def _starts_with_word(text: str, words) -> bool:
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


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Start of every non-overlapping occurrence of ``word`` in ``text``, left to right (what
    ``re.finditer(re.escape(word), text)`` finds, without a pattern per word)."""
    i = text.find(word) if word else -1
    while i >= 0:
        yield i
        i = text.find(word, i + len(word))


def _boundary_before(t: str, p: int, lex: Lexicons) -> bool:
    """True when a boundary word ends at position ``p`` (or no Chinese character precedes it)."""
    if p <= 0 or not is_cjk(t[p - 1]):
        return True
    return any(t[max(0, p - n):p] in lex.boundary for n in (3, 2, 1))


def _place_ending_at(t: str, p: int, lex: Lexicons, min_start: int = 0) -> int | None:
    """Start of the longest gazetteer division (full name) that ends at ``p``."""
    for n in range(min(lex.max_place, p - min_start), 1, -1):
        hit = lex.divisions.get(t[p - n:p])
        if n == 2 and t[p - 2] in _FUNCTION_CHARS:  # 和县 in 市政府和县委
            continue
        if hit and hit[0] in ("province", "prefecture", "county", "town"):
            return p - n
    return None


def _boundary_after(t: str, e: int, lex: Lexicons) -> bool:
    """True when a boundary word starts at ``e`` (or no Chinese character follows)."""
    if e >= len(t) or not is_cjk(t[e]):
        return True
    return any(t[e:e + n] in lex.boundary for n in (3, 2, 1))


def extend_left(t: str, p: int, lex: Lexicons, max_len: int, stop_at_place: bool = False,
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
        ch = t[start - 1]
        if ch in "）)":
            open_at = max(t.rfind("（", min_start, start - 1), t.rfind("(", min_start, start - 1))
            inner = t[open_at + 1:start - 1] if open_at >= 0 else ""
            if open_at > min_start and 1 <= len(inner) <= 6 and all(map(is_cjk, inner)) \
                    and is_cjk(t[open_at - 1]):
                start = open_at
                continue
            break
        if ch.isascii() and ch.isalpha() and ascii_letters and start == p:
            run = len(t[min_start:start]) - len(t[min_start:start].rstrip(_ASCII_LETTERS))
            a = start - run
            if run >= 2 and a > min_start and is_cjk(t[a - 1]) and p - a < max_len:
                start = a  # a Latin code inside a name: 华瀛LNG, 凤凰河eod项目
                continue
            break
        if not is_cjk(ch) or _boundary_before(t, start, lex):
            break
        if stop_at_place and start < p and _place_ending_at(t, start, lex, min_start) is not None:
            break
        start -= 1
    return start


def _list_item_ok(item: str) -> bool:
    """A list item may hold numerals inside a brand (三一发达, 五星颐家) but is no count or honour."""
    if re.match(r"[一二三四五六七八九十两百千万0-9]+(?:[大项个号批条类座家期]|$)", item):
        return False
    if re.match(r"全国|全省|全市|全县|全区|国家|省级|市级|县级|首个|首批|一是|二是|三是|四是", item):
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


# ----------------------------------------------------------------------------------------------
# the finder


class _Finder:
    def __init__(self, text: str, seg: list[int], token_starts: set[int], token_ends: set[int],
                 lex: Lexicons):
        self.t = text
        self.seg = seg
        self.ts = token_starts
        self.te = token_ends
        self.lex = lex
        self.cands: list[dict] = []
        self._sorted_starts: list[int] | None = None

    # -- bookkeeping
    def ok_span(self, s: int, e: int) -> bool:
        t = self.t
        if not (0 <= s < e <= len(t)) or t[s].isspace() or t[e - 1].isspace():
            return False
        return self.seg[s] >= 0 and self.seg[s] == self.seg[e - 1]

    def add(self, s: int, e: int, label: str, norm: str | None = None, **attrs) -> None:
        if self.ok_span(s, e):
            surface = self.t[s:e]
            item = {"start": s, "end": e, "label": label,
                    "norm": norm if norm is not None else re.sub(r"\s+", "", surface)}
            item.update(attrs)
            self.cands.append(item)

    def seg_start(self, p: int) -> int:
        """The first position of the run of equal segment ids that holds ``p``."""
        return self._seg_first[p]

    @cached_property
    def _seg_first(self) -> list[int]:
        # for every position at once: the last change of segment id at or before it
        ids = np.asarray(self.seg, dtype=np.int64)
        change = np.ones(len(ids), dtype=bool)
        change[1:] = ids[1:] != ids[:-1]
        return np.maximum.accumulate(np.where(change, np.arange(len(ids)), 0)).tolist()

    # -- DOC
    def docs(self) -> None:
        t = self.t
        for m in re.finditer("《", t):
            depth, j = 0, m.start()
            while j < len(t) and t[j] != "\n":
                if t[j] == "《":
                    depth += 1
                elif t[j] == "》":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j < len(t) and t[j] == "》" and j - m.start() > 1:
                self.add(m.start(), j + 1, "DOC", norm=t[m.start():j + 1])
        # nested inner titles are inside the outer one: the flat layer keeps the outer

    # -- EVENT
    def place_prefix(self, p: int, lone_level: bool = True) -> int:
        """Start of the place names (or one level character 县/区/市…) right before ``p``."""
        t, start = self.t, p
        lo = self.seg_start(p) if self.seg[p] >= 0 else p
        while True:
            s = _place_ending_at(t, start, self.lex, lo)
            if s is None:
                break
            start = s
        if start == p and lone_level and p > lo and t[p - 1] in "省市县区镇乡州旗":
            if p - 1 == lo or t[p - 2] not in "全各本该每两三四五六七八九十多个省市县区镇乡州旗":
                start = p - 1
        return start

    def events(self) -> None:
        t = self.t
        congress = re.compile(
            rf"(?:第)?{_NUM}+届\n*(?:全国)?(?:人民代表大会|人大)(?:常务委员会|常委会)?"
            rf"\n*(?:第)?{_NUM}+次(?:全体)?会议")
        for m in congress.finditer(t):
            s = self.place_prefix(m.start())
            pieces = [(a.start() + s, a.end() + s) for a in re.finditer(r"[^\n]+", t[s:m.end()])]
            for a, b in pieces:
                if b - a >= 2:
                    self.add(a, b, "EVENT", norm=re.sub(r"\s+", "", t[s:m.end()]))
        for m in re.finditer(rf"(?:党的|中共){_NUM}+大|(?:中国共产党)?第{_NUM}+次全国代表大会", t):
            self.add(m.start(), m.end(), "EVENT")
        plenum = re.compile(rf"{_NUM}+届(?:(?:{_NUM}+中)(?:[、，]{_NUM}+中)*|历次)全会")
        for m in plenum.finditer(t):
            self.add(m.start(), m.end(), "EVENT")
        for m in re.finditer(r"人代会", t):
            self.add(m.start(), m.end(), "EVENT")
        for m in re.finditer(r"(?:中央|全国|全省|全市|全县|全区|全州)([\u4e00-\u9fff]{2,6}?)(?:工作会议|大会)", t):
            if not _holds_word(m.group(1), self.lex.boundary, min_len=2):
                self.add(m.start(), m.end(), "EVENT")

    # -- PERSON
    def _name_at(self, p: int) -> int | None:
        """End of a 2–3 character personal name starting at ``p`` (spaces inside allowed)."""
        t, lex = self.t, self.lex
        if p >= len(t) or not is_cjk(t[p]):
            return None
        if not (t[p] in lex.surnames or t[p:p + 2] in lex.surnames):
            return None
        chars, j = [], p
        while j < len(t) and len(chars) < 4:
            if is_cjk(t[j]):
                chars.append(j)
                j += 1
            elif t[j] == " " and chars and j + 1 < len(t) and is_cjk(t[j + 1]) and len(chars) < 3:
                j += 1
            else:
                break
        if len(chars) < 2:
            return None
        # a name of n chars is accepted when what follows is not a Chinese character, or is a
        # boundary word / post-title; prefer 3 characters, then 2
        for n in (3, 2):
            if len(chars) < n:
                continue
            end = chars[n - 1] + 1
            rest = t[end:end + 3]
            if end >= len(t) or not is_cjk(t[end]) or _starts_with_word(rest, lex.titles_post_set) \
                    or _starts_with_word(rest, lex.boundary):
                if n == 3 and t[chars[2]] in _FUNCTION_CHARS:
                    continue  # 王伟在…: the third character is a function word
                return end
        return None

    def persons(self) -> None:
        t, lex = self.t, self.lex
        pre = "|".join(map(re.escape, lex.titles_pre))
        for m in re.finditer(rf"(?:{pre})[ \u3000]*", t):
            end = self._name_at(m.end())
            if end is not None:
                self.add(m.end(), end, "PERSON")
        post = "|".join(map(re.escape, lex.titles_post))
        for m in re.finditer(rf"(?:{post})", t):
            p = m.start()
            for n in (3, 2):
                s = p - n
                if s < 0 or not all(map(is_cjk, t[s:p])):
                    continue
                if not (t[s] in lex.surnames or t[s:s + 2] in lex.surnames):
                    continue
                if t[p - 1] in "委府局厅部办省市县区镇乡村":
                    continue  # 区委书记: a body, not a name
                if _boundary_before(t, s, lex) or t[s - 1] in "委长记任席" or \
                        any(t[:s].endswith(ti) for ti in lex.titles_pre):
                    self.add(s, p, "PERSON")
                    break

    # -- ORG
    def orgs(self) -> None:
        t, lex = self.t, self.lex
        body = re.compile(r"人民政府|人大常委会|人大常务委员会|党工委|党委|政府|人大|政协|纪委|监委|委")
        role_after = ("委员", "代表", "书记", "副书记", "常委", "主席", "副主席", "秘书长", "常务",
                      "委托", "委会")
        for m in body.finditer(t):
            head = m.group()
            if any(t.startswith(r, m.end()) for r in role_after) and not t.startswith("常委会", m.end()):
                continue
            if head == "委" and t[m.end():m.end() + 1] == "员":
                continue
            if re.match(r"[\u4e00-\u9fff]{2,3}(?:书记|主任|主席|县长|市长|区长|省长|同志)", t[m.end():m.end() + 6]) \
                    and head not in ("人民政府", "政府"):
                continue  # 省委车俊书记: the body is part of a role title
            ordinal = re.search(rf"第{_NUM}+届$", t[max(0, m.start() - 6):m.start()])
            s = self.place_prefix(m.start() - (len(ordinal.group()) if ordinal else 0))
            if ordinal and s == m.start() - len(ordinal.group()):
                s = m.start()
            needs_level = head in ("委", "党委", "政府", "人民政府", "党工委", "纪委", "监委")
            if s == m.start():
                if needs_level and head not in ("纪委", "监委"):
                    continue
                if head in ("人大", "政协", "纪委", "监委") and s > 0 and t[s - 1] in "全":
                    continue
            self.add(s, m.end(), "ORG", generic=True)
        for m in re.finditer(r"党中央|中央(?=[和、，,。八决部精要关省]|$)", t):
            if m.group() == "中央" and m.start() > 0 and t[m.start() - 1] in "党共":
                continue
            self.add(m.start(), m.end(), "ORG", generic=True)
        for name in lex.org_lexicon:
            for m in re.finditer(re.escape(name), t):
                if m.end() not in self.te:
                    continue  # the segmenter saw a longer word: 财政部门 (departments) is no 财政部
                if not any(t.startswith(r, m.end()) for r in role_after):
                    self.add(m.start(), m.end(), "ORG", generic=True)
        self._suffixed(lex.org_suffixes, "ORG", max_core=14)

    # -- PROJECT
    def projects(self) -> None:
        self._suffixed(self.lex.project_suffixes, "PROJECT", max_core=14)
        self.quoted_projects()
        self.project_lists()
        self._listed_with_a_project()
        self._join_projects()
        # a company's capacity project: 博远化工年产3.6万吨有机过氧化物项目
        for m in _CAPACITY_RE.finditer(self.t):
            org = self._org_ending_at(m.start())
            if org is not None:
                self.add(org, m.end(), "PROJECT")

    def _join_projects(self) -> None:
        """Widen project names over what completes them on the right.

        - two names joined by a middle dot are one (华中金融城·资本中心);
        - a line's section named by a place (商合杭高铁含山段).
        """
        t, lex = self.t, self.lex
        projects = [c for c in self.cands if c["label"] == "PROJECT"]
        by_start: dict[int, list[dict]] = {}
        for c in projects:
            by_start.setdefault(c["start"], []).append(c)
        for c in projects:
            e = c["end"]
            if t[e:e + 1] == "·":
                for d in by_start.get(e + 1, []):
                    self.add(c["start"], d["end"], "PROJECT")
            m = _SECTION_RE.match(t, e)
            if m and (m.group(1) in lex.divisions or _place_ending_at(t, m.end() - 1, lex, e) == e):
                self.add(c["start"], m.end(), "PROJECT")

    def quoted_projects(self) -> None:
        """Quoted coined names of sites and projects.

        With a head after the closing quote the span keeps the quotes (工控“进未来”标准厂房,
        “拙政问雅”夜游项目); a quoted name that itself ends in a site head is the name without its
        quotes (“双生谷”, “平江九巷”, “齐都粮仓”). Numeral-built names (“四个一批”项目), honours after
        获评/荣获/创建 and heads that continue into another word (国家中心城市) are left out.
        """
        t, lex = self.t, self.lex
        heads2 = [s for s in lex.project_suffixes if len(s) >= 2]
        for m in _QUOTED_RE.finditer(t):
            inner = m.group(1)
            qs, qe = m.start(), m.end()
            if not self.proper_project_core(inner) or _HONOUR_BEFORE_RE.search(t[max(0, qs - 6):qs]):
                continue
            lo = self.seg_start(qs) if self.seg[qs] >= 0 else qs
            done = False
            ends_in_head = inner.endswith(tuple(heads2)) or inner[-1] in _QUOTED_SITE_HEADS
            for suf in ([] if ends_in_head or "+" in inner else heads2):
                if suf in _PROGRAMME_HEADS:
                    continue  # “强芯”工程: a quoted campaign name, a slogan
                k = t.find(suf, qe, qe + 4 + len(suf))
                if k < 0 or not all(map(is_cjk, t[qe:k])) or k + len(suf) not in self.te \
                        or any(c in _FUNCTION_CHARS for c in t[qe:k]):
                    continue
                if t[k + len(suf):k + len(suf) + 2] in _HEAD_CONTINUES:
                    continue
                s = extend_left(t, qs, lex, 3, min_start=lo)
                if s > lo and is_cjk(t[s - 1]) and not _boundary_before(t, s, lex):
                    s = qs  # a longer run on the left is a name of its own (航天云机“易嘉油…”)
                self.add(s, k + len(suf), "PROJECT")
                done = True
                break
            if done or is_generic(inner, lex) or not all(is_cjk(c) or c in "·" for c in inner):
                continue
            if ends_in_head:
                head = next((h for h in heads2 if inner.endswith(h)), inner[-1])
                if len(inner) > len(head) and not is_generic(inner[:-len(head)], lex):
                    self.add(qs + 1, qe - 1, "PROJECT")

    def _suffixed(self, suffixes: list[str], label: str, max_core: int) -> None:
        t, lex = self.t, self.lex
        for suf in suffixes:  # every suffix on its own: 孵化园 and 园区 overlap in 孵化园区
            for p in _occurrences(t, suf):
                if self.seg[p] < 0:
                    continue
                e = p + len(suf)
                if len(suf) == 1:
                    # a one-character head (路, 府, 苑) must not be glued into a common two-char word
                    if not (p in self.ts and e in self.te) and not (
                            e in self.te and self._token_len_ending(e) >= 3):
                        continue
                    if t[p - 1:p + 1] in _COMMON_WORDS_1:
                        continue
                if len(suf) > 1 and e not in self.te:
                    continue  # the segmenter saw a longer word: 财政部门, 重工业, 机械化 are no names
                if label == "PROJECT" and t[e:e + 2] in _HEAD_CONTINUES:
                    continue  # 国家中心城市: the head runs on into another word
                s = self.name_start(p, max_core, ascii_letters=label == "PROJECT")
                if label == "ORG" and p - s < 2:  # 省农科院: a level character is the whole core
                    s2 = self.place_prefix(p)
                    s = s2 if s2 < p else s
                if label == "PROJECT":
                    s = self._project_left(s, p)
                    latin = re.match(r"[A-Za-z]{2,6}(?![A-Za-z])", t[e:e + 7])
                    if latin and len(suf) > 1:
                        e += latin.end()  # 北部新城eod
                core = t[s:p]
                if len(core) < (1 if label == "ORG" and core in "省市县区镇" else 2) or (len(suf) == 1 and (len(core) > 4 or not all(map(is_cjk, core)))):
                    continue
                if label == "PROJECT" and not self.proper_project_core(core):
                    continue
                if label == "ORG" and core in lex.divisions and e < len(t) and is_cjk(t[e]) \
                        and not suf.endswith(_COMPANY_HEADS) and not _boundary_after(t, e, lex):
                    continue  # “中国食品名城”: a place and an industry word inside a longer phrase
                if is_generic(core, lex):
                    continue
                self.add(s, e, label)

    def _project_left(self, s: int, p: int) -> int:
        """Widen a project name on its left over what still belongs to it.

        - places chained by hyphens: 马鞍山-南京-镇江城际铁路线;
        - a company before its product and facility: 电科北方半导体科技（山东）有限公司集成电路材料产业基地.
        """
        t, lex = self.t, self.lex
        lo = self.seg_start(p)
        while s - 1 > lo and t[s - 1] in "-－—":
            a = _place_ending_at(t, s - 1, lex, lo)
            if a is None:
                break
            s = a
        # a company whose name ends inside the run, the rest being generic words of its product
        best = s
        for c in self.cands:
            if c["label"] == "ORG" and not c.get("generic") and s - 1 <= c["end"] < p \
                    and c["start"] < best and c["start"] >= lo and (is_generic(t[c["end"]:p], lex) or t[c["end"] - 2:c["end"]] in ("公司", "集团")) \
                    and not any(x in t[c["end"]:p] for x in "，,。；;、"):
                best = c["start"]
        return best

    def _org_ending_at(self, e: int) -> int | None:
        """Start of the longest company candidate (not a generic body) that ends at ``e``."""
        starts = [c["start"] for c in self.cands
                  if c["label"] == "ORG" and c["end"] == e and not c.get("generic")]
        return min(starts) if starts else None

    def name_start(self, p: int, max_core: int, ascii_letters: bool = False) -> int:
        """Left edge of a name whose head starts at ``p``: extended, then amounts trimmed."""
        t = self.t
        s = extend_left(t, p, self.lex, max_core, min_start=self.seg_start(p), ascii_letters=ascii_letters)
        while s < p:
            unit = re.match(r"平方米|平米|平方|公里|公顷|[个项亩家所座条处批期号余多万亿千百元吨米台套户人支]", t[s:p])
            if unit:
                s += unit.end()
            elif not is_cjk(t[s]) and t[s] != "“":
                s += 1
            else:
                break
        return s

    @staticmethod
    def proper_project_core(core: str) -> bool:
        """A project name is no count of works (一批…, 五大工程), honour (全国…基地) or quoted slogan."""
        if re.match(r"[“\"]?[一二三四五六七八九十两百千万0-9]", core):
            return False
        if re.search(r"[一二三四五六七八九十两][大项个号千批]", core):
            return False
        if re.match(r"全国|全省|全市|全县|全区|国家|省级|市级|县级|首个|首批|一是|二是|三是|四是", core):
            return False
        if core.count("“") != core.count("”"):
            return False
        return True

    def project_lists(self) -> None:
        """Items of a list closed by a count of projects (柏润高端制袜、乐京智能家电等99个项目).

        An item is a PROJECT when it has a proper element; a numeral inside a brand is fine
        (三一发达, 五星颐家) but not a count (五大工程). A company with its product (华旺新材料,
        瑞信磁性材料) is the project, also where the ORG suffixes would take it; an item ending in a
        company head alone (洪韵科技, 昊瑞环保) stays ORG.
        """
        t, lex = self.t, self.lex
        for m in _LIST_END_RE.finditer(t):
            lo = self.seg_start(m.start())
            end = m.start()
            while end > lo:
                quoted = [c["start"] for c in self.cands if c["label"] == "PROJECT"
                          and c["end"] == end and "“" in t[c["start"]:end]]
                if quoted:  # an item already found as a quoted name: 工控“进未来”标准厂房
                    s = min(quoted)
                else:
                    s = self.name_start(end, 16, ascii_letters=True)
                item = t[s:end]
                if quoted:
                    pass
                elif 2 <= len(item) <= 16 and _list_item_ok(item) and not is_generic(item, lex) \
                        and not (len(item) <= 3 and s in self.ts and end in self.te
                                 and not any(x in self.ts for x in range(s + 1, end))) \
                        and not item.endswith(_COMPANY_HEADS):
                    self.add(s, end, "PROJECT")
                    self.cands = [c for c in self.cands if not (
                        c["label"] == "ORG" and c["start"] == s and c["end"] == end)]
                # the previous item ends before 、 (after an amount such as 10亿元)
                k = s - 1
                while k > lo and t[k] != "、" and (not is_cjk(t[k]) or t[k] in "万亿元") and t[k] not in "，,。；;":
                    k -= 1
                if k <= lo or t[k] != "、":
                    break
                end = k

    def _listed_with_a_project(self) -> None:
        """A bare name listed before a suffixed project and closed by 等 is a project too
        (棠悦西门、西寺广场等绿地游园)."""
        t, lex = self.t, self.lex
        ends = {}
        for c in self.cands:
            if c["label"] == "PROJECT" and t[c["end"]:c["end"] + 1] == "等" and c["start"] > 0 \
                    and t[c["start"] - 1] == "、" and t[c["start"]:c["end"]].endswith(_SITE_HEADS):
                ends[c["start"] - 1] = c
        for k in ends:
            lo = self.seg_start(k)
            s = self.name_start(k, 6)
            item = t[s:k]
            if not 3 <= len(item) <= 6 or not all(map(is_cjk, item)) or is_generic(item, lex) \
                    or not _list_item_ok(item) or not _boundary_before(t, s, lex) and s > lo:
                continue
            if any(c["start"] == s and c["end"] == k and c["label"] in ("ORG", "PLACE", "VILLAGE")
                   for c in self.cands):
                continue
            self.add(s, k, "PROJECT")

    def _token_len_ending(self, e: int) -> int:
        # the last token start before e, by bisection over the sorted starts (made once per Doc)
        if self._sorted_starts is None:
            self._sorted_starts = sorted(self.ts)
        i = bisect.bisect_left(self._sorted_starts, e)
        return e - self._sorted_starts[i - 1] if i else e

    # -- VILLAGE
    def villages(self) -> None:
        t, lex = self.t, self.lex
        bad_prev = set("农乡全各本该每个政然困范点弱心中强富美名邻两三四五六七八九十百千万一驻新旧老贫建该出进入下到")
        for m in re.finditer(r"居委会|居民区|村委会|社区|村居|村|(?<=家)组", t):
            p, suf = m.start(), m.group()
            if self.seg[p] < 0 or p == 0:
                continue
            if suf == "村" and (t[m.end():m.end() + 1] in "民级务干集庄镇容落规委组" or t[p - 1] in bad_prev):
                continue
            if suf == "组" and not (p >= 2 and t[p - 1] == "家"):
                continue
            lo = self.seg_start(p)
            s = extend_left(t, p, lex, 4, stop_at_place=True, min_start=lo)
            core = t[s:p]
            if len(core) < 2:
                continue
            s = self._strip_generic_head(s, p)
            core = t[s:p]
            if len(core) < 2 or is_generic(core, lex):
                continue
            tail = next((g for g in lex.generic if len(g) >= 2 and core.endswith(g)), None)
            if tail is not None and tail not in _COMMUNITY_MODIFIERS:
                continue
            if tail is not None:
                # a name before a generic head (棠悦智慧社区 → 棠悦): the bare name is the village
                rest = core[:-len(tail)]
                if len(rest) < 2 or len(rest) > 3 or is_generic(rest, lex) or suf not in ("社区", "村"):
                    continue
                self.add(s, p - len(tail), "VILLAGE", norm=rest)
                self._list_before(s, lo, len(rest))
                continue
            self.add(s, m.end(), "VILLAGE", norm=core)
            self._list_before(s, lo, len(core))
        # bare names in a list closed by a count of villages: 大夫、赵王等9个村
        for m in re.finditer(rf"等?{_NUM}+个(?:行政)?(?:村|社区|村居)", t):
            if m.group().startswith("等"):
                self._list_before(m.start(), self.seg_start(m.start()), 3, first=True)

    def _strip_generic_head(self, s: int, p: int) -> int:
        """Skip generic words at the start of a name (周边大夫 → 大夫)."""
        t = self.t
        moved = True
        while moved:
            moved = False
            for n in (3, 2):
                if p - s - n >= 2 and t[s:s + n] in self.lex.generic:
                    s += n
                    moved = True
                    break
        return s

    def _list_before(self, s: int, lo: int, size: int, first: bool = False) -> None:
        """Mark bare names in an enumeration that ends at ``s`` (``A、B`` / ``A和B`` …)."""
        t, lex = self.t, self.lex
        p = s
        while True:
            if first:
                q = p
                first = False
            else:
                if p - 1 < lo or t[p - 1] not in "、和及与":
                    return
                q = p - 1
            a = extend_left(t, q, lex, 5, stop_at_place=True, min_start=lo)
            if a > lo and is_cjk(t[a - 1]) and not _boundary_before(t, a, lex) and \
                    _place_ending_at(t, a, lex, lo) is None and t[a - 1] not in "、":
                return  # not a clean left edge (the run was cut by the length limit)
            a = self._strip_generic_head(a, q)
            item = t[a:q]
            if not 2 <= len(item) <= 4 or is_generic(item, lex) or item in lex.divisions:
                return
            self.add(a, q, "VILLAGE", norm=item)
            p = a

    # -- PLACE
    def places(self) -> None:
        t, lex = self.t, self.lex
        # a place starts a token: at each token start, the gazetteer names that begin there
        # (grown one character at a time while some name begins so), longest first
        names, prefixes, size = lex.place_names, lex.place_prefixes, len(t)
        starts = np.fromiter((i for i in self.ts if i + 1 < size), dtype=np.int64)
        if not len(starts) or not len(lex.place_pairs):
            return self.natural_places()
        cps = code_points(t)
        pairs = (cps[starts] << 21) | cps[starts + 1]
        # place_pairs is sorted and unique: a binary search, where np.isin would sort its 40k
        # entries again for every document
        known = lex.place_pairs
        at = np.minimum(np.searchsorted(known, pairs), len(known) - 1)
        for i in np.sort(starts[known[at] == pairs]).tolist():
            if not is_cjk(t[i]):
                continue
            found, n = [], 2
            while i + n <= size and t[i:i + n] in prefixes:
                if t[i:i + n] in names:
                    found.append(n)
                n += 1
            for n in reversed(found):
                w = t[i:i + n]
                hit = lex.divisions.get(w)
                if hit is None and w in lex.regions:
                    hit = ("region", w)
                if hit is None:
                    continue
                level, norm = hit
                full = level == "town" or w[-1] in "省市县区州盟旗国"
                if n == 2 and w[0] in _FUNCTION_CHARS:
                    continue
                if (n == 2 or not full) and (i + n) not in self.te:
                    continue
                if w == "中国" and t[i + n:i + n + 2] in ("特色", "共产") or t[i + n:i + n + 1] == "式":
                    continue
                self.add(i, i + n, "PLACE", norm=norm, level=level)
                break
        self.natural_places()

    def natural_places(self) -> None:
        """Rivers, lakes and named areas the gazetteer does not hold.

        - a river or lake written as one token of two or three characters (淄河, 石塘湖), not an
          ordinary word (运河, 沿河, 江湖);
        - a scenic or city area named after a hill, lake, river or place (大龙山风景名胜区, 龙珠山片区),
          a place's old town (姑苏古城), a policy region named after a place or a province
          abbreviation with a direction or river (皖江示范区, 苏南示范区).
        """
        t, lex, ts, te = self.t, self.lex, self.ts, self.te
        for m in _WATER_RE.finditer(t):
            e = m.end()
            if e not in te:
                continue
            for n in (3, 2):
                s = e - n
                if s < 0 or s not in ts or any(x in ts for x in range(s + 1, e)):
                    continue
                w = t[s:e]
                if not all(map(is_cjk, w)) or w[0] in _NOT_WATER_FIRST or w in lex.generic \
                        or w[:-1] in lex.generic or any(c in _FUNCTION_CHARS for c in w) \
                        or n == 2 and w[0] in "大小老新古清":
                    continue
                if s > 0 and t[s - 1] in _NATURE_RUN:
                    continue  # 山水林田湖草: a list of nature words, no lake
                self.add(s, e, "PLACE", norm=w, level="natural")
                break
        for m in _AREA_RE.finditer(t):
            p, head = m.start(), m.group()
            lo = self.seg_start(p) if self.seg[p] >= 0 else p
            s = extend_left(t, p, lex, 4, min_start=lo)
            if s not in ts:
                continue
            core = t[s:p]
            if not 2 <= len(core) <= 4 or is_generic(core, lex):
                continue
            known = core in lex.divisions or core in lex.regions
            if head == "古城":
                ok = known
            elif head == "示范区":
                ok = known or _REGION_ABBR_RE.fullmatch(core) is not None
            else:
                ok = known or core[-1] in "山湖河江岛湾峰岭"
            if ok:
                self.add(s, m.end(), "PLACE", norm=t[s:m.end()], level="area")

    def run(self) -> list[dict]:
        self.docs()
        self.events()
        self.persons()
        self.orgs()
        self.projects()
        self.villages()
        self.places()
        return self.cands


def select(cands: list[dict]) -> list[dict]:
    """Keep the longest non-overlapping candidates (ties: DOC > EVENT > PERSON > ORG > … > PLACE).

    Examples
    --------
    >>> c = [{"start": 0, "end": 3, "label": "PLACE"}, {"start": 0, "end": 7, "label": "ORG"}]
    >>> [x["label"] for x in select(c)]
    ['ORG']
    """
    taken = [False] * (max((c["end"] for c in cands), default=0) + 1)
    out = []
    for c in sorted(cands, key=lambda c: (-(c["end"] - c["start"]), -_PRIO[c["label"]], c["start"])):
        if any(taken[c["start"]:c["end"]]):
            continue
        for i in range(c["start"], c["end"]):
            taken[i] = True
        out.append(c)
    return sorted(out, key=lambda c: c["start"])


def find_entities(text: str, sentences: Iterable[tuple[int, int]] | None = None,
                  token_starts: Iterable[int] | None = None,
                  token_ends: Iterable[int] | None = None,
                  lex: Lexicons | None = None) -> list[dict]:
    """Find the entities of ``text`` (character offsets, one flat non-overlapping layer).

    Parameters
    ----------
    text : str
        The document text (it is normalised internally; offsets refer to ``text``).
    sentences : iterable of (start, end), optional
        Sentence offsets; no entity crosses one. Line breaks always separate.
    token_starts, token_ends : iterable of int, optional
        Token boundaries from the segmenter, used to check where short names start and end;
        every character boundary counts when they are not given.
    lex : Lexicons, optional
        The data (default: :func:`load_lexicons`).

    Returns
    -------
    list of dict
        ``{"start", "end", "label", "norm"}`` and, where a name contains a village or place,
        ``"parts": [{"label", "norm"}]``.

    Examples
    --------
    >>> ents = find_entities("镇长 刘菁华在齐都镇南马坊村调研")
    >>> [(e["label"], "镇长 刘菁华在齐都镇南马坊村调研"[e["start"]:e["end"]], e["norm"]) for e in ents]
    [('PERSON', '刘菁华', '刘菁华'), ('PLACE', '齐都镇', '齐都'), ('VILLAGE', '南马坊村', '南马坊')]
    """
    lex = lex or load_lexicons()
    t = normalize(text)
    seg = segment_ids(t, sentences)
    ts = set(token_starts) if token_starts is not None else set(range(len(t) + 1))
    te = set(token_ends) if token_ends is not None else set(range(len(t) + 1))
    finder = _Finder(t, seg, ts, te, lex)
    cands = finder.run()
    chosen = select(cands)
    chosen = _propagate(t, finder, chosen, lex, cands)
    _add_parts(chosen, cands)
    for c in chosen:
        c.pop("generic", None)
        c.pop("level", None)
    return chosen


def _propagate(t: str, finder: _Finder, chosen: list[dict], lex: Lexicons,
               cands: list[dict] = ()) -> list[dict]:
    """Find again, anywhere in the document, the names learned from the chosen entities.

    A town's bare name (齐都) is learned from any mention of its full name (齐都镇), also one
    inside a longer name (齐都镇人民政府).
    """
    learned: dict[str, tuple[str, str]] = {}
    aliases: set[str] = set()
    for c in cands:
        if c["label"] == "PLACE" and c.get("level") == "town" and c["norm"] in lex.town_alias:
            learned.setdefault(c["norm"], ("PLACE", c["norm"]))
        # a district's short form that is also an ordinary word (武昌, 上城) counts once the full
        # name (武昌区) occurred in the document
        if c["label"] == "PLACE" and c.get("level") == "county" and len(c["norm"]) >= 2 \
                and c["norm"] not in lex.divisions and t[c["start"]:c["end"]][-1] in "区县市旗":
            learned.setdefault(c["norm"], ("PLACE", c["norm"]))
            aliases.add(c["norm"])
    for c in chosen:
        surface = t[c["start"]:c["end"]]
        if c.get("generic") or c["label"] in ("EVENT", "DOC"):
            continue
        if c["label"] == "PLACE":
            continue
        if c["label"] == "VILLAGE" and len(c["norm"]) >= 2:
            learned.setdefault(c["norm"], ("VILLAGE", c["norm"]))
        if len(re.sub(r"\s", "", surface)) >= 2:
            learned.setdefault(surface, (c["label"], c["norm"]))
    if not learned:
        return chosen
    extra = []
    for surface, (label, norm) in learned.items():
        for m in re.finditer(re.escape(surface), t):
            s, e = m.start(), m.end()
            if len(surface) <= 2 and not (s in finder.ts and e in finder.te):
                continue
            if s > 0 and is_cjk(t[s - 1]) and s not in finder.ts and not _boundary_before(t, s, lex):
                continue
            if surface in aliases and e < len(t) and is_cjk(t[e]) and t[e] not in "的和与、" \
                    and s > 0 and is_cjk(t[s - 1]):
                continue  # 武昌 stands alone (落户武昌。); 解放 in 解放军 is no district
            if finder.ok_span(s, e):
                extra.append({"start": s, "end": e, "label": label, "norm": norm})
    taken = set()
    for c in chosen:
        taken.update(range(c["start"], c["end"]))
    for c in sorted(extra, key=lambda c: -(c["end"] - c["start"])):
        if not taken.intersection(range(c["start"], c["end"])):
            taken.update(range(c["start"], c["end"]))
            chosen.append(c)
    return sorted(chosen, key=lambda c: c["start"])


def _add_parts(chosen: list[dict], cands: list[dict]) -> None:
    for c in chosen:
        if c["label"] not in ("ORG", "PROJECT", "EVENT", "DOC"):
            continue
        parts = []
        for o in select([o for o in cands if o["label"] in ("VILLAGE", "PLACE")
                         and c["start"] <= o["start"] and o["end"] <= c["end"]
                         and (o["start"], o["end"]) != (c["start"], c["end"])]):
            part = {"label": o["label"], "norm": o["norm"]}
            if part not in parts:
                parts.append(part)
        if parts:
            c["parts"] = parts


# ----------------------------------------------------------------------------------------------
# the component


class EntityRecognizer:
    """spaCy component: sets ``doc.ents`` with the seven entity labels.

    Parameters
    ----------
    nlp : Language
        The pipeline.
    name : str
        The component name.

    Examples
    --------
    >>> import qidu_nlp
    >>> nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure", "qidu_entities"])
    >>> [(e.text, e.label_) for e in nlp("区委书记 王伟在遨博（山东）智能机器人调研。").ents]
    [('王伟', 'PERSON'), ('遨博（山东）智能机器人', 'ORG')]
    """

    def __init__(self, nlp: Language, name: str = "qidu_entities"):
        self.name = name
        # read the gazetteer and build its look-up sets now (once per process), not in the
        # first document's time
        lex = load_lexicons()
        lex.place_names, lex.place_pairs, lex.place_prefixes, lex.max_place

    def __call__(self, doc: Doc) -> Doc:
        sents = None
        if doc.has_annotation("SENT_START"):
            sents = sentence_offsets(doc)
        starts = token_starts(doc)
        ends = [start + n for start, n in zip(starts, doc.to_array(LENGTH).tolist())] if len(doc) else []
        items = find_entities(doc_text(doc), sents, starts, ends)
        write_spans(doc, "ents", items)
        return doc

    def to_disk(self, path, exclude=tuple()):
        """Nothing to save: the data ship with the package."""

    def from_disk(self, path, exclude=tuple()):
        """Nothing to load: the data ship with the package."""
        return self


@Language.factory("qidu_entities")
def make_entities(nlp: Language, name: str) -> EntityRecognizer:
    """Build the ``qidu_entities`` component."""
    return EntityRecognizer(nlp, name)
