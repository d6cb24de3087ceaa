"""qidu_nlp.rules.entities.features: what the entity judge sees of a candidate span.

The rules propose candidates (every finder of this package, each naming itself as ``source``);
the judge (:mod:`.judge`) decides which are names. A candidate is described by plain features,
each prefixed with its label so that one linear model holds a model per label: which rules
proposed it and which other labels compete for the same span; its length, its first and last
characters and its head; the characters and boundary words around it; whether it starts and
ends where the segmenter cuts words; whether it, or its core without the head, is an ordinary
word (``common_words.tsv.gz``: the proper-name test), made of generic words, a division of the
gazetteer or a village of a town the text names; quotes, lists and repetitions; whether it sits
in the report's header.

Examples
--------
>>> from qidu_nlp.rules.entities.context import Context
>>> t = "健全社区治理体系，南马坊村建成"
>>> ctx = Context.make(t)
>>> f = span_features(ctx, {"start": 0, "end": 4, "label": "VILLAGE", "sources": ["villages"]}, DocStats.of(ctx, []))
>>> f["VILLAGE|core_common"], f["VILLAGE|src=villages"]
(1, 1)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ...text.chars import is_cjk
from ...text.header import salutation_at
from ...text.terms import count_terms
from .context import Context, boundary_after, boundary_before, is_generic

__all__ = ["span_features", "DocStats", "HEADS"]

# the head that ends a name of each label, stripped to find its core
HEADS = {
    "VILLAGE": re.compile(r"(村民委员会|居民委员会|村委会|居委会|居民区|社区|村居|嘎查|自然村|村|组)$"),
    "PLACE": re.compile(r"(自治区|自治州|自治县|街道|苏木|省|市|州|县|区|旗|镇|乡|盟)$"),
    "PROJECT": re.compile(r"(建设项目|改造项目|项目|工程|基地|园区|产业园|小区|地块|综合体|中心|公园|广场)$"),
    "ORG": re.compile(r"(有限公司|有限责任公司|公司|集团|合作社|委员会|协会|中心|局|办)$"),
}
_PUNCT = set("，。、；：？！,.;:?!（）()《》【】“”‘’「」『』\"' \n—")


@dataclass
class DocStats:
    """What the features need of the whole document: how often each surface occurs, the labels
    proposed for each span, and where the header ends."""

    counts: Counter
    labels_at: dict
    header_end: int

    @classmethod
    def of(cls, ctx: Context, cands: list[dict]) -> "DocStats":
        labels_at: dict[tuple[int, int], set[str]] = {}
        for c in cands:
            labels_at.setdefault((c["start"], c["end"]), set()).add(c["label"])
        surfaces = Counter(ctx.text[c["start"]:c["end"]] for c in cands)
        counts = Counter(count_terms(ctx.text, surfaces))  # text.count of each, in one pass
        return cls(counts, labels_at, salutation_at(ctx.text) or 0)


def _bucket(n: int) -> str:
    return str(n) if n <= 5 else ("6-8" if n <= 8 else ("9-12" if n <= 12 else "13+"))


def _char_class(ch: str) -> str:
    if not ch:
        return "^"
    if ch in _PUNCT:
        return "P"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "A"
    return ch


def _core(surface: str, label: str) -> str:
    head = HEADS.get(label)
    core = head.sub("", surface) if head else surface
    return core if len(core) >= 2 else surface


def _common_share(ctx: Context, s: int, e: int) -> str:
    """How much of ``text[s:e]`` the segmenter cuts into ordinary words (社区实事: all of it, a
    generic project; 兴发食街: part of it): "all", "most", "some" or "none"."""
    cuts = [x for x in range(s, e) if x in ctx.token_starts] + [e]
    if cuts[0] != s:
        cuts.insert(0, s)
    words = [ctx.text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]
    common = sum(len(w) for w in words if len(w) >= 2 and ctx.lex.is_common(w, max_idf=10.0))
    share = common / max(1, e - s)
    return "all" if share == 1 else ("most" if share >= 0.5 else ("some" if share > 0 else "none"))


def span_features(ctx: Context, c: dict, stats: DocStats) -> dict:
    """The features of one candidate (a dict with ``start``, ``end``, ``label``, ``sources``)."""
    text, lex = ctx.text, ctx.lex
    s, e, label = c["start"], c["end"], c["label"]
    surface = text[s:e]
    core = _core(surface, label)
    f: dict[str, float] = {"bias": 1}
    for src in c.get("sources", ()):
        f["src=" + src] = 1
    for other in stats.labels_at.get((s, e), ()):
        if other != label:
            f["also=" + other] = 1
    f["len=" + _bucket(len(surface))] = 1
    f["first=" + surface[0]] = 1
    f["last=" + surface[-1]] = 1
    f["last2=" + surface[-2:]] = 1
    l1, r1 = text[s - 1:s], text[e:e + 1]
    f["l1=" + _char_class(l1)] = 1
    f["r1=" + _char_class(r1)] = 1
    f["l2=" + text[max(0, s - 2):s]] = 1
    f["r2=" + text[e:e + 2]] = 1
    f["boundary_before"] = int(boundary_before(text, s, lex))
    f["boundary_after"] = int(boundary_after(text, e, lex))
    f["token_start"] = int(s in ctx.token_starts)
    f["token_end"] = int(e in ctx.token_ends)
    f["tokens=" + _bucket(sum(1 for x in range(s, e) if x in ctx.token_starts))] = 1
    f["common"] = int(lex.is_common(surface))
    f["core_common"] = int(lex.is_common(core))
    idf = lex.common.get(core)
    f["core_idf=" + ("none" if idf is None else str(min(12, int(idf))))] = 1
    f["core_words=" + _common_share(ctx, s, s + len(core))] = 1
    f["generic"] = int(is_generic(core, lex))
    f["division"] = int(surface in lex.divisions)
    f["core_division"] = int(core in lex.divisions)
    f["region"] = int(surface in lex.regions)
    f["surname"] = int(surface[0] in lex.surnames or surface[:2] in lex.surnames)
    f["digit"] = int(any(ch.isdigit() for ch in surface))
    f["latin"] = int(any(ch.isascii() and ch.isalpha() for ch in surface))
    f["all_cjk"] = int(all(is_cjk(ch) for ch in surface))
    f["quoted"] = int(l1 in "“‘「『\"" or r1 in "”’」』\"")
    f["list"] = int(l1 == "、" or r1 == "、" or r1 == "等")
    f["repeats=" + _bucket(min(stats.counts.get(surface, 1), 9))] = 1
    f["header"] = int(s < stats.header_end)
    f["line_start"] = int(s == 0 or text[s - 1] == "\n")
    return {f"{label}|{k}": v for k, v in f.items()}
