"""qidu_nlp.rules.entities.events: EVENT, named meetings.

Congress sessions (平阴县第十八届人民代表大会第三次会议, 县十七届人大二次会议), party congresses
(党的二十大), plenums (二十届二中、三中全会), 人代会, and 全省…大会.

Examples
--------
>>> from qidu_nlp.rules.entities.context import Context
>>> t = "学习贯彻党的二十大和二十届二中、三中全会精神"
>>> [t[c["start"]:c["end"]] for c in find_events(Context.make(t))]  # candidates may overlap
['党的二十大', '二十届二中、三中全会', '二十大']
"""

from __future__ import annotations

import re

from .context import CJK_RUN, NUM, Context, holds_word

__all__ = ["find_events"]

_CONGRESS = re.compile(
    rf"(?:第)?{NUM}+届\n*(?:全国)?(?:人民代表大会|人大)(?:常务委员会|常委会)?"
    rf"\n*(?:第{NUM}*|{NUM}+)次(?:全体)?会议")  # 第次会议: a numeral lost in the source
_PARTY = re.compile(rf"(?:党的|中共){NUM}+大|(?:中国共产党)?第{NUM}+次全国代表大会")
_PLENUM = re.compile(rf"{NUM}+届(?:(?:{NUM}+中)(?:[、，]{NUM}+中)*|历次)全会")
_MEETING = re.compile(rf"(?:中央|全国|全省|全市|全县|全区|全州)({CJK_RUN}{{2,6}}?)(?:工作会议|大会)")
_LEVEL = "(?:省|市|州|县|区|旗|镇|乡|街道)"
# local party congresses and plenums, people's congresses by their short name, community meetings
_LOCAL = re.compile(
    rf"{_LEVEL}?(?:委)?(?:第?{NUM}+届)?(?:第?{NUM}+次)?党代会"                        # 市第十二次党代会, 镇党代会
    rf"|{_LEVEL}委{NUM}+届{NUM}+次全会|{NUM}+届{_LEVEL}委{NUM}+次全会"          # 县委十五届六次全会
    rf"|{_LEVEL}(?:第?{NUM}+届)?人代会"                                         # 镇人代会, 镇十八届人代会
    rf"|(?:社区|村)(?:党员)?代表(?:大会|会议)"                                  # 社区党员代表会议
    rf"|(?:党的)?{NUM}+届{NUM}+中全会(?:[、，]{NUM}+中全会)+"                    # 二十届二中全会、三中全会
    rf"|党的{NUM}+届(?:{NUM}+中)(?:[、，]{NUM}+中)*全会"                          # 党的十六届六中全会
    rf"|(?<![届{NUM[1:-1]}]){NUM}+中(?:[、，]{NUM}+中)+全会"                      # 二中、三中、四中全会
    rf"|(?<![第届{NUM[1:-1]}])(?:十[一二三四五六七八九]|二十)大(?=精神|以来|报告|召开|胜利|[、，和及])"  # 十七大
    rf"|(?<![会届代])人民代表大会(?![第常代])")                                  # 年初人民代表大会确定的
_BEFORE_HEADER_LINE = re.compile(rf"在\s*({CJK_RUN}{{2,12}})$")


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
    for m in _LOCAL.finditer(text):
        add(m.start(), m.end())
    return out + _header_place_lines(ctx)


def _header_place_lines(ctx: Context) -> list[dict]:
    """A header whose session name starts on the line after its place (…在颛桥镇⏎第六届人民代表
    大会第七次会议上): the place on the line before is a piece of the EVENT too."""
    text, out = ctx.text, []
    for m in _CONGRESS.finditer(text):
        s = m.start()
        if s == 0 or text[s - 1] != "\n":
            continue
        line_start = text.rfind("\n", 0, s - 1) + 1
        before = _BEFORE_HEADER_LINE.search(text[line_start:s - 1].rstrip())
        if before:
            a = line_start + before.start(1)
            item = ctx.candidate(a, a + len(before.group(1)), "EVENT",
                                 norm=before.group(1) + re.sub(r"\s+", "", m.group()), source="header")
            if item:
                out.append(item)
    return out
