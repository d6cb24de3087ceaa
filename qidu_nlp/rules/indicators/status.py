"""qidu_nlp.rules.indicators.status: what a statement's number is (target, actual, plan) and which years.

**Status.** A change after 年均/平均每年/连续N年 is ``plan_average``; a number followed by 的(预定)目标
is a ``target`` (比上年增长7.8%，略低于8%的预定目标: the 8 is that year's target); then the cues of its
clause (预期目标, 计划, 力争, 把…定在 → target; 实际, 预计, 实现, 完成 → actual), then the strong cues of
its sentence (and of the line just before a list that ends with 目标是：), then the section
(…预期目标, 工作安排 vs …工作回顾). A target for a later year (到2025年) or for several years
(五年内, 规划期) is ``plan_target``. Everything else is ``actual``.

**Period.** The years written before the number: the last one that is not a base (比/较/从/由/是
YYYY年) is the year; with a change and a base, the span (1954年比1952年增长 → 1953–1954; 2007年 …
比2002年增长 → 2003–2007); 由A增加到2002年的B is 2002. Averages and cumulative figures span the
years their words give (过去五年, 两年平均, 五年累计, 十年来 → the years before the reviewed one; a
plan's name: 十二五 → 2011–2015). Without a written year: 今年/明年/去年, the year of the section
heading (2023年工作回顾), else the report's year for targets and the year before it for actuals.

Examples
--------
>>> ctx = DocContext(year=2008)
>>> years_of("2007年，国内生产总值达到24.66万亿元，比2002年增长", "actual", ctx, has_change=True)
(2003, 2007)
>>> years_of("过去五年，国内生产总值年均增长", "plan_average", ctx)
(2003, 2007)
>>> years_of("今年发展主要预期目标是：国内生产总值增长", "target", ctx)
(2008, 2008)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .table import load_cues

__all__ = ["DocContext", "status_of", "decide_status", "years_of", "explicit_years", "late_in_year", "change_span"]

_CN_DIGIT = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
             "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR = re.compile(r"(?<![\d〇○零一二三四五六七八九])((?:19|20)\d{2}|一九[〇○零一二三四五六七八九]{2}|二[〇○零][〇○零一二三四五六七八九]{2})"
                   r"年(?![\d代度份])")
_BASE_BEFORE = ("比", "较", "与", "同", "从", "由", "于", "是")
_SPAN_WORDS = re.compile(r"(?<![\d〇○零一二三四五六七八九十])(?:过去|这|近|前|最近)?(?P<n>[两二三四五六七八九十]|\d{1,2})(?:个)?年(?![前后度底末初])(?:来|间|中|里|内|期间|累计|合计|共|平均|以来)?")
_AVERAGE = re.compile(r"年均|平均每年|每年平均|年平均|平均增长|平均递增|每年提高|每年增长|每年增加|连续(?P<n>[两二三四五六七八九十\d]+)年")
_DISPOSAL = re.compile(r"把[^，,；;。]{1,14}(?:定在|控制在|定为)")
_SINCE = re.compile(r"(?:从|自)?(?P<y>(?:19|20)\d{2})年(?:以来|起|开始)")
_MONTHS = re.compile(r"(?:\d+|[一二三四五六七八九十]+|元)[-－至~～](?:\d+|[一二三四五六七八九十]+)月|截至\d+月")
_REVIEW_YEAR = re.compile(r"(?:(?:19|20)\d{2}|一九[〇○零一二三四五六七八九]{2}|二[〇○零][〇○零一二三四五六七八九]{2})年"
                          r"(?:[^、，,>]{0,8}?)(?:工作)?(?:回顾|工作情况|总结|成绩)|(?:19|20)\d{2}年以来")
_SPAN_CUE = re.compile(r"年(?:来|间|中|里|以来)|(?<![\d〇○零一二三四五六七八九十])[两二三四五六七八九十]年(?![前后度底末初])|累计|合计")
_EXPLICIT_SPAN = re.compile(r"(?:(?:19|20)\d{2}|一九[〇○零一二三四五六七八九]{2})年(?:到|至|—|－|-)(?:(?:19|20)\d{2}|一九[〇○零一二三四五六七八九]{2})年")
_TARGET_YEAR = re.compile(r"到(?P<y>(?:19|20)\d{2})年")
_BASE_THIS_YEAR = re.compile(r"(?:由|从|比|较|同|与)今年(?:预计|实际)?的?(?=[^的预实\s])")  # not when the number follows: its own year
_NUMS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass
class DocContext:
    """What the period rules need to know about a document.

    Attributes
    ----------
    year : int or None
        The report's year (:func:`qidu_nlp.text.header.document_year`).
    section : str
        The section path of the paragraph being read.
    target_year : int or None
        A target year written earlier in the paragraph (明年…, 1982年的计划), carried to the
        targets after it.
    """

    year: int | None
    section: str = ""
    target_year: int | None = None
    carry_target: bool = False
    actual_year: int | None = None

    lead: str = ""
    late: bool = False

    @property
    def heading(self) -> str:
        """The innermost heading of the section path."""
        return self.section.split(" > ")[-1]

    @property
    def section_year(self) -> int | None:
        for part in reversed(self.section.split(" > ")):
            ys = [y for y, _ in explicit_years(part)]
            if ys:
                return ys[-1]
        return None

    def reviewed_year(self) -> int | None:
        """The year a review paragraph is about: its heading's year (1998年工作回顾和1999年工作的总体要求 →
        1998), else the year before the report's (the report's own year in a report delivered late
        in the year, :func:`late_in_year`)."""
        for part in reversed(self.section.split(" > ")):
            m = _REVIEW_YEAR.search(part)
            if m:
                return explicit_years(m.group(0))[0][0]
        return None if self.year is None else self.year - (0 if self.late else 1)

    @property
    def target_heading(self) -> bool:
        """The innermost heading announces targets and not a review."""
        cues = load_cues()
        heading = self.heading
        return any(w in heading for w in cues["target_sections"]) and not _REVIEW_YEAR.search(heading) \
            and "回顾" not in heading


_LATE_MONTH = 10  # a report given from October on reviews its own year
_PART_YEAR = re.compile(r"(?:一月|1月|１月)至(?:九|十|十一|9|10|11|９)月|前三季度|一至(?:九|十|十一)月")


def late_in_year(text: str, *, date: str | None = None) -> bool:
    """A report delivered late in its year (national-1981, 1982: December): it reviews its own
    year (今年预计, 一月至九月) and plans the next (明年). Read from its date when it has one
    (``YYYY-MM-DD``, from the metadata or the dateline: October to December; local-0010, given
    on 2021-12-29, reviews 2021), else from the words: 明年 three times or more, or twice with an
    estimate of this year's result, or a review of the year's first months.

    >>> late_in_year("今年预计可以完成。明年的计划要求工业增长4%。明年…"), late_in_year("今年的主要目标是…")
    (True, False)
    >>> late_in_year("今年的主要目标是…", date="2020-10-10")
    True
    """
    month = re.match(r"\d{4}-(\d{1,2})", date or "")
    if month and int(month.group(1)) >= _LATE_MONTH:
        return True
    n = text.count("明年")
    estimate = text.count("今年预计") + text.count("今年可以")
    return n >= 3 or (n >= 2 and estimate >= 1) or (n >= 1 and _PART_YEAR.search(text) is not None)


def explicit_years(text: str) -> list[tuple[int, str]]:
    """``(year, role)`` of every year written in ``text``: ``base`` after 比/较/从/由/是…, else ``anchor``.

    Examples
    --------
    >>> explicit_years("一九五四年比一九五二年增长")
    [(1954, 'anchor'), (1952, 'base')]
    """
    out = []
    for m in _YEAR.finditer(text):
        digits = "".join(_CN_DIGIT.get(ch, ch) for ch in m.group(1))
        before = text[max(0, m.start() - 1):m.start()]
        if re.match(r"以来|起|开始", text[m.end():m.end() + 2]):
            role = "since"
        else:
            role = "base" if before and before in _BASE_BEFORE else "anchor"
        out.append((int(digits), role))
    return out


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMS.get(word)


def _plan_span(text: str) -> tuple[int, int] | None:
    plans = load_cues()["plans"]
    found = None
    for name in sorted(plans, key=len, reverse=True):
        for form in (f"“{name}”", f"{name}期间", f"{name}时期", f"{name}计划", f"{name}规划"):
            i = text.rfind(form)
            if i >= 0 and text[max(0, i - 1):i] in ("是", "比", "较", "于", "的") and "的" not in text[i:i + len(form) + 1]:
                continue
            if i >= 0 and text[i + len(form):i + len(form) + 2] in ("末的", "的"):
                continue  # 是“十一五”末的2倍: a base
            if i >= 0 and (found is None or i > found[0]):
                found = (i, tuple(plans[name]))
    return found[1] if found else None


def _span(text: str, end: int | None) -> tuple[int, int] | None:
    """A span of years the words give (两年, 过去五年, 十年来) ending at ``end``."""
    if end is None:
        return None
    best = None
    for m in _SPAN_WORDS.finditer(text):
        n = _count(m.group("n"))
        if n and 2 <= n <= 10:
            best = n
    return (end - best + 1, end) if best else None


def _without_comparisons(text: str) -> str:
    """``text`` without the words that compare with another year (比上年, 由今年预计的): a year
    named there is a base, not the year a number is about."""
    for w in load_cues()["comparisons"]:
        text = text.replace(w, " ")
    return _BASE_THIS_YEAR.sub(" ", text)


def _end_year(prefix: str, ctx: DocContext) -> int | None:
    """The year an actual figure is about when no year is written before it."""
    if ctx.year is None:
        return ctx.reviewed_year()
    plain = _without_comparisons(prefix)
    if "今年" in plain or "上半年" in plain or "前三季度" in plain or _MONTHS.search(plain):
        return ctx.section_year or ctx.year
    if "去年" in plain or "上年" in plain:
        return ctx.year - 1
    return ctx.reviewed_year()


def years_of(prefix: str, status: str, ctx: DocContext, *, local: str | None = None, topic: str = "",
             has_change: bool = False, cumulative: bool = False) -> tuple[int | None, int | None]:
    """The period of a statement from the words before its last number (see the module doc).

    Parameters
    ----------
    prefix : str
        The sentence from its start to the statement's last number.
    status : {"target", "actual", "plan_target", "plan_average"}
    ctx : DocContext
    local : str, optional
        The statement's own words (from the clause naming its indicator to its last number);
        bases (比2002年) count only there; years there win over the sentence's.
    topic : str
        The earlier clauses of the sentence that hold no figure (１９９２年同１９８７年相比，…): their
        years count when the statement's own words have none.
    has_change : bool
        The statement states a change (a base year then makes a span).
    cumulative : bool
        The statement is an average level or a total over several years.

    Returns
    -------
    tuple of (int or None, int or None)
    """
    local = prefix if local is None else local
    own = explicit_years(local)
    anchors = [y for y, role in own if role == "anchor"]
    bases = [y for y, role in own if role == "base"]
    if not anchors and not bases:
        topic_years = explicit_years(topic)
        anchors = [y for y, role in topic_years if role == "anchor"]
        bases = [y for y, role in topic_years if role == "base"]
    if not anchors and not re.search("今年|去年", _without_comparisons(local)):
        anchors = [y for y, role in explicit_years(prefix[:len(prefix) - len(local)]) if role == "anchor"]
    if has_change and not bases and not re.search("今年|去年|上年|同比", _without_comparisons(local)) \
            and not own:  # 1954年…比1952年…；如铁增长56%; 2007年，…比2002年增长…；财政收入…增长1.71倍
        bases = [y for y, role, before in _compared(prefix[:len(prefix) - len(local)])]
    if status in ("target", "plan_target"):
        return _target_years(prefix, status, ctx, anchors, bases)
    since = _SINCE.search(local) or (_SINCE.search(prefix) if cumulative or status == "plan_average" else None)
    if since:
        anchors = [y for y in anchors if y != int(since.group("y"))]
        bases = [y for y in bases if y != int(since.group("y"))] + [int(since.group("y")) - 1]
    end = anchors[-1] if anchors else (ctx.actual_year if ctx.actual_year and not re.search("今年|去年", _without_comparisons(local))
                                       else _end_year(local if re.search("今年|去年", local) else prefix, ctx))
    if status == "plan_average" or cumulative:
        return _average_years(prefix, ctx, bases, end)
    if (has_change or since) and bases and end is not None and bases[-1] < end:
        return bases[-1] + 1, end
    ago = re.search(r"[比较](?P<n>[两二三四五六七八九十])年前", local)
    if has_change and ago and end is not None:  # 较五年前下降1.5个百分点: the change over those years
        return end - _count(ago.group("n")) + 1, end
    span_word = None
    for span_word in _SPAN_CUE.finditer(prefix):
        pass
    explicit = _EXPLICIT_SPAN.search(prefix)
    if span_word and not any(m.start() > span_word.end() for m in _YEAR.finditer(prefix)):
        # 2003年到2007年，中央财政对地方的转移支付累计4.25万亿元: the written span
        written = tuple(y for y, _ in explicit_years(explicit.group(0)))[:2] if explicit else None
        return _span(prefix, end) or (written if written and written[1] == end else None) or (end, end)
    if explicit:
        return tuple(y for y, _ in explicit_years(explicit.group(0)))[:2]
    plan = _plan_span(prefix)
    if plan and re.search("期间|时期", prefix):
        return plan
    if not anchors and re.search("连年|每年都|历年", local) and (ctx.lead or "一年" not in ctx.section):
        held = _plan_span(ctx.lead) or _span(ctx.lead, end) or _span(ctx.section, end)
        if held:
            return held
    if has_change and not anchors and not re.search("比上年|比去年|同比|较上年|去年|今年", prefix):
        if ctx.lead and (_span(ctx.lead, end) or _plan_span(ctx.lead)):
            return _plan_span(ctx.lead) or _span(ctx.lead, end)
        section_span = _span(ctx.section, end) if "一年" not in ctx.section else None
        if section_span:
            return section_span
    return end, end


def change_span(change_prefix: str, end: int | None) -> tuple[int, int] | None:
    """The span a change stated before its level covers when words of a span precede it with no
    year after them (五年间，进出口总额增长１倍，１９９２年达到１６５６亿美元 → 1988–1992), else None.

    >>> change_span("五年间，进出口总额增长", 1992), change_span("2007年，国内生产总值增长", 2007)
    ((1988, 1992), None)
    """
    span_word = None
    for span_word in _SPAN_WORDS.finditer(change_prefix):
        pass
    if span_word is None or any(m.start() > span_word.end() for m in _YEAR.finditer(change_prefix)):
        return None
    return _span(change_prefix, end)


def _compared(text: str) -> list[tuple[int, str, str]]:
    """Base years compared with (比/较/同/与 YYYY年) in ``text``."""
    return [(y, role, "") for y, role in explicit_years(text) if role == "base"
            and re.search(rf"[比较同与](?:{y}|{_cn_year(y)})年", text)]


def _cn_year(y: int) -> str:
    digits = "〇一二三四五六七八九"
    return "".join(digits[int(c)] for c in str(y))


def _average_years(prefix: str, ctx: DocContext, bases: list[int], end: int | None) -> tuple[int | None, int | None]:
    plan = _plan_span(prefix)
    if plan:
        return plan
    ahead = re.search(r"(?:今后|未来)(?P<n>[两二三四五六七八九十])年", prefix)
    if ahead and ctx.year is not None:
        return ctx.year, ctx.year + _count(ahead.group("n")) - 1
    avg = _AVERAGE.search(prefix)
    if avg and avg.group("n") and end is not None:
        return end - _count(avg.group("n")) + 1, end
    explicit = _EXPLICIT_SPAN.search(prefix)
    if explicit:
        return tuple(y for y, _ in explicit_years(explicit.group(0)))[:2]
    words = _span(prefix, end)
    if words:
        return words
    if bases and end is not None and bases[-1] < end:
        return bases[-1] + 1, end
    return (_span(prefix, end) or _plan_span(ctx.lead) or _span(ctx.lead, end) or _plan_span(ctx.section)
            or _span(ctx.section, end) or (end, end))


def _target_years(prefix: str, status: str, ctx: DocContext, anchors: list[int],
                  bases: list[int]) -> tuple[int | None, int | None]:
    year = ctx.year
    if status == "plan_target":
        plan = _plan_span(prefix)
        if plan:
            return plan
    if anchors:
        return anchors[-1], anchors[-1]
    if year is not None and ("明年" in prefix or "比今年" in prefix):
        return year + 1, year + 1
    if bases and year is not None and bases[-1] >= year - 1:
        return bases[-1] + 1, bases[-1] + 1
    this_year = "今年" in _without_comparisons(prefix)  # 由今年预计的3%提高到4%: 今年 is the base
    if ctx.target_year is not None and not this_year:
        return ctx.target_year, ctx.target_year
    if not this_year and any(_REVIEW_YEAR.search(p) for p in ctx.section.split(" > ")):
        return ctx.reviewed_year(), ctx.reviewed_year()
    if ctx.late and year is not None and not this_year:
        return year + 1, year + 1  # a late-year report's plan is next year's
    return year, year


def status_of(sentence_prefix: str, clause_prefix: str, after: str, ctx: DocContext, *, context: str = "") -> str:
    """The status of a statement whose first number follows ``clause_prefix`` (see the module doc).

    Parameters
    ----------
    sentence_prefix, clause_prefix : str
        The sentence, and its clause, up to the number.
    after : str
        A few characters after the statement's last number.
    ctx : DocContext
    context : str
        The line before, when it introduces a list (…主要预期目标是：).

    Examples
    --------
    >>> ctx = DocContext(year=2024, section="")
    >>> status_of("今年发展主要预期目标是：国内生产总值增长", "国内生产总值增长", "；", ctx)
    'target'
    >>> status_of("一九八一年计划为百分之三点七，实际达到", "实际达到", "；", ctx)
    'actual'
    """
    return decide_status(sentence_prefix, clause_prefix, after, ctx, context=context)[0]


def decide_status(sentence_prefix: str, clause_prefix: str, after: str, ctx: DocContext, *,
                  context: str = "", before_name: bool = False) -> tuple[str, str]:
    """:func:`status_of` with the reason: after, near, clause, sentence, carried, section or default.

    A paragraph whose statements were targets by their cues carries the status to a later
    statement that has no cue of its own (a target list continued after 。). ``before_name``: the
    number comes before its indicator (实现7%左右的增长速度), so 实现/完成 govern the phrase, not a result.
    """
    cues = load_cues()
    if any(after.startswith(w) for w in cues["target_after"]):
        return "target", "after"
    clause = _strip(clause_prefix, cues["not_target"])
    sentence = _strip(context + sentence_prefix, cues["not_target"])
    target = _plan_or_target(sentence, ctx)
    if any(w in clause_prefix[-6:] for w in ("预计", "实际")):
        return "actual", "near"
    if any(w in clause for w in cues["target_before"]) or _DISPOSAL.search(sentence_prefix):
        return target, "clause"
    # in an item of a target list (…预期目标是：⏎财政总收入完成50亿元), 实现/完成 state the goal, not a result
    listed = any(w in _strip(context, cues["not_target"]) for w in cues["target_sentence"])
    if any(w in clause for w in (("实际", "预计", "已") if before_name or listed else ("实际", "预计", "实现", "完成", "已"))):
        return "actual", "clause"
    if any(w in sentence for w in cues["target_sentence"]) and not any(w in sentence for w in cues["done"]):
        return target, "sentence"
    if ctx.target_heading:
        if re.search("去年|上年|过去", _without_comparisons(sentence)):
            return "actual", "section"
        return target, "section"
    if ctx.carry_target and not re.search("去年|上年|过去|实现|完成|预计|实际", clause):
        return "target", "carried"
    return "actual", "default"


def _plan_or_target(sentence: str, ctx: DocContext) -> str:
    m = _TARGET_YEAR.search(sentence)
    if m and ctx.year and int(m.group("y")) > ctx.year:
        return "plan_target"
    if re.search("五年内|三年内|今后五年|规划期", sentence):
        return "plan_target"
    return "target"


def _strip(text: str, words: list[str]) -> str:
    for w in words:
        text = text.replace(w, " ")
    return text
