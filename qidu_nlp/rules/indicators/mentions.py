"""qidu_nlp.rules.indicators.mentions: where a text names an indicator, and which one.

The table's written forms are matched leftmost-longest, so the syntax of the name decides the
indicator: 单位国内生产总值能耗 is energy intensity, never GDP. Then

* a **share** (…在国内生产总值中的比重, …占GDP比重, 占规模以上工业总产值的77.9%) becomes one mention of
  the share's indicator (service share of GDP, R&D intensity …); the whole (GDP) is marked and
  never takes the number; a share whose part the table does not list is named by its own words
  (工业品在出口总额中的比重);
* **shared words** are expanded: 高技术制造业、装备制造业增加值 names high-tech manufacturing value
  added and equipment manufacturing value added; 单位国内生产总值能耗下降8.1%、二氧化碳排放下降14.1%
  names carbon intensity in its second item;
* **short product names** (钢, 原煤, 棉花) count only when a number (or 增长/下降 and a number)
  follows them;
* **weak growth words** (增速, 增长速度) name GDP growth only next to a target or a percentage
  (6.5%左右的增速, 把增长预期目标定在7.5%左右), and only where no other indicator is named.

Examples
--------
>>> from qidu_nlp.rules.indicators.table import load_table
>>> text = "服务业增加值在国内生产总值中的比重提高4个百分点，单位国内生产总值能耗降低20%"
>>> [(m.id, text[m.start:m.end], m.whole) for m in find_mentions(text, load_table())]
[('service share of GDP', '服务业增加值在国内生产总值中的比重', False), ('GDP', '国内生产总值', True), ('energy intensity', '单位国内生产总值能耗', False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...text.terms import longest_first
from .table import IndicatorTable, load_cues

__all__ = ["Mention", "find_mentions"]

_NUM_START = "0123456789零〇一二两三四五六七八九十百千"
_SEPARATORS = "，,；;。：:、和与及\n"
_TIGHT_FOLLOW = re.compile(
    rf"(?:[（(][^）)]{{0,14}}[）)])?(?:的?(?:总|年)?产量|的)?(?:[、和]|(?:由|从|比上年|比[{_NUM_START}]{{2,4}}年)?"
    rf"(?:增长了?|增加了?|下降|减少|增产|减产|达到|为|达|上升|提高|共|合计)?(?:约|近|将近)?"
    rf"[{_NUM_START}百])"
)
_SHORT_FOLLOW = re.compile(r"(?:总额|额|总量|量)?(?:同比|分别|均|比上年|比去年|实际|保持|稳定|继续|年均|由|从|[\d零〇一二两三四五六七八九十百千]|增|下降|减少|回落|达|为|实现|完成|突破|超过)")
_SHARE_AFTER = re.compile(r"(?:中)?(?:的)?(?:所占)?(?:的)?(?:比重|比例|份额)")
_SHARE_NUMBER = re.compile(r"的(?=[\d零〇一二两三四五六七八九十百])")


@dataclass
class Mention:
    """A place where the text names an indicator.

    Attributes
    ----------
    start, end : int
        Offsets of the words.
    id : str or None
        The indicator (for a share of a part the table does not list, the share's words; None when
        they are no name: the share takes its number and names none).
    form : str
        alias, growth, tight, weak, list or share.
    parts : tuple of str
        For a list word (城乡居民人均可支配收入): the indicators it names, in order.
    whole : bool
        The whole of a share (…在国内生产总值中的比重): never takes a number.
    """

    start: int
    end: int
    id: str | None
    form: str
    parts: tuple[str, ...] = ()
    whole: bool = False

    @property
    def growth(self) -> bool:
        """The words themselves mean growth (经济增长, 涨幅, 增速)."""
        return self.form in ("growth", "weak")


def _matches(norm: str, table: IndicatorTable, start: int, end: int) -> list[Mention]:
    out = []
    for m in table.pattern.finditer(norm, start, end):
        word = m.group(0)
        if m.start() > 0 and norm[m.start() - 1] in "均每" and not word.startswith("人均"):
            continue
        if word in table.lists:
            spec = table.lists[word]
            out.append(Mention(m.start(), m.end(), spec.get("single"), "list", tuple(spec["parts"])))
            continue
        ident, form = table.lookup(word)
        intensity = _intensity(norm, m.start(), m.end(), ident, table)
        if intensity is not None:
            out.append(intensity)
            continue
        if (form == "tight" or len(word) <= 2) and not _TIGHT_FOLLOW.match(norm, m.end()) \
                and not _SHORT_FOLLOW.match(norm, m.end()):
            continue
        if _output_or_foreign(norm, m.start(), m.end(), ident, start):
            continue
        if norm.startswith(tuple(load_cues()["modifier_after"]), m.end()) or (len(word) <= 2 and norm[max(0, m.start() - 2):m.start()] == "新增"):
            continue
        if form == "alias" and re.search("增长速度|增速|增长率|涨幅|增幅", word):
            form = "growth"
        out.append(Mention(m.start(), m.end(), ident, form))
    return out


def _intensity(norm: str, s: int, e: int, ident: str, table: IndicatorTable) -> Mention | None:
    """万元生产总值综合能耗, 单位GDP能源消耗: a consumption per unit of GDP names the intensity
    (``cues.json``, key ``intensity``), from the unit word to the consumption word."""
    spec = load_cues()["intensity"]
    if ident != "GDP":
        return None
    per = next((w for w in spec["per"] if norm.endswith(w, 0, s)), None)
    if per is None:
        return None
    after = norm[e:e + 8].lstrip()
    after = after[1:] if after.startswith("的") else after
    word = next((w for w in longest_first(spec["after"]) if after.startswith(w)), None)
    if word is None or spec["after"][word] not in table.by_id:
        return None
    return Mention(s - len(per), norm.index(word, e) + len(word), spec["after"][word], "alias")


def _output_or_foreign(norm: str, s: int, e: int, ident: str, floor: int) -> bool:
    """Names of construction outputs (新增发电装机, 高速公路建成通车), new capacity (新增生产能力…有：钢…)
    and other countries' figures (英国的煤产量) name no indicator of the place."""
    cues = load_cues()
    clause = _clause_start(norm, s, floor)
    before = norm[max(clause, s - 6):s]
    if any(w in before for w in cues["foreign"]):
        return True
    if ident in cues["output_ids"] and (norm[max(clause, s - 4):s].find("新增") >= 0 or norm.startswith(("建成", "新建", "开工"), e)):
        return True
    sentence = norm[max(floor, s - 60):s]
    return any(w in sentence for w in ("生产能力", "新增能力")) or any(w in norm[max(clause, s - 4):s] for w in cues["output_context"])


def _clause_start(norm: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and norm[i - 1] not in "，,；;。：:\n":
        i -= 1
    return i


def _shares(norm: str, table: IndicatorTable, mentions: list[Mention], floor: int) -> list[Mention]:
    """Turn …在/占 WHOLE (中的)比重 into share mentions; the whole never takes a number."""
    out = list(mentions)
    for m in mentions:
        if m.start == 0 or norm[m.start - 1] not in "在占":
            continue
        after = _SHARE_AFTER.match(norm, m.end) or _SHARE_NUMBER.match(norm, m.end)
        if after is None:
            continue
        m.whole = True
        clause = _clause_start(norm, m.start - 1, floor)
        part_text = norm[clause:m.start - 1].strip()
        before = [p for p in out if p.end <= m.start - 1 and p is not m and not p.whole]
        if not part_text and before:
            part_text = norm[before[-1].start:before[-1].end]
            share_start = m.start - 1
        else:
            share_start = clause
        entry = next((e for p, e in table.share_parts.items() if part_text.endswith(p) and e["whole"] == m.id), None)
        for p in before:
            if p.start >= clause:
                out.remove(p)
        share_end = after.end() if after.group(0) != "的" else m.end
        out.append(Mention(share_start, share_end, entry["id"] if entry else _share_name(norm[share_start:share_end]),
                           "share"))
    return sorted(out, key=lambda x: x.start)


def _share_name(words: str) -> str | None:
    """The name of a share whose part the table does not list: its own words (工业品出口在出口总额中的比重),
    when they are a name (no digit, no clause word); else None (the share takes its number, names none)."""
    words = re.sub(r"^(?:其中|而|但|同时|因而|第[一二三四五六七八九十]是|[一二三四五六七八九十]是)", "", words.strip())
    return words if re.fullmatch(r"[\u4e00-\u9fff（）()、]{4,40}", words) and not re.search("^[占在]|[我这那它其]", words) else None


def _expand(norm: str, table: IndicatorTable, mentions: list[Mention], floor: int) -> list[Mention]:
    """Items that share words with a named neighbour (高技术制造业、装备制造业增加值)."""
    extra = []
    for m in mentions:
        word = norm[m.start:m.end]
        if m.form not in ("alias", "growth") or len(word) < 3:
            continue
        if m.start > floor and norm[m.start - 1] in "、和":
            j = m.start - 1
            while j > floor and norm[j - 1] not in _SEPARATORS and m.start - 1 - j < 12:
                j -= 1
            run = norm[j:m.start - 1]
            found = None
            for r in range(len(run)):
                for k in range(1, len(word)):
                    found = table.lookup(run[r:] + word[k:])
                    if found and found[0] != m.id:
                        extra.append(Mention(j + r, m.start - 1, found[0], found[1]))
                        break
                    found = None
                if found:
                    break
        after = re.match(r"[^，,；;。]{0,12}?、(?P<item>[^\d、，,；;。]{2,8}?)(?=[增下降减提上比达为由\d])", norm[m.end:])
        if after:
            item = after.group("item")
            for k in range(len(word) - 1, 1, -1):
                found = table.lookup(word[:k] + item)
                if found and found[0] != m.id:
                    s = m.end + after.start("item")
                    extra.append(Mention(s, s + len(item), found[0], found[1]))
                    break
    taken = [(m.start, m.end) for m in mentions]
    keep = [e for e in extra if not any(s < e.end and e.start < t for s, t in taken)]
    return sorted(mentions + keep, key=lambda x: x.start)


def _weak(norm: str, start: int, end: int, mentions: list[Mention]) -> list[Mention]:
    """GDP growth named by a weak word next to a target or a percentage, in a clause naming nothing else."""
    spec = load_cues()["weak_growth"]
    words = "|".join(spec["words"])
    out = []
    patterns = (
        re.compile(rf"[\d.]+%(?:－[\d.]+%)?(?:左右|以上)?的(?P<w>{words})"),
        re.compile(rf"(?:(?<![\u4e00-\u9fff])|(?<=[把将]))(?P<w>{words})(?:预期)?目标(?:定在|定为|为|设定为)"),
        re.compile(r"(?<=年)(?P<w>增长速度|增速)(?:在|为|达到|保持在)(?=[\d百])"),
    )
    for pattern in patterns:
        for m in pattern.finditer(norm, start, end):
            clause = _clause_start(norm, m.start("w"), start)
            if any(clause <= x.start < m.end() for x in mentions):
                continue
            out.append(Mention(m.start("w"), m.end("w"), spec["id"], "weak"))
    return out


def find_mentions(norm: str, table: IndicatorTable, start: int = 0, end: int | None = None) -> list[Mention]:
    """The indicator mentions of ``norm[start:end]`` (normalised text), in text order.

    Parameters
    ----------
    norm : str
        The normalised text (:func:`qidu_nlp.text.normalize`).
    table : IndicatorTable
    start, end : int, optional
        The part to read (a sentence); offsets stay those of ``norm``.

    Returns
    -------
    list of Mention
    """
    end = len(norm) if end is None else end
    mentions = _matches(norm, table, start, end)
    mentions = _shares(norm, table, mentions, start)
    mentions = _expand(norm, table, mentions, start)
    mentions += _weak(norm, start, end, mentions)
    return sorted(mentions, key=lambda x: x.start)
