"""qidu_nlp.rules.entities.lists: the bare names of an enumeration share the label of its head noun.

``张庄、李庄、王家等5个村`` → 张庄, 李庄, 王家 are VILLAGE; ``沪二、沪新、陈家宅等小区`` → PROJECT;
``和盛养殖、隆海物流等企业`` → ORG. The heads and their labels are the data file
``list_heads.tsv``; an enumeration is items separated by 、 (the last one also by 和, 及, 与),
closed by 等, an optional count (5个, 一批, 多个) and the head. An item is two to twelve characters
with no punctuation, its first item starting after a boundary word; an item made of generic
words, a count or an honour is no name. The generator is liberal: whether an item is a name is
left to the entity judge.

Examples
--------
>>> from qidu_nlp.rules.entities.context import Context
>>> t = "建成张庄、李庄和王家等5个村的污水管网。"
>>> [(t[c["start"]:c["end"]], c["label"]) for c in find_list_items(Context.make(t))]
[('张庄', 'VILLAGE'), ('李庄', 'VILLAGE'), ('王家', 'VILLAGE')]
"""

from __future__ import annotations

import re

from ...text.chars import is_cjk
from .context import NUM, Context, extend_left, is_generic, list_item_ok

__all__ = ["find_list_items"]

_COUNT = rf"(?:{NUM}+(?:个|家|处|座|项|条)|一批|多个|多家)?"
_MAX_ITEM = 12


def _closers(ctx: Context):
    heads = sorted(ctx.lex.list_heads, key=len, reverse=True)
    if not heads:
        return None
    # a short modifier may stand between 等 and an ORG head (等亿元级企业, 等世界500强企业)
    return re.compile("等" + _COUNT + r"(?:[^，,。；;、\n]{0,8}的|(?P<mod>[^，,。；;、\n]{1,6}?))??("
                      + "|".join(map(re.escape, heads)) + ")")


def find_list_items(ctx: Context) -> list[dict]:
    """Candidates for the bare items of every enumeration closed by 等 and a known head."""
    pattern = _closers(ctx)
    if pattern is None:
        return []
    text, lex, out = ctx.text, ctx.lex, []
    for m in pattern.finditer(text):
        if m.end() not in ctx.token_ends:
            continue  # the head runs on into a longer word (村民, 企业家)
        label = lex.list_heads[m.group(2)]
        if m.group("mod") and (label != "ORG" or m.start(2) not in ctx.token_starts):
            # only companies are counted with a modifier (等亿元级企业); 等美丽乡村 ends a longer
            # word, 等重大基础设施项目 describes projects the items need not name
            continue
        lo = ctx.seg_start(m.start()) if ctx.segments[m.start()] >= 0 else m.start()
        items = _items(ctx, lo, m.start())
        if len(items) < 2 and m.group(0) == "等" + m.group(2):
            continue  # one item and no count: 等 may mean "and so on" after a single example
        for start, end in items:
            item = ctx.candidate(start, end, label, source="list")
            if item:
                out.append(item)
    return out


def _items(ctx: Context, lo: int, end: int) -> list[tuple[int, int]]:
    """The items before ``end`` (the position of 等), right to left, stopping at the first that is
    no name; returned left to right."""
    text, lex = ctx.text, ctx.lex
    items: list[tuple[int, int]] = []
    while end > lo:
        comma = text.rfind("、", max(lo, end - _MAX_ITEM - 1), end)
        run_start = comma + 1 if comma >= 0 else None
        if run_start is not None and all(is_cjk(c) or c in "（）()·" for c in text[run_start:end]):
            start = run_start
        else:  # the first item: its left edge is a boundary word, punctuation or the line start
            start = _drop_leading_words(ctx, extend_left(text, end, lex, _MAX_ITEM, min_start=lo), end)
            comma = -1
        pieces = _split_last(ctx, start, end) if not items and comma >= 0 else [(start, end)]
        for a, b in reversed(pieces):
            item = text[a:b]
            if not 2 <= len(item) <= _MAX_ITEM or not list_item_ok(item) or is_generic(item, lex):
                return items[::-1]
            items.append((a, b))
        if comma < 0:
            break
        end = comma
    return items[::-1]


def _drop_leading_words(ctx: Context, start: int, end: int) -> int:
    """Move the start of the first item past ordinary words the segmenter sees before the name
    (带动周边大夫、赵王等9个村: 周边 is a frequent word, 大夫 the village; idf below 8, so that
    the first word of a brand such as 中银大厦, idf 8.9, stays)."""
    text, lex = ctx.text, ctx.lex
    while True:
        e = next((e for e in range(end - 2, start + 1, -1) if e in ctx.token_starts and
                  start in ctx.token_starts and lex.is_common(text[start:e], max_idf=8.0)), None)
        if e is None:
            return start
        start = e


def _split_last(ctx: Context, start: int, end: int) -> list[tuple[int, int]]:
    """The last item of an enumeration may hold two joined by 和/及/与 (李庄和王家): split where the
    conjunction is a token of its own."""
    for i in range(start + 2, end - 1):
        if ctx.text[i] in "和及与" and i in ctx.token_starts and i + 1 in ctx.token_ends:
            return [(start, i), (i + 1, end)]
    return [(start, end)]
