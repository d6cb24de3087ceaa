"""qidu_nlp.rules.entities.projects: PROJECT, named projects, parks, bases, estates, roads and sites.

- names before a project or site head (项目, 产业园, 综合体, 广场, 路, 府, 苑 …) with a proper
  element (a core made only of generic words, 文化广场, is no project), widened over hyphenated
  places (马鞍山-南京-镇江城际铁路线), a company before its product facility or capacity
  (博远化工年产3.6万吨有机过氧化物项目), a Latin code (凤凰河eod项目), a middle dot
  (华中金融城·资本中心) and a place-named section (商合杭高铁含山段);
- a company's project (山东康通百胜央厨食品有限公司项目), names joined by a hyphen and a phase in
  brackets (天地壹号遂溪产业园项目(一期));
- quoted coined site names (“双生谷” → 双生谷; 工控“进未来”标准厂房 with a head after the quote);
- items of a list closed by a count of projects or estates (三一发达、华旺新材料等…项目), a company
  with its product taking the place of an ORG candidate of the same span.

Examples
--------
>>> from qidu_nlp.rules.entities.context import Context
>>> t = "推进广辛路改造，建设“双生谷”"
>>> projects, _ = find_projects(Context.make(t), [])
>>> sorted(t[c["start"]:c["end"]] for c in projects)
['双生谷', '广辛路']
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...text.chars import is_cjk
from .context import CJK_RUN, FUNCTION_CHARS, NUM, Context, boundary_before, extend_left, is_generic, list_item_ok, \
    place_ending_at
from .names import COMPANY_HEADS, HEAD_CONTINUES, companies_by_end, org_ending_at, proper_project_core, suffixed

__all__ = ["find_projects"]

_CAPACITY_RE = re.compile(rf"年(?:产|处理|加工|生产|吞吐)(?:能力)?[0-9.]+[万千亿]?(?:吨|台|套|件|辆|片|只|支|立方米|平方米)"
                          rf"{CJK_RUN}{{1,14}}?(?:项目|工程|生产线)")
_LIST_END_RE = re.compile(rf"等(?:{NUM}+个|一批|多个)?(?:{CJK_RUN}{{0,6}}?项目|{CJK_RUN}{{0,4}}?楼盘)"
                          rf"|等(?:{NUM}+[个项]|一批|多个){CJK_RUN}{{0,4}}?工程")
_SECTION_RE = re.compile(rf"({CJK_RUN}{{2,4}}?)段")
# numbered national/provincial roads (国道212线, 省道 217 线, G330, GZ35) and "X至Y" routes
_ROAD_NUMBER_RE = re.compile(r"(?:国道|省道|县道)\s?[0-9]{1,4}\s?线|(?<![A-Za-z0-9])[GS][A-Z]?[0-9]{1,4}(?![0-9])")
_ROUTE_RE = re.compile(rf"至{CJK_RUN}{{2,8}}?(?:高速公路|高速|一级公路|二级公路|三级公路|城际铁路|铁路|公路|段)")
_SECTION_AFTER_RE = re.compile(rf"{CJK_RUN}{{2,4}}?段")
_WORKS_AFTER_RE = re.compile(rf"{CJK_RUN}{{1,12}}?工程")
_SHARED_HEADS = ("水库", "机场", "公路", "铁路", "高速", "桥", "隧道", "码头", "港", "电站", "水厂", "污水处理厂", "小区")
_PHASE_RE = re.compile(r"[（(](?:[一二三四五六七八九十]|[0-9]{1,2})期[）)]")
_LEVEL_SUFFIXES = ("镇", "乡", "县", "区", "市", "街道")
_SITE_HEADS = ("广场", "公园", "游园", "街", "街区", "苑", "府", "园", "路", "大道", "小镇", "综合体")
_QUOTED_RE = re.compile(r"“([^”“\n\s]{2,20})”")
_HONOUR_BEFORE_RE = re.compile(r"(?:获评|荣获|评为|获得|创建|争创|创成|命名为|授予|首个|唯一一个|全国|全省|国家级|省级)“?$")
_QUOTED_SITE_HEADS = set("谷巷仓坊园苑府馆")
_PROGRAMME_HEADS = {"工程", "中心", "计划", "行动"}
_AMOUNT_RE = re.compile(r"[0-9.]+[万亿千百]*元")
# a size between an owner and a facility: 桃源35千伏变电站, 爱辉20万千瓦风能发电项目
_SIZE_RE = re.compile(r"[0-9][0-9.]*[万千]?(?:千伏|千瓦|兆瓦|吨|头|只|羽|台|套|床|亩|平方米|立方米|公里|千米)级?")
# what completes a works of infrastructure on its right: a second track, an unbracketed phase
_CONTINUATIONS = ("复线", "一期", "二期", "三期", "四期")


def find_projects(ctx: Context, orgs: list[dict]) -> tuple[list[dict], list[dict]]:
    """PROJECT candidates, and the ORG candidates that remain (a list item that is a company
    with its product is a PROJECT, not the ORG of the same span).

    Parameters
    ----------
    ctx : Context
        The document.
    orgs : list of dict
        The ORG candidates (:func:`qidu_nlp.rules.entities.orgs.find_orgs`).

    Returns
    -------
    (list of dict, list of dict)
        The projects, and ``orgs`` without the ones a project replaced.
    """
    projects = suffixed(ctx, ctx.lex.project_suffixes, "PROJECT", max_core=14, orgs=orgs)
    projects += _quoted(ctx)
    orgs = _lists(ctx, projects, orgs)
    projects += _listed_with_a_project(ctx, projects, orgs)
    projects += _joined(ctx, projects)
    projects += _company_projects(ctx, orgs)
    projects += _roads(ctx)
    projects += _sized(ctx, orgs)
    projects += _listed_before_a_project(ctx, projects)
    # a company's capacity project: 博远化工年产3.6万吨有机过氧化物项目
    companies = companies_by_end(orgs)
    for m in _CAPACITY_RE.finditer(ctx.text):
        start = org_ending_at(companies, m.start())
        if start is not None:
            _add(ctx, projects, start, m.end())
    # a project named by one ordinary word of the language (高速公路, 幼儿园, 铁路) is no name
    projects = [c for c in projects if not ctx.lex.is_common(ctx.text[c["start"]:c["end"]], 9.7)]
    return projects, orgs


def _add(ctx: Context, out: list[dict], start: int, end: int) -> None:
    item = ctx.candidate(start, end, "PROJECT")
    if item:
        out.append(item)


def _quoted(ctx: Context) -> list[dict]:
    """Quoted coined names of sites and projects.

    With a head after the closing quote the span keeps the quotes (工控“进未来”标准厂房,
    “拙政问雅”夜游项目); a quoted name that itself ends in a site head is the name without its
    quotes (“双生谷”, “平江九巷”, “齐都粮仓”). Numeral-built names (“四个一批”项目), honours after
    获评/荣获/创建 and heads that continue into another word (国家中心城市) are left out.
    """
    text, lex, out = ctx.text, ctx.lex, []
    heads2 = [s for s in lex.project_suffixes if len(s) >= 2]
    for m in _QUOTED_RE.finditer(text):
        inner = m.group(1)
        qs, qe = m.start(), m.end()
        if not proper_project_core(inner) or _HONOUR_BEFORE_RE.search(text[max(0, qs - 6):qs]):
            continue
        lo = ctx.seg_start(qs) if ctx.segments[qs] >= 0 else qs
        done = False
        ends_in_head = inner.endswith(tuple(heads2)) or inner[-1] in _QUOTED_SITE_HEADS
        for suf in ([] if ends_in_head or "+" in inner else heads2):
            if suf in _PROGRAMME_HEADS:
                continue  # “强芯”工程: a quoted campaign name, a slogan
            k = text.find(suf, qe, qe + 4 + len(suf))
            if k < 0 or not all(map(is_cjk, text[qe:k])) or k + len(suf) not in ctx.token_ends \
                    or any(c in FUNCTION_CHARS for c in text[qe:k]):
                continue
            if text[k + len(suf):k + len(suf) + 2] in HEAD_CONTINUES:
                continue
            s = extend_left(text, qs, lex, 3, min_start=lo)
            if s > lo and is_cjk(text[s - 1]) and not boundary_before(text, s, lex):
                s = qs  # a longer run on the left is a name of its own (航天云机“易嘉油…”)
            _add(ctx, out, s, k + len(suf))
            done = True
            break
        if done or is_generic(inner, lex) or not all(is_cjk(c) or c in "·" for c in inner):
            continue
        if ends_in_head:
            head = next((h for h in heads2 if inner.endswith(h)), inner[-1])
            if len(inner) > len(head) and not is_generic(inner[:-len(head)], lex):
                _add(ctx, out, qs + 1, qe - 1)
    return out


def _lists(ctx: Context, projects: list[dict], orgs: list[dict]) -> list[dict]:
    """Items of a list closed by a count of projects (柏润高端制袜、乐京智能家电等99个项目), added
    to ``projects``; returns ``orgs`` without the items they replace.

    An item is a PROJECT when it has a proper element; a numeral inside a brand is fine
    (三一发达, 五星颐家) but not a count (五大工程). A company with its product (华旺新材料,
    瑞信磁性材料) is the project, also where the ORG suffixes would take it; an item ending in a
    company head alone (洪韵科技, 昊瑞环保) stays ORG.
    """
    text, lex = ctx.text, ctx.lex
    quoted_at: dict[int, list[int]] = {}  # end → starts of the projects with a quote, kept up to date
    indexed = 0
    replaced: set[tuple[int, int]] = set()  # spans of the ORG candidates a project replaces
    for m in _LIST_END_RE.finditer(text):
        lo = ctx.seg_start(m.start())
        end = m.start()
        while end > lo:
            for c in projects[indexed:]:  # projects only grow here: index the new ones
                if "“" in text[c["start"]:c["end"]]:
                    quoted_at.setdefault(c["end"], []).append(c["start"])
            indexed = len(projects)
            quoted = quoted_at.get(end, [])
            if quoted:  # an item already found as a quoted name: 工控“进未来”标准厂房
                s = min(quoted)
            else:
                s = _item_start(ctx, lo, end, ctx.name_start(end, 16, ascii_letters=True))
            item = text[s:end]
            if not quoted and 2 <= len(item) <= 16 and list_item_ok(item) and not is_generic(item, lex) \
                    and not (len(item) <= 3 and s in ctx.token_starts and end in ctx.token_ends
                             and not any(x in ctx.token_starts for x in range(s + 1, end))) \
                    and not item.endswith(COMPANY_HEADS):
                _add(ctx, projects, s, end)
                replaced.add((s, end))
            # the previous item ends before 、 (after an amount such as 10亿元)
            k = s - 1
            while k > lo and text[k] != "、" and (not is_cjk(text[k]) or text[k] in "万亿元") and text[k] not in "，,。；;":
                k -= 1
            if k <= lo or text[k] != "、":
                break
            end = k
    # one pass at the end (a new list of all ORG candidates per item grew with the square)
    return [c for c in orgs if (c["start"], c["end"]) not in replaced] if replaced else orgs


def _item_start(ctx: Context, lo: int, end: int, s: int) -> int:
    """Where a list item ending at ``end`` starts: at the 、 before it when the name found by its
    words (``s``) stops short of it (华为光电子研发生产基地: 为 is a function word; 东风公司双离合变速器:
    a company before its product), past an amount (10亿元传化公路港枢纽)."""
    text = ctx.text
    prev = text.rfind("、", lo, s)
    if prev < 0 or prev + 1 >= s or end - prev - 1 > 16:
        return s
    run = text[prev + 1:s]
    if not all(is_cjk(ch) or ch.isalnum() or ch == "." for ch in run):
        return s
    amount = _AMOUNT_RE.match(text, prev + 1, s)
    return amount.end() if amount else prev + 1


def _listed_with_a_project(ctx: Context, projects: list[dict], orgs: list[dict]) -> list[dict]:
    """A bare name listed before a suffixed project and closed by 等 is a project too
    (棠悦西门、西寺广场等绿地游园)."""
    text, lex, out = ctx.text, ctx.lex, []
    ends = {}
    for c in projects:
        if text[c["end"]:c["end"] + 1] == "等" and c["start"] > 0 \
                and text[c["start"] - 1] == "、" and text[c["start"]:c["end"]].endswith(_SITE_HEADS):
            ends[c["start"] - 1] = c
    org_spans = {(c["start"], c["end"]) for c in orgs}
    for k in ends:
        lo = ctx.seg_start(k)
        s = ctx.name_start(k, 6)
        item = text[s:k]
        if not 3 <= len(item) <= 6 or not all(map(is_cjk, item)) or is_generic(item, lex) \
                or not list_item_ok(item) or not boundary_before(text, s, lex) and s > lo:
            continue
        if (s, k) in org_spans:
            continue
        _add(ctx, out, s, k)
    return out


def _roads(ctx: Context) -> list[dict]:
    """Roads named by number (国道212线, 国道 214 线丽江段改建工程, G330安全设施精细化提升工程) and by
    their ends (渭源至武都高速, 安定巉口至会宁郭城二级公路, GZ35靖边至吴堡段): every reading is a
    candidate (the number alone, with its section, with the works), the judge keeps one."""
    text, lex, out = ctx.text, ctx.lex, []
    for m in _ROAD_NUMBER_RE.finditer(text):
        if m.group(0)[0] in "GS" and not (m.end() < len(text) and is_cjk(text[m.end()])):
            continue  # a bare code (G20) names a road only before the rest of its name
        if m.group(0)[0] not in "GS":
            _add(ctx, out, m.start(), m.end())
        e = m.end()
        for pattern in (_SECTION_AFTER_RE, _WORKS_AFTER_RE):  # 丽江段, then 改建工程
            after = pattern.match(text, e)
            if after and after.end() in ctx.token_ends:
                e = after.end()
                _add(ctx, out, m.start(), e)
        route = _ROUTE_RE.match(text, m.end() + 2) if m.group(0)[0] in "GS" else None
        if route and text[m.end():m.end() + 2] and all(map(is_cjk, text[m.end():m.end() + 2])):
            _add(ctx, out, m.start(), route.end())
    for m in _ROUTE_RE.finditer(text):
        lo = ctx.seg_start(m.start())
        s = extend_left(text, m.start(), lex, 8, min_start=lo)
        if m.start() - s >= 2 and m.end() in ctx.token_ends:
            _add(ctx, out, s, m.end())
    return out


def _listed_before_a_project(ctx: Context, projects: list[dict]) -> list[dict]:
    """Bare names listed before a suffixed work of infrastructure share its head (玉龙、华坪、
    永胜通用机场; 酥油口、大野口、二坝水库): each item of two to five characters, separated by 、,
    and no place of the gazetteer (长沙县、长沙经开区 are places and zones, not airports)."""
    text, lex, out = ctx.text, ctx.lex, []
    for c in projects:
        k = c["start"] - 1
        if k <= 0 or text[k] != "、" or not text[c["start"]:c["end"]].endswith(_SHARED_HEADS):
            continue
        lo = ctx.seg_start(k)
        while k > lo and text[k] == "、":
            s = extend_left(text, k, lex, 5, min_start=lo)
            item = text[s:k]
            if not 2 <= len(item) <= 5 or not all(map(is_cjk, item)) or is_generic(item, lex) \
                    or not list_item_ok(item) or s not in ctx.token_starts \
                    or item in lex.divisions and item[-1] in "省市县区州盟旗镇乡":
                break
            _add(ctx, out, s, k)
            k = s - 1
    return out


@lru_cache(maxsize=4)
def _heads_re(heads: tuple[str, ...]) -> re.Pattern:
    """One pattern of the project heads (given longest first, so the longest matches)."""
    return re.compile("|".join(map(re.escape, heads)))


def _sized(ctx: Context, orgs: list[dict]) -> list[dict]:
    """A facility named by its owner and its size: a place, a company or a short name, then a
    size, then the facility (桃源35千伏变电站, 爱辉20万千瓦风能发电项目, 博光米东区100万千瓦光伏电站):
    the size stops the name found by its words, so the owner is looked for before it."""
    text, lex, out = ctx.text, ctx.lex, []
    heads = _heads_re(tuple(lex.project_suffixes))
    companies = companies_by_end(orgs)
    for m in _SIZE_RE.finditer(text):
        lo = ctx.seg_start(m.start())
        owner = place_ending_at(text, m.start(), lex, lo)
        if owner is None:
            owner = org_ending_at(companies, m.start())
        if owner is None:
            s = extend_left(text, m.start(), lex, 6, min_start=lo)
            owner = s if m.start() - s >= 2 and s in ctx.token_starts and not is_generic(text[s:m.start()], lex) \
                and not lex.is_common(text[s:m.start()]) else None
        if owner is None or owner > 0 and text[owner - 1] in "年产约近超":
            continue
        # the facility: a head of the project list within ten characters, at the end of a word
        for k in range(m.end(), min(len(text), m.end() + 12)):
            if not is_cjk(text[k]) or text[k] in FUNCTION_CHARS:
                break
            head = heads.match(text, k)
            if head and head.end() in ctx.token_ends and text[head.end():head.end() + 2] not in HEAD_CONTINUES \
                    and head.end() - m.end() >= 2:
                _add(ctx, out, owner, head.end())
                break
    return out


def _company_projects(ctx: Context, orgs: list[dict]) -> list[dict]:
    """A company's project: the company's name followed by 项目 or 建设项目
    (山东康通百胜央厨食品有限公司项目)."""
    text, out = ctx.text, []
    for c in orgs:
        if c.get("generic") or not text[c["start"]:c["end"]].endswith(COMPANY_HEADS):
            continue
        for head in ("建设项目", "项目"):
            e = c["end"] + len(head)
            if text.startswith(head, c["end"]) and e in ctx.token_ends:
                _add(ctx, out, c["start"], e)
                break
    return out


def _joined(ctx: Context, projects: list[dict]) -> list[dict]:
    """Project names widened over what completes them on the right.

    - two names joined by a middle dot or a hyphen are one (华中金融城·资本中心,
      石桥公园-钻汇创意建设项目);
    - a line's section named by a place or a town of the gazetteer (商合杭高铁含山段,
      引江济淮工程孔城段);
    - a phase in brackets (天地壹号遂溪产业园项目(一期)).
    """
    text, lex, out = ctx.text, ctx.lex, []
    by_start: dict[int, list[dict]] = {}
    for c in projects:
        by_start.setdefault(c["start"], []).append(c)
    for c in projects:
        e = c["end"]
        if text[e:e + 1] in ("·", "-", "－"):
            for d in by_start.get(e + 1, []):
                _add(ctx, out, c["start"], d["end"])
        m = _SECTION_RE.match(text, e)
        if m and (m.group(1) in lex.divisions or place_ending_at(text, m.end() - 1, lex, e) == e
                  or any(m.group(1) + suffix in lex.towns for suffix in _LEVEL_SUFFIXES)):
            _add(ctx, out, c["start"], m.end())
        m = _PHASE_RE.match(text, e)
        if m:
            _add(ctx, out, c["start"], m.end())
        if text[c["start"]:e].endswith(_SHARED_HEADS + ("灌区",)):
            # a works of the line, reservoir or district named after it (山丹寺沟灌区水利续建配套工程),
            # a second track or a phase (神朔铁路复线, 上海光源二期)
            m = _WORKS_AFTER_RE.match(text, e)
            if m and m.end() in ctx.token_ends and not any(ch in FUNCTION_CHARS for ch in m.group()):
                _add(ctx, out, c["start"], m.end())
            for cont in _CONTINUATIONS:
                if text.startswith(cont, e) and e + len(cont) in ctx.token_ends:
                    _add(ctx, out, c["start"], e + len(cont))
    return out
