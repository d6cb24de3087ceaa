"""qidu_nlp.rules.indicators.unnamed: indicators the table does not name, found by syntax.

Reports name dozens of quantities once (a product, a fund, a count of recipients) that no table
lists. A clause whose subject is a noun phrase and whose predicate states a number makes that
noun phrase an indicator, named by itself (the id is the words, with the leading time and scope
words cut: 全年, 其中, 一九五七年):

* **change**: subject + (比上年 …) + 增长/增加/增产/下降/减少/提高 … (到) + a number
  (甘蔗增加了三千零九十二万担, 农村用电量增长二十二倍, 机械化率提高到73%), or subject + 由/从 + a
  number (…由1997年的123万公里增加到…);
* **level**: subject + 达到/为/突破/完成/实现 + a number, or subject + a number, when the subject
  ends with the head noun of a measure (…产量, …收入, …利润, …人数, …比重; the heads are in
  ``data/indicators/cues.json``, key ``unnamed``).

* **lists** before 都/均 (粮食、棉花、烤烟等产品的产量，也都比一九五七年增长一倍以上): every item, named
  by the table when it knows the word, else by itself.

A clause that already names an indicator of the table, a subject holding a verb of a programme
(建成, 新建, 安排 …), a policy parameter (起征点, 税率), another country (英国的), a coordination (和, 与, 等) or a pronoun is left alone.

Examples
--------
>>> from qidu_nlp.rules.indicators.table import load_table
>>> text = "根据预计，一九五七年比一九五六年，甘蔗增加了三千零九十二万担；全年工业企业实现利润2202亿元"
>>> [(m.id, m.form) for m in unnamed_mentions(text, 0, len(text), [])]
[('甘蔗', 'syntax'), ('工业企业实现利润', 'syntax')]
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...text.terms import longest_first
from .mentions import Mention
from .table import load_cues

__all__ = ["unnamed_mentions", "is_rate_name"]

_NUM = "[0-9零〇○一二两三四五六七八九十百千]"
_APPROX = "(?:约|近|将近|接近|大约|超过)?"
_YEAR = r"(?:(?:19|20)\d{2}|一九[〇○零一二三四五六七八九]{2})年(?:的|底|末|全年)?"
_SPAN = r"(?:过去|这|近|前)?[两二三四五六七八九十\d]+年(?:来|间|中|里)?"
_RATE_HEADS = ("率", "比重", "比例", "占比")


@lru_cache(maxsize=1)
def _patterns() -> dict:
    spec = load_cues()["unnamed"]
    alt = lambda words: "|".join(map(re.escape, longest_first(words)))  # noqa: E731
    before = f"(?:{alt(spec['before_verb'])}|比{_YEAR}|[比较](?:{_SPAN}前|上年|去年))*"
    return {
        "change": re.compile(f"{before}(?:(?:{alt(spec['change_verbs'])})(?:到|至)?|(?:由|从)(?:{_YEAR})?){_APPROX}(?={_NUM})"),
        "level": re.compile(f"{before}(?:{alt(spec['level_verbs'])})?{_APPROX}(?={_NUM})"),
        "topic": re.compile(f"^(?:{alt(spec['topic'])}|(?:到|至)?{_YEAR}就?|比{_YEAR}|{_SPAN}|[，,\\s—―])*"),
        "heads": tuple(spec["heads"]),
        "digit": re.compile(_NUM),
        "firsts": frozenset(w[0] for k in ("before_verb", "change_verbs", "level_verbs") for w in spec[k])
        | frozenset("比较由从约近将接大超0123456789零〇○一二两三四五六七八九十百千"),
        "stop": re.compile(alt(spec["stop"] + spec["change_verbs"] + load_cues()["foreign"]) + "|比(?![重例])|(?<![高中初同平相均对])等|(?<!普)及|[的了和人]$|^[有把]|[零〇一二两三四五六七八九十百千][百千万亿]"),
        "anaphoric": re.compile(f"^(?:{alt(spec['anaphoric'])})?(?:{alt(spec['heads'])})$"),
        "name": re.compile(r"^[\u4e00-\u9fff（）()]{2,18}$"),
        "compounds": tuple(spec["compounds"]),
        "moved": re.compile(f"(?:{alt(spec['manner'])})*(?:{alt(spec['change_verbs'])})"),
    }


def is_rate_name(name: str) -> bool:
    """A name found by syntax whose number is its level when it is a percentage (…率, …比重).

    >>> is_rate_name("农村用电量"), is_rate_name("工业品出口比重"), is_rate_name("劳动生产率")
    (False, True, False)
    """
    return name.endswith(_RATE_HEADS) and not name.endswith("生产率")


def _subject(norm: str, clause: int, verb: int) -> tuple[int, str] | None:
    """The subject of the clause before ``verb``: its start and words, the topic words cut."""
    pat = _patterns()
    words = norm[clause:verb]
    cut = pat["topic"].match(words).end()
    name = words[cut:]
    plain = re.sub(r"[（(][A-Za-z0-9.]+[）)]", "", name)  # 细颗粒物（PM2.5）平均浓度
    for compound in pat["compounds"]:
        plain = plain.replace(compound, "")
    if not pat["name"].match(re.sub(r"[（(][A-Za-z0-9.]+[）)]", "", name)) or pat["stop"].search(plain):
        return None
    if len(re.findall("[（(]", name)) != len(re.findall("[）)]", name)):
        return None  # 下同）: a piece of a parenthesis
    return clause + cut, name


def unnamed_mentions(norm: str, start: int, end: int, mentions: list[Mention], table=None) -> list[Mention]:
    """Mentions of indicators the table lacks in ``norm[start:end]`` (see the module doc).

    Parameters
    ----------
    norm : str
        The normalised text.
    start, end : int
        The sentence.
    mentions : list of Mention
        The table's mentions of the sentence (a clause holding one is left alone).
    table : IndicatorTable, optional
        Names the items of a list that it knows (钢 in 钢、石油、卷烟…都增长).
    """
    pat = _patterns()
    out: list[Mention] = []
    clause, prev = start, None
    for i in range(start, end + 1):
        if i < end and norm[i] not in "，,；;：:。！？\n":
            continue
        if not pat["digit"].search(norm, clause, end):
            break  # no number left in the sentence
        items = _list_items(norm, clause, i, end, pat)
        named = any(clause <= m.start < i for m in mentions)
        if items:
            out += [_item(norm, s, e, table) for s, e in items if not any(m.start < e and s < m.end for m in mentions)]
        elif not named:
            found = _in_clause(norm, clause, i, pat, prev)
            if found and not pat["anaphoric"].match(found.id):
                found.id = (table.closest(found.id) if table is not None else None) or found.id
                out.append(found)
        # a clause that is a bare name (研究与试验开发经费，从1997年的509亿元增加到…) is the next one's subject
        bare_name = not (named or items or out or re.search(r"[\d%]|百分之", norm[clause:i])
                         or any(m.start < clause for m in mentions))
        moved = pat["moved"].search(norm, clause, i) if bare_name else None
        # …or a name and a movement without a number (原油产量继续增长，达到1.42亿吨)
        prev = (clause, moved.start()) if moved and moved.end() == i else (clause, i) if bare_name else None
        clause = i + 1
    return out


_ITEM = r"(?:(?!等|的|分别|均|都)[\u4e00-\u9fff]){1,8}"
_ITEMS = re.compile(rf"(?P<items>{_ITEM}(?:[、和]{_ITEM})+)(?:等[\u4e00-\u9fff]{0,10}?)?(?:的(?:总)?产量)?")


def _list_items(norm: str, clause: int, clause_end: int, end: int, pat: dict) -> list[tuple[int, int]]:
    """The items of a list that opens a clause and whose figures follow 都/均 (粮食、棉花、烤烟等产品的产量，
    也都比一九五七年增长一倍以上): one mention per item, as the decisions on 均 lists say."""
    cut = clause + pat["topic"].match(norm[clause:clause_end]).end()
    m = _ITEMS.match(norm, cut, clause_end)
    if m is None:
        return []
    rest = norm[m.end():end]
    nxt = re.match(r"[^，,；;。]*[，,]?[^，,；;。]*", rest).group(0)
    if not re.search(rf"(?:[都均]|分别)(?:比|较)?[^，,；;。]{{0,16}}?(?:增长|增加|提高|达到|达|超过|下降|减少)[^，,；;。]{{0,4}}?{_NUM}", nxt):
        return []
    spans, pos = [], m.start("items")
    for word in re.split("[、和]", m.group("items")):
        if pat["stop"].search(word) or re.fullmatch(_SPAN, word):
            return []
        spans.append((pos, pos + len(word)))
        pos += len(word) + 1
    return spans


def _item(norm: str, s: int, e: int, table) -> Mention:
    found = table.lookup(norm[s:e]) if table is not None else None
    if found:
        return Mention(s, e, found[0], "alias")
    return Mention(s, e, (table.closest(norm[s:e]) if table is not None else None) or norm[s:e], "syntax")


def _in_clause(norm: str, clause: int, end: int, pat: dict, prev: tuple[int, int] | None = None) -> Mention | None:
    for verb_start in range(clause if prev else clause + 2, end):
        if norm[verb_start] not in pat["firsts"] or (verb_start > clause and not ("\u4e00" <= norm[verb_start - 1] <= "\u9fff" or norm[verb_start - 1] in "）)")):
            continue
        change = pat["change"].match(norm, verb_start, end)
        level = None if change else pat["level"].match(norm, verb_start, end)
        if not change and not level:
            continue
        subject = _subject(norm, clause, verb_start)
        if subject is None and prev and not norm[clause + pat["topic"].match(norm[clause:verb_start]).end():verb_start]:
            subject = _subject(norm, *prev)
        if subject is None:
            return None
        s, name = subject
        if level and not re.sub(r"[（(][^（()）]*[）)]$", "", name).endswith(pat["heads"]):  # 财政收入(不含基金)2.01亿元
            continue  # 空气质量二级以上天数达到180天: a numeral inside the name, the verb comes later
        return Mention(s, s + len(name), name, "syntax")
    return None
