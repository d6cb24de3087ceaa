"""qidu_nlp.rules.entities.places: PLACE, administrative divisions, regions and natural places.

A gazetteer of China's divisions (province → prefecture → county → town, with unambiguous
suffix-less forms such as 淄博, 临淄), countries and continents, extracted once from jionlp
(``data/entities/divisions.tsv.gz``, see ``benchmarks/build_gazetteer.py``), plus a short list of
regions (``regions.txt``); rivers and lakes written as one token (淄河, 石塘湖); scenic and city
areas named after a hill, lake or place (大龙山风景名胜区, 龙珠山片区, 姑苏古城); policy regions
(皖江示范区). A town's bare form (齐都) is learned per document (:mod:`.select`).

Examples
--------
>>> from qidu_nlp.rules.entities.context import Context
>>> t = "淄博市临淄区齐都镇沿淄河"
>>> [(t[c["start"]:c["end"]], c["level"]) for c in find_places(Context.make(t))]
[('淄博市', 'prefecture'), ('临淄区', 'county'), ('齐都镇', 'town')]
>>> ctx = Context.make(t, token_starts=[0, 3, 6, 9, 10], token_ends=[3, 6, 9, 10, 12])
>>> [(t[c["start"]:c["end"]], c["level"]) for c in find_places(ctx)][-1]
('淄河', 'natural')
"""

from __future__ import annotations

import re

import numpy as np

from ...text.chars import CJK, code_points, is_cjk
from .context import FUNCTION_CHARS, Context, extend_left, is_generic, place_ending_at

__all__ = ["find_places"]

_WATER_RE = re.compile(r"[河湖]")
# mountains, islands, bays and streams written as one token (大龙山, 涠洲岛): no ordinary word
_NATURE_RE = re.compile(r"[山岭峰岛湾溪江]")
# a province's one-character abbreviation standing alone after a verb of going (来鲁, 赴粤)
_ABBREVIATIONS = "京津沪渝冀豫云辽黑湘皖鲁苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台"
_ABBREVIATION = re.compile(rf"(?<=[来赴驻援抵返回入离在])[{_ABBREVIATIONS}](?:(?![{CJK}])|(?=[投考工发务]))")
_NOT_WATER_FIRST = set("沿环跨入过临靠近护滨傍江山河湖内內外运银星冰天界母堰")
_NATURE_RUN = set("山水林田湖草沙")
_REGION_ABBR_RE = re.compile(r"[皖鲁苏浙粤闽赣湘鄂豫冀晋陕川滇黔桂琼辽吉黑蒙沪津渝][江南北东西中]")
_AREA_RE = re.compile(r"风景名胜区|风景区|名胜区|片区|古城|示范区")


def find_places(ctx: Context) -> list[dict]:
    """PLACE candidates, with ``level`` (province … town, region, natural, area)."""
    return _divisions(ctx) + _natural(ctx) + _nature_words(ctx) + _abbreviations(ctx)


def _nature_words(ctx: Context) -> list[dict]:
    """A mountain, island, bay or stream written as one token of two or three characters (大龙山,
    涠洲岛), not an ordinary word (江山, 靠山) nor a generic one."""
    text, lex, out = ctx.text, ctx.lex, []
    for m in _NATURE_RE.finditer(text):
        e = m.end()
        if e not in ctx.token_ends:
            continue
        for n in (3, 2):
            s = e - n
            if s < 0 or s not in ctx.token_starts or any(x in ctx.token_starts for x in range(s + 1, e)):
                continue
            w = text[s:e]
            if not all(map(is_cjk, w)) or lex.is_common(w) or w in lex.generic or w[:-1] in lex.generic \
                    or any(c in FUNCTION_CHARS for c in w):
                continue
            item = ctx.candidate(s, e, "PLACE", norm=w, level="natural", source="nature")
            if item:
                out.append(item)
            break
    return out


def _abbreviations(ctx: Context) -> list[dict]:
    """A province's one-character abbreviation standing alone (来鲁, 赴粤投资)."""
    out = []
    for m in _ABBREVIATION.finditer(ctx.text):
        item = ctx.candidate(m.start(), m.end(), "PLACE", norm=m.group(), level="province", source="abbreviation")
        if item:
            out.append(item)
    return out


def _divisions(ctx: Context) -> list[dict]:
    """Gazetteer names at token starts (grown one character at a time while some name begins
    so), longest first."""
    text, lex, out = ctx.text, ctx.lex, []
    names, prefixes, size = lex.place_names, lex.place_prefixes, len(text)
    full_named: dict[str, bool] = {}  # a county's bare name → its full name occurs: one search per name
    starts = np.fromiter((i for i in ctx.token_starts if i + 1 < size), dtype=np.int64)
    if not len(starts) or not len(lex.place_pairs):
        return out
    cps = code_points(text)
    pairs = (cps[starts] << 21) | cps[starts + 1]
    # place_pairs is sorted and unique: a binary search, where np.isin would sort its 40k
    # entries again for every document
    known = lex.place_pairs
    at = np.minimum(np.searchsorted(known, pairs), len(known) - 1)
    for i in np.sort(starts[known[at] == pairs]).tolist():
        if not is_cjk(text[i]):
            continue
        found, n = [], 2
        while i + n <= size and text[i:i + n] in prefixes:
            if text[i:i + n] in names:
                found.append(n)
            n += 1
        for n in reversed(found):
            w = text[i:i + n]
            hit = lex.divisions.get(w)
            if hit is None and w in lex.regions:
                hit = ("region", w)
            if hit is None:
                continue
            level, norm = hit
            full = level == "town" or w[-1] in "省市县区州盟旗国"
            if n == 2 and w[0] in FUNCTION_CHARS:
                continue
            if level == "town" and w[:-1] in lex.boundary and i > 0 and is_cjk(text[i - 1]):
                continue  # 大力发展乡村产业: a verb before 乡, not the township 发展乡
            if level in ("county", "town") and w != norm and lex.is_common(w, 10.0) \
                    and place_ending_at(text, i, lex) is None:
                continue  # 小城镇, 老城区: frequent words, unless a place precedes (洛阳市老城区)
            if level == "town" and lex.is_common(norm, 7.0) and place_ending_at(text, i, lex) is None:
                continue  # 重点中心镇: a town named by a frequent word is a category unless a place precedes
            if level == "county" and w == norm and lex.is_common(w):
                if w not in full_named:
                    full_named[w] = any(w + x in text for x in "县区市旗")
                if not full_named[w]:
                    continue  # 文化富民: a county's bare name that is also a word counts once the full name occurs
            if (n == 2 or not full) and (i + n) not in ctx.token_ends:
                continue
            if w == "中国" and text[i + n:i + n + 2] in ("特色", "共产") or text[i + n:i + n + 1] == "式":
                continue
            item = ctx.candidate(i, i + n, "PLACE", norm=norm, level=level)
            if item:
                out.append(item)
            break
    return out


def _natural(ctx: Context) -> list[dict]:
    """Rivers, lakes and named areas the gazetteer does not hold.

    - a river or lake written as one token of two or three characters (淄河, 石塘湖), not an
      ordinary word (运河, 沿河, 江湖);
    - a scenic or city area named after a hill, lake, river or place (大龙山风景名胜区, 龙珠山片区),
      a place's old town (姑苏古城), a policy region named after a place or a province
      abbreviation with a direction or river (皖江示范区, 苏南示范区).
    """
    text, lex, out = ctx.text, ctx.lex, []
    starts, ends = ctx.token_starts, ctx.token_ends
    for m in _WATER_RE.finditer(text):
        e = m.end()
        if e not in ends:
            continue
        for n in (3, 2):
            s = e - n
            if s < 0 or s not in starts or any(x in starts for x in range(s + 1, e)):
                continue
            w = text[s:e]
            if not all(map(is_cjk, w)) or w[0] in _NOT_WATER_FIRST or w in lex.generic \
                    or w[:-1] in lex.generic or any(c in FUNCTION_CHARS for c in w) \
                    or n == 2 and w[0] in "大小老新古清":
                continue
            if s > 0 and text[s - 1] in _NATURE_RUN:
                continue  # 山水林田湖草: a list of nature words, no lake
            item = ctx.candidate(s, e, "PLACE", norm=w, level="natural")
            if item:
                out.append(item)
            break
    for m in _AREA_RE.finditer(text):
        p, head = m.start(), m.group()
        lo = ctx.seg_start(p) if ctx.segments[p] >= 0 else p
        s = extend_left(text, p, lex, 4, min_start=lo)
        if s not in starts:
            continue
        core = text[s:p]
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
            item = ctx.candidate(s, m.end(), "PLACE", norm=text[s:m.end()], level="area")
            if item:
                out.append(item)
    return out
