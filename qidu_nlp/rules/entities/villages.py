"""qidu_nlp.rules.entities.villages: VILLAGE, villages and urban communities.

A name before 村, 社区, 居委会, 居民区 or …家组; bare names listed before one (大夫、赵王等9个村;
西古东和田家村); a name before a generic head (棠悦智慧社区 → 棠悦).

Examples
--------
>>> from qidu_nlp.rules.entities.context import Context
>>> t = "大夫、赵王等9个村，南马坊村建成"
>>> [(t[c["start"]:c["end"]], c["norm"]) for c in find_villages(Context.make(t))]
[('南马坊村', '南马坊'), ('赵王', '赵王'), ('大夫', '大夫')]
"""

from __future__ import annotations

import re

from ...text.chars import is_cjk
from ...text.terms import find_terms
from .context import NUM, Context, boundary_after, boundary_before, extend_left, is_generic, place_ending_at

__all__ = ["find_villages", "find_gazetteer_villages"]

_HEADS = re.compile(r"居委会|居民区|村委会|社区|村居|村|(?<=家)组")
_COUNT_OF_VILLAGES = re.compile(rf"等?{NUM}+个(?:行政)?(?:村|社区|村居)")
_BAD_PREV = set("农乡全各本该每个政然困范点弱心中强富美名邻两三四五六七八九十百千万一驻新旧老贫建出进入下到整帮包镇村")
# 村 as the first character of a word: 村民, 村级, 村医, 村官, 村寨, 村道, 村貌, 村屯; 村村 is "every
# village" (村村通); …村率 is a rate over villages (自来水通村率)
_WORD_AFTER_VILLAGE = set("民级务干集庄镇容落规委组医官寨道村貌屯率")
# 通村 before a road or a bus is "reaching the villages" (180公里通村水泥路, 新修通村硬化路)
_REACHING = re.compile(r"通村(?:公路|水泥路|油路|道路|硬化路|路|客车|班车|客运|宽带)")
# villages counted by what reaches them, no name: 通油路村, 通公路村, 通水泥路村
_REACHED_BY = re.compile(r"^通\w{0,3}路$")
_NO_FIRST = set("个座条家处村")
# last characters of village toponyms: 王家, 张庄, 李家屯 are frequent words and still names
_TOPONYM_ENDS = set("家庄屯寨湾沟坪店营堡坝坡岭峪洼塘桥铺集寺口岗墩头台垴峁")
_COMMUNITY_MODIFIERS = {"智慧", "幸福", "和谐", "文明", "美丽", "平安", "绿色", "数字", "未来", "完整"}


def find_villages(ctx: Context) -> list[dict]:
    """VILLAGE candidates, ``norm`` the name without its head (南马坊村 → 南马坊)."""
    text, lex, out = ctx.text, ctx.lex, []
    cores = None  # the villages of the towns the text names, read when a word stands before a head
    for m in _HEADS.finditer(text):
        p, suf = m.start(), m.group()
        if ctx.segments[p] < 0 or p == 0:
            continue
        after = text[m.end():m.end() + 1]
        if after == "村" and text[m.end() + 1:m.end() + 2] in _WORD_AFTER_VILLAGE:
            after = ""  # 南马坊村村规民约: the village, then a word in 村
        if suf in ("村", "村居") and (after in _WORD_AFTER_VILLAGE or text[p - 1] in _BAD_PREV):
            continue  # 农村居民, 村级, 整村推进, 村村通: 村 inside a word
        if suf == "村" and (after.isascii() and after.isalpha() or _REACHING.match(text, p - 1)):
            continue  # 村BA (village basketball), 通村公路
        if suf == "社区" and text[p - 1] in "进到入":
            continue  # a campaign that goes into communities (四进社区, 直接送到社区) names none
        if suf == "组" and not (p >= 2 and text[p - 1] == "家" and text[p - 2] in lex.surnames):
            continue  # a group named by a family (王家组), not 专家组
        lo = ctx.seg_start(p)
        s = extend_left(text, p, lex, 4, stop_at_place=True, min_start=lo)
        if p - s < 2:
            continue
        s = _strip_generic_head(ctx, s, p)
        core = text[s:p]
        if len(core) < 2 or is_generic(core, lex) or core[0] in _NO_FIRST or core[-1] == "型" \
                or s not in ctx.token_starts or _REACHED_BY.match(core):
            continue  # 256个断路村, 村容村貌, 友好型社区, 广播电视村村通: no name before the head
        common = lex.is_common(core) if suf == "社区" else lex.is_common(core, 10.0) and core[-1] not in _TOPONYM_ENDS
        common = common or lex.is_common(text[s:m.end()], 9.7)  # 城中村: the whole is a word
        if common or core in lex.regions:
            if cores is None:
                cores = _gazetteer_cores(ctx)
            if core not in cores:
                continue  # 充分就业社区, 平安村, 长江村: a word before 村, unless a village of a town named
        tail = next((g for g in lex.generic_tails if core.endswith(g)), None)
        if tail is not None and tail not in _COMMUNITY_MODIFIERS:
            continue
        if tail is not None:
            # a name before a generic head (棠悦智慧社区 → 棠悦): the bare name is the village
            rest = core[:-len(tail)]
            if len(rest) < 2 or len(rest) > 3 or is_generic(rest, lex) or suf not in ("社区", "村"):
                continue
            _add(ctx, out, s, p - len(tail), rest)
            out += _listed_before(ctx, s, lo)
            continue
        _add(ctx, out, s, m.end(), core)
        out += _listed_before(ctx, s, lo)
    # bare names in a list closed by a count of villages: 大夫、赵王等9个村
    for m in _COUNT_OF_VILLAGES.finditer(text):
        if m.group().startswith("等"):
            out += _listed_before(ctx, m.start(), ctx.seg_start(m.start()), first=True)
    return out


def _gazetteer_cores(ctx: Context) -> set[str]:
    """The suffix-less names of the villages of the towns the text names."""
    return {_VILLAGE_SUFFIX.sub("", v) for town in ctx.towns for v in ctx.lex.villages_of(town)}


def _add(ctx: Context, out: list[dict], start: int, end: int, norm: str) -> None:
    if not all(map(is_cjk, norm)):
        return  # a name is written in characters: not 水泥（油）路, 城郊镇（乡）村
    item = ctx.candidate(start, end, "VILLAGE", norm=norm)
    if item:
        out.append(item)


def _strip_generic_head(ctx: Context, s: int, p: int) -> int:
    """Skip generic words at the start of a name (周边大夫 → 大夫)."""
    text = ctx.text
    moved = True
    while moved:
        moved = False
        for n in (3, 2):
            if p - s - n >= 2 and text[s:s + n] in ctx.lex.generic:
                s += n
                moved = True
                break
    return s


def _listed_before(ctx: Context, s: int, lo: int, first: bool = False) -> list[dict]:
    """Bare names in an enumeration that ends at ``s`` (``A、B`` / ``A和B`` …)."""
    text, lex, out = ctx.text, ctx.lex, []
    p, counted = s, first  # a list closed by a count of villages (大夫、赵王等9个村) may hold words
    while True:
        if first:
            q = p
            first = False
        else:
            if p - 1 < lo or text[p - 1] not in "、和及与":
                return out
            q = p - 1
        a = extend_left(text, q, lex, 5, stop_at_place=True, min_start=lo)
        if a > lo and is_cjk(text[a - 1]) and not boundary_before(text, a, lex) and \
                place_ending_at(text, a, lex, lo) is None and text[a - 1] not in "、":
            return out  # not a clean left edge (the run was cut by the length limit)
        a = _strip_generic_head(ctx, a, q)
        item = text[a:q]
        if not 2 <= len(item) <= 4 or is_generic(item, lex) or item in lex.divisions or item[-1] == "区" \
                or (lex.is_common(item, 9.7) and not counted):
            return out  # 零碳园区、零碳校区、零碳社区, 城中村、城边村: zones and words listed before are none
        _add(ctx, out, a, q, item)
        p = a


_TOWN_SUFFIX = re.compile(r"(镇|乡|街道|苏木|街道办事处)$")
_VILLAGE_SUFFIX = re.compile(r"(村民委员会|居民委员会|村委会|居委会|社区|嘎查|村)$")


def find_gazetteer_villages(ctx: Context) -> list[dict]:
    """VILLAGE candidates from the village lists of the towns the text names.

    The towns a report names (齐都镇) are found by the gazetteer of towns; their villages and
    communities (``villages.tsv.gz``, from jionlp) are then found wherever they stand, with their
    suffix (南马坊村) or without it (南马坊) where the bare name is no ordinary word and starts and
    ends on token boundaries.

    Examples
    --------
    >>> t = "齐都镇大夫观、南马坊等村"
    >>> [(t[c["start"]:c["end"]], c["norm"]) for c in find_gazetteer_villages(Context.make(t))]
    [('大夫观', '大夫观'), ('南马坊', '南马坊')]
    """
    text, lex, towns = ctx.text, ctx.lex, ctx.towns
    # a village named like its town (魏庄村 of 魏庄镇) is, written bare, the town
    town_cores = {_TOWN_SUFFIX.sub("", town) for town in towns}
    names: dict[str, str] = {}  # written form → norm
    for town in towns:
        for village in lex.villages_of(town):
            core = _VILLAGE_SUFFIX.sub("", village)
            if len(core) < 2 or lex.is_common(core) or core in lex.divisions or core in lex.generic \
                    or core in lex.regions:
                continue
            names.setdefault(village, core)
            if core not in town_cores:
                names.setdefault(core, core)
    out = []
    found = find_terms(text, names)  # one pass for all names (a search per name grew with the towns named)
    for written, norm in names.items():
        for start in found[written]:
            end = start + len(written)
            if start not in ctx.token_starts or end not in ctx.token_ends:
                continue
            if written == norm and end < len(text) and text[end] in "村镇乡县区市":
                continue  # 南马坊村: the suffixed name is found by its own entry
            if written == norm and end < len(text) and is_cjk(text[end]) and text[end] not in "和与、" \
                    and not boundary_after(text, end, lex):
                continue  # a bare name stands alone: not 马路拉链
            item = ctx.candidate(start, end, "VILLAGE", norm=norm, source="gazetteer")
            if item:
                out.append(item)
    return sorted(out, key=lambda c: c["start"])
