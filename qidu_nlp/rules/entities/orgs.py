"""qidu_nlp.rules.entities.orgs: ORG, government and party bodies, national bodies and companies.

Generic bodies with their level or place (县委, 区政府, 镇党委, 平阴县人民政府, 人大, 政协), a lexicon
of national bodies and media, and names before an organisation suffix (集团, 有限公司, 科技, 化工,
助剂, 学会 …) including a bracketed province (遨博（山东）智能机器人). A body that is part of a
role title (区委书记, 省委车俊书记) is no ORG.

Examples
--------
>>> from qidu_nlp.rules.entities.context import Context
>>> t = "在区委、区政府的坚强领导下，遨博（山东）智能机器人投产"
>>> sorted({t[c["start"]:c["end"]] for c in find_orgs(Context.make(t))}, key=t.index)
['区委', '区政府', '遨博（山东）智能机器人']
"""

from __future__ import annotations

import re

from .context import CJK_RUN, NUM, Context
from .names import suffixed

__all__ = ["find_orgs"]

_BODY = re.compile(r"人民政府|人大常委会|人大常务委员会|人大主席团|党工委|党委|政府|人大|政协|纪委|监委|委")
# a body whose level is a word of two characters or more (街道党工委, 苏木政府, 嘎查党支部)
_LEVEL_WORDS = ("街道", "苏木", "嘎查")
# 镇党委、政府: the government of the same level, written without it
_SAME_LEVEL = re.compile(r"(?<=党委、)政府|(?<=党委和)政府|(?<=党工委、)办事处")
_SHORT_GOVERNMENT = re.compile(r"(?<![全各本])(?:省|市|县|区)府(?![院邸第库])")
_ROLE_AFTER = ("委员", "代表", "书记", "副书记", "常委", "主席", "副主席", "秘书长", "常务", "委托", "委会")
_TITLE_AFTER = re.compile(rf"{CJK_RUN}{{2,3}}(?:书记|主任|主席|县长|市长|区长|省长|同志)")
_ORDINAL_BEFORE = re.compile(rf"第{NUM}+届$")
_CENTRE = re.compile(r"党中央|中央(?=[和、，,。八决部精要关省]|$)")


def find_orgs(ctx: Context) -> list[dict]:
    """ORG candidates; generic bodies carry ``generic: True``."""
    text, lex, out = ctx.text, ctx.lex, []

    def add(start: int, end: int) -> None:
        item = ctx.candidate(start, end, "ORG", generic=True)
        if item:
            out.append(item)

    for m in _BODY.finditer(text):
        head = m.group()
        if any(text.startswith(r, m.end()) for r in _ROLE_AFTER) and not text.startswith("常委会", m.end()):
            continue
        if head == "委" and text[m.end():m.end() + 1] == "员":
            continue
        if _TITLE_AFTER.match(text[m.end():m.end() + 6]) and head not in ("人民政府", "政府"):
            continue  # 省委车俊书记: the body is part of a role title
        ordinal = _ORDINAL_BEFORE.search(text[max(0, m.start() - 6):m.start()])
        s = ctx.place_prefix(m.start() - (len(ordinal.group()) if ordinal else 0))
        if ordinal and s == m.start() - len(ordinal.group()):
            s = m.start()
        needs_level = head in ("委", "党委", "政府", "人民政府", "党工委", "纪委", "监委")
        level_word = next((w for w in _LEVEL_WORDS if text.endswith(w, 0, s)), None)
        if s == m.start() and level_word:
            s -= len(level_word)
        if s == m.start():
            if needs_level and head not in ("纪委", "监委"):
                continue
            if head in ("人大", "政协", "纪委", "监委") and s > 0 and text[s - 1] in "全":
                continue
        add(s, m.end())
    for m in _CENTRE.finditer(text):
        if m.group() == "中央" and m.start() > 0 and text[m.start() - 1] in "党共":
            continue
        add(m.start(), m.end())
    for name in lex.org_names:
        for m in re.finditer(re.escape(name), text):
            if m.end() not in ctx.token_ends:
                continue  # the segmenter saw a longer word: 财政部门 (departments) is no 财政部
            if not any(text.startswith(r, m.end()) for r in _ROLE_AFTER):
                add(m.start(), m.end())
    for pattern in (_SAME_LEVEL, _SHORT_GOVERNMENT):
        for m in pattern.finditer(text):
            add(m.start(), m.end())
    out += suffixed(ctx, lex.org_suffixes, "ORG", max_core=14)
    return out
