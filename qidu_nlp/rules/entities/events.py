"""qidu_nlp.rules.entities.events: EVENT, named meetings.

Congress sessions (平阴县第十八届人民代表大会第三次会议, 县十七届人大二次会议), party congresses
(党的二十大), plenums (二十届二中、三中全会), 人代会, and 全省…大会.

Examples
--------
>>> from qidu_nlp.rules.entities.context import Context
>>> t = "学习贯彻党的二十大和二十届二中、三中全会精神"
>>> [t[c["start"]:c["end"]] for c in find_events(Context.make(t))]
['党的二十大', '二十届二中、三中全会']
"""

from __future__ import annotations

import re

from .context import CJK_RUN, NUM, Context, holds_word

__all__ = ["find_events"]

_CONGRESS = re.compile(
    rf"(?:第)?{NUM}+届\n*(?:全国)?(?:人民代表大会|人大)(?:常务委员会|常委会)?"
    rf"\n*(?:第)?{NUM}+次(?:全体)?会议")
_PARTY = re.compile(rf"(?:党的|中共){NUM}+大|(?:中国共产党)?第{NUM}+次全国代表大会")
_PLENUM = re.compile(rf"{NUM}+届(?:(?:{NUM}+中)(?:[、，]{NUM}+中)*|历次)全会")
_MEETING = re.compile(rf"(?:中央|全国|全省|全市|全县|全区|全州)({CJK_RUN}{{2,6}}?)(?:工作会议|大会)")


def find_events(ctx: Context) -> list[dict]:
    """EVENT candidates. A congress name broken over header lines gives one candidate per line
    (no span crosses a line), each with the whole name as its norm."""
    text, out = ctx.text, []

    def add(start: int, end: int, norm: str | None = None) -> None:
        item = ctx.candidate(start, end, "EVENT", norm=norm)
        if item:
            out.append(item)

    for m in _CONGRESS.finditer(text):
        s = ctx.place_prefix(m.start())
        pieces = [(a.start() + s, a.end() + s) for a in re.finditer(r"[^\n]+", text[s:m.end()])]
        for a, b in pieces:
            if b - a >= 2:
                add(a, b, norm=re.sub(r"\s+", "", text[s:m.end()]))
    for m in _PARTY.finditer(text):
        add(m.start(), m.end())
    for m in _PLENUM.finditer(text):
        add(m.start(), m.end())
    for m in re.finditer(r"人代会", text):
        add(m.start(), m.end())
    for m in _MEETING.finditer(text):
        if not holds_word(m.group(1), ctx.lex.boundary, min_len=2):
            add(m.start(), m.end())
    return out
