"""qidu_nlp.rules.entities.persons: PERSON, a name right after a role title or right before a
post-title.

Two or three characters starting with a surname after a title (镇长 刘菁华, 县长 张 平) or
before 总书记/同志 (习近平总书记); spaces inside a name are kept as written.

Examples
--------
>>> from qidu_nlp.rules.entities.context import Context
>>> t = "镇长 刘菁华在会上讲话，习近平总书记指出"
>>> [t[c["start"]:c["end"]] for c in find_persons(Context.make(t))]
['刘菁华', '习近平']
"""

from __future__ import annotations

import re

from ...text.chars import CJK, is_cjk
from ...text.header import salutation_at
from .context import FUNCTION_CHARS, Context, boundary_before, occurrences, starts_with_word

__all__ = ["find_persons", "name_end"]

# role nouns that end a "name" read after a title: 镇长任组长 (the mayor chairs the group)
_ROLES = {"组长", "副组长", "主任", "副主任", "书记", "委员", "主席", "局长", "科长", "站长", "所长", "队长", "成员"}
# characters that are surnames but, first in a two-character "name", are mostly a verb or a
# preposition: 来陕, 赴京, 向老, 和县, 在岗
_NOT_A_SURNAME_HERE = set("来赴到在向和与对同跟从")
_NAME_LINE = re.compile(rf"^[ \u3000]*([{CJK}][{CJK} \u3000]{{1,5}}[{CJK}])[ \u3000]*$", re.M)


def name_end(ctx: Context, p: int) -> int | None:
    """End of a 2–3 character personal name starting at ``p`` (spaces inside allowed)."""
    text, lex = ctx.text, ctx.lex
    if p >= len(text) or not is_cjk(text[p]):
        return None
    if not (text[p] in lex.surnames or text[p:p + 2] in lex.surnames):
        return None
    chars, j = [], p
    while j < len(text) and len(chars) < 4:
        if is_cjk(text[j]):
            chars.append(j)
            j += 1
        elif text[j] == " " and chars and j + 1 < len(text) and is_cjk(text[j + 1]) and len(chars) < 3:
            j += 1
        else:
            break
    if len(chars) < 2:
        return None
    # a name of n chars is accepted when what follows is not a Chinese character, or is a
    # boundary word / post-title; prefer 3 characters, then 2
    for n in (3, 2):
        if len(chars) < n:
            continue
        end = chars[n - 1] + 1
        rest = text[end:end + 3]
        if end >= len(text) or not is_cjk(text[end]) or starts_with_word(rest, lex.titles_post_set) \
                or starts_with_word(rest, lex.boundary):
            if n == 3 and text[chars[2]] in FUNCTION_CHARS:
                continue  # 王伟在…: the third character is a function word
            if text[chars[1]:end].replace(" ", "") in _ROLES:
                return None
            return end
    return None


def find_persons(ctx: Context) -> list[dict]:
    """PERSON candidates after the titles and before the post-titles of the lexicon."""
    text, lex, out = ctx.text, ctx.lex, []
    pre = "|".join(map(re.escape, lex.titles_pre))
    for m in re.finditer(rf"(?:{pre})[ \u3000]*", text):
        end = name_end(ctx, m.end())
        if end is not None and not lex.is_common(text[m.end() - 1:end]):  # 部长|白山: 长白山 is a word
            item = ctx.candidate(m.end(), end, "PERSON")
            if item:
                out.append(item)
    post = "|".join(map(re.escape, lex.titles_post))
    for m in re.finditer(rf"(?:{post})", text):
        p = m.start()
        for n in (3, 2):
            s = p - n
            if s < 0 or not all(map(is_cjk, text[s:p])):
                continue
            if not (text[s] in lex.surnames or text[s:s + 2] in lex.surnames):
                continue
            if text[p - 1] in "委府局厅部办省市县区镇乡村":
                continue  # 区委书记: a body, not a name
            if s > 0 and lex.is_common(text[s - 1:s + 1]):
                continue  # 各位列席: the first character belongs to the word before
            if boundary_before(text, s, lex) or text[s - 1] in "委长记任席" or \
                    any(text.endswith(ti, 0, s) for ti in lex.titles_pre):
                item = ctx.candidate(s, p, "PERSON")
                if item:
                    out.append(item)
                break
    seen = {(c["start"], c["end"]) for c in out}
    out += [c for c in _leaders(ctx) + _speaker_lines(ctx) if (c["start"], c["end"]) not in seen]
    return [c for c in out if _proper(ctx, c)]


def _proper(ctx: Context, c: dict) -> bool:
    """The proper-name test of a person: not an ordinary word (关于, 高山, 党中央), not begun or
    ended by one of the most frequent words (关于党, 和政府), and not a verb or preposition before a
    province's abbreviation or an honorific (来陕, 向老)."""
    name = ctx.text[c["start"]:c["end"]].replace(" ", "").replace("\u3000", "")
    if c.get("source") == "leaders":
        return True
    if ctx.lex.is_common(name, 8.0):  # very frequent words only: the IDF table holds names too
        return False
    if ctx.lex.is_common(name[:2], 6.0) or ctx.lex.is_common(name[1:], 6.0):
        return False  # 总书记关于党…, 市长和政府组成人员: a function word, then a frequent word
    if name[0] in _NOT_A_SURNAME_HERE and _is_place(ctx.lex, name[1:]):
        return False  # 总书记来盐城考察: a verb before a city, not 来 the surname
    return not (len(name) == 2 and name[0] in _NOT_A_SURNAME_HERE)


def _is_place(lex, name: str) -> bool:
    return name in lex.place_names or any(name + suffix in lex.divisions for suffix in "市县区")


def _leaders(ctx: Context) -> list[dict]:
    """National leaders wherever they stand (邓小平理论 → 邓小平)."""
    out = []
    for name in ctx.lex.leader_names:
        for start in occurrences(ctx.text, name):
            item = ctx.candidate(start, start + len(name), "PERSON", source="leaders")
            if item:
                out.append(item)
    return out


def _speaker_lines(ctx: Context) -> list[dict]:
    """The speaker's name on a line of its own in the report header (before 各位代表)."""
    text, lex, out = ctx.text, ctx.lex, []
    salutation = salutation_at(text)
    head_end = min(len(text), 400) if salutation is None else salutation
    for m in _NAME_LINE.finditer(text, 0, head_end):
        name = m.group(1)
        plain = name.replace(" ", "").replace("\u3000", "")
        if 2 <= len(plain) <= 4 and (plain[0] in lex.surnames or plain[:2] in lex.surnames) \
                and not lex.is_common(plain) and not any(plain.endswith(t) or plain.startswith(t) for t in lex.titles_pre):
            item = ctx.candidate(m.start(1), m.end(1), "PERSON", source="speaker")
            if item:
                out.append(item)
    return out
