"""qidu_nlp.rules.entities.names: names made of a core and a head (an ORG or PROJECT suffix).

:func:`suffixed` finds every ``core + head`` of a suffix list: the head where the segmenter
ends a word, the core extended to the left up to a boundary word (:func:`Context.name_start`)
and required to hold a proper-name element (:func:`is_generic`). A project's core is widened
over a company that owns it (:func:`project_left`) and must be no count or honour
(:func:`proper_project_core`).
"""

from __future__ import annotations

import re

from ...text.chars import CN_DIGITS, CN_TWO, is_cjk
from .context import COUNT_START, HONOUR_START, Context, boundary_after, is_generic, occurrences, place_ending_at

__all__ = ["suffixed", "project_left", "org_ending_at", "companies_by_end", "proper_project_core", "COMPANY_HEADS", "HEAD_CONTINUES"]

COMMON_WORDS_1 = {"政府", "思路", "道路", "出路", "新路", "门路", "之路", "网路", "线路", "马路", "铁路", "公路",
                  "水路", "街道", "大街", "王府", "官府", "学府", "城府"}
COMPANY_HEADS = ("公司", "集团", "科技", "高科", "股份", "控股", "实业", "置业", "环保", "化工", "助剂",
                 "药业", "制药", "传媒", "地产")
HEAD_CONTINUES = {"城市", "城镇"}
_WORKS_HEADS = ("项目", "工程", "建设项目", "改造项目")
# company heads that are also industries (清洁能源, 生物医药, 精细化工): a name needs more than them
INDUSTRY_HEADS = ("科技", "环保", "化工", "药业", "医药", "能源", "物流", "传媒", "地产", "材料", "建材", "机械",
                  "电子", "食品", "纺织", "服装", "农业", "旅游", "文化")
# heads of urban toponyms, named with ordinary words as often as not (人民路, 幸福苑, 人民公园)
_URBAN_HEADS = frozenset({"路", "大道", "街", "街区", "步行街", "老街", "广场", "公园", "游园", "府", "苑", "园",
                          "大厦", "地块", "桥", "大桥", "隧道", "港", "码头", "小镇", "特色小镇", "度假村"})
# a level word before a generic facility names none (市冰上运动中心, 县域科技成果转化中心)
_LEVEL_START = re.compile(r"(?:自治区|城区|县域|市级|县级|省级|全[省市县区]|[省市县区镇乡])")
_AMOUNT_IN_CORE = re.compile(f"[{CN_DIGITS}十{CN_TWO}][大项个号千批]")


def proper_project_core(core: str) -> bool:
    """A project name is no count of works (一批…, 五大工程), honour (全国…基地) or quoted slogan.

    Examples
    --------
    >>> proper_project_core("广辛"), proper_project_core("五大"), proper_project_core("全国示范")
    (True, False, False)
    """
    if re.match(r"[“\"]?" + COUNT_START, core):
        return False
    if _AMOUNT_IN_CORE.search(core):
        return False
    if re.match(HONOUR_START, core):
        return False
    if core.count("“") != core.count("”"):
        return False
    return True


def companies_by_end(orgs: list[dict]) -> dict[int, list[dict]]:
    """The company candidates (ORG candidates that are no generic body) by the position where
    they end: what :func:`org_ending_at` and :func:`project_left` look up, so that neither scans
    every ORG candidate of the document for each project (which grew with its square)."""
    out: dict[int, list[dict]] = {}
    for c in orgs:
        if not c.get("generic"):
            out.setdefault(c["end"], []).append(c)
    return out


def org_ending_at(companies: dict[int, list[dict]], end: int) -> int | None:
    """Start of the longest company candidate (not a generic body) that ends at ``end``
    (``companies``: :func:`companies_by_end`)."""
    starts = [c["start"] for c in companies.get(end, ())]
    return min(starts) if starts else None


def project_left(ctx: Context, start: int, p: int, companies: dict[int, list[dict]]) -> int:
    """Widen a project name on its left over what still belongs to it.

    - places chained by hyphens: 马鞍山-南京-镇江城际铁路线;
    - a company before its product and facility: 电科北方半导体科技（山东）有限公司集成电路材料产业基地
      (``companies``: :func:`companies_by_end`).
    """
    text, lex = ctx.text, ctx.lex
    lo = ctx.seg_start(p)
    while start - 1 > lo and text[start - 1] in "-－—":
        a = place_ending_at(text, start - 1, lex, lo)
        if a is None:
            break
        start = a
    # a company whose name ends inside the run, the rest being generic words of its product
    best = start
    # only companies ending between start - 1 and p qualify: look those up (the earliest start wins)
    for c in (c for end in range(max(start - 1, 0), p) for c in companies.get(end, ())):
        if c["start"] < best and c["start"] >= lo \
                and (is_generic(text[c["end"]:p], lex) or text[c["end"] - 2:c["end"]] in ("公司", "集团")) \
                and not any(x in text[c["end"]:p] for x in "，,。；;、"):
            best = c["start"]
    return best


def suffixed(ctx: Context, suffixes: list[str], label: str, max_core: int,
             orgs: list[dict] | None = None) -> list[dict]:
    """Candidates ``core + head`` for every head of ``suffixes`` (each head on its own:
    孵化园 and 园区 overlap in 孵化园区).

    Parameters
    ----------
    ctx : Context
        The document.
    suffixes : list of str
        The heads (ORG or PROJECT suffixes of the lexicons).
    label : {"ORG", "PROJECT"}
        The label of the candidates.
    max_core : int
        Longest core, in characters.
    orgs : list of dict, optional
        ORG candidates already found: a PROJECT's core widens over a company that owns it.
    """
    text, lex, out = ctx.text, ctx.lex, []
    companies = companies_by_end(orgs or []) if label == "PROJECT" else {}
    for suf in suffixes:
        for p in occurrences(text, suf):
            if ctx.segments[p] < 0:
                continue
            e = p + len(suf)
            if len(suf) == 1:
                # a one-character head (路, 府, 苑) must not be glued into a common two-char word
                if not (p in ctx.token_starts and e in ctx.token_ends) and not (
                        e in ctx.token_ends and ctx.token_len_ending(e) >= 3):
                    continue
                if text[p - 1:p + 1] in COMMON_WORDS_1:
                    continue
            if len(suf) > 1 and e not in ctx.token_ends:
                continue  # the segmenter saw a longer word: 财政部门, 重工业, 机械化 are no names
            if label == "PROJECT" and text[e:e + 2] in HEAD_CONTINUES:
                continue  # 国家中心城市: the head runs on into another word
            s = ctx.name_start(p, max_core, ascii_letters=label == "PROJECT")
            if label == "ORG" and p - s < 2:  # 省农科院: a level character is the whole core
                s2 = ctx.place_prefix(p)
                s = s2 if s2 < p else s
            if label == "PROJECT":
                s = project_left(ctx, s, p, companies)
                latin = re.match(r"[A-Za-z]{2,6}(?![A-Za-z])", text[e:e + 7])
                if latin and len(suf) > 1:
                    e += latin.end()  # 北部新城eod
            core = text[s:p]
            if len(core) < (1 if label == "ORG" and core in "省市县区镇" else 2) or (
                    len(suf) == 1 and (len(core) > 4 or not all(map(is_cjk, core)))):
                continue
            if label == "PROJECT" and not proper_project_core(core):
                continue
            if label == "ORG" and core in lex.divisions and e < len(text) and is_cjk(text[e]) \
                    and not suf.endswith(COMPANY_HEADS) and not boundary_after(text, e, lex):
                continue  # “中国食品名城”: a place and an industry word inside a longer phrase
            if is_generic(core, lex):
                continue
            if suf in INDUSTRY_HEADS and label == "ORG" and ctx.all_common(s, p, max_idf=9.0):
                continue  # 清洁能源, 生物医药: an industry, no company
            if label == "PROJECT" and suf in _WORKS_HEADS and lex.is_common(core, 9.5):
                continue  # 招商引资项目, 扶贫项目: one ordinary word before 项目, no name
            if label == "PROJECT" and suf not in _URBAN_HEADS and e == p + len(suf) and _ordinary_words(ctx, s, p):
                continue  # 检测认证中心, 市疾控中心项目, 路基工程: a facility or works described, not named
            item = ctx.candidate(s, e, label)
            if item:
                out.append(item)
    return out


def _ordinary_words(ctx: Context, s: int, p: int) -> bool:
    """Whether the core ``text[s:p]``, after a level word (市, 县域), is ordinary words only: no
    place (榆林机场, 大运河文化带), nothing joined before it (华中金融城·资本中心)."""
    text, lex = ctx.text, ctx.lex
    if s and text[s - 1] in "·-－—" or any(text[i:j] in lex.place_names
                                            for i in range(s, p) for j in range(i + 2, min(p, i + 4) + 1)):
        return False
    m = _LEVEL_START.match(text, s, p)
    if m and p - m.end() >= 2:
        s = m.end()
    return ctx.all_common(s, p, 9.0)
