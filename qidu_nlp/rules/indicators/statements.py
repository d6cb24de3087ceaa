"""qidu_nlp.rules.indicators.statements: which indicator each number belongs to, and what it says.

**Owner.** A number belongs to

1. its place in a 分别 list (A、B分别增长x%、y%; 城乡居民人均可支配收入分别增长4.8%、7.2% → urban then
   rural);
2. every item of a list before 均/都 (草原综合植被盖度和湿地保护率均达50%以上);
3. the indicator right after it (8%左右的国内生产总值增长目标, 6.5%左右的增速);
4. else the last indicator named before it in its clause, or in an earlier clause of the sentence
   when its own clause holds nothing but cue words (…，比上年增长9.7%).

A number with no owner is not a statement.

**Role.** A percentage after a direction word (增长, 下降, 涨幅 …) is a change, signed; after a
growth word (经济增长预期目标为5%) a change; for a ``rate`` indicator (失业率, shares) the
level. An amount after 增加/减少/新增 is a change in that unit, else a level; 增加到/降至 give a
level with its direction; the base of 由A增加到B is dropped. 倍: 增长N倍 is +N, 是…的N倍 +N−1,
翻一番 +1. Completion ratios (完成年度目标的56%) and comparisons (高于全省0.4个百分点) are dropped.

**Statements.** An owner's numbers fill one statement (a level and its change) until a slot is
taken twice, an average (年均) or a target (…的预定目标) starts its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .mentions import Mention
from .numbers import Number
from .table import IndicatorTable, load_cues
from .unnamed import is_rate_name

__all__ = ["Role", "owners", "roles", "group"]

_CLAUSE_BREAK = "，,；;：:"
_YEAR = r"(?:(?:19|20)\d{2}|一九[〇○零一二三四五六七八九]{2}|二[〇○零][〇○零一二三四五六七八九]{2})年(?:末|底|初|的)?"
_BARE_TOKENS = (
    _YEAR, r"比" + _YEAR, r"[比较][^，,；;。：\d]{1,8}?(?=增长|增加|下降|减少|提高|上升|降低|扩大|多|少|增|降|分别)", r"较" + _YEAR,
    r"(?:过去|这|近|前)?[两二三四五六七八九十]年(?:来|间|中|里)?", r"[一二三四五六七八九十\d]+(?:[-－至][一二三四五六七八九十\d]+)?月(?:份)?",
    "其中", "全年", "全县", "全市", "全区", "全镇", "全国", "同比", "同口径", "按可比价格计算", "扣除价格因素", "实际", "名义",
    "年均", "平均每年", "递增", "增长了?", "增加了?", "下降了?", "减少了?", "提高了?", "上升了?", "降低了?", "增产", "减产",
    "新增", "净减少", "达到了?", "达", "突破", "超过", "为", "实现", "完成", "总量", "总额", "规模", "分别", "均", "约", "近",
    "共", "累计", "合计", "预计", "可以", "将", "也", "即", "再", "又", "仍", "继续", "保持", "稳定在", "控制在", "以上", "左右",
    "了", "已", "已经", "大约", "比增", "由", "从", r"[一二三四五六七八九十两\d]+年前的", "扩大到", "提高到", "增加到", "上升到",
    "下降到", "降到", "降至", "回落到", "增长到", "攀升至", "接近", "将近", "就", "在", "都", "还", "仍然", "有", "所", "占",
    "首次", "超", "力争", r"是(?:" + _YEAR + ")?", r"是[^，,；;。]{0,12}的", "确保", "争取", r"连续[一二三四五六七八九十两\d]+年", "今年", "明年",
    r"(?:宏观)?(?:调控|预期)?目标(?:是|为|定为|定在|设定为)?", r"预期(?:为|在)?", r"计划(?:为|要求)?", "定为", "定在", "设定为", "虽然", "但", "略", "低于", "高于", "好于", r"\s", "、",
    r"(?:年初)?[省市县区镇乡]?(?:人代会|人大|人民代表大会)(?:确定|通过|提出|下达)?的?",  # 高于年初人代会12%的目标
)
_BARE = re.compile("^(?:" + "|".join(_BARE_TOKENS) + ")*$")
# a clause with its own span (十年增加近70万亿元, 五年共计) states another statement than the clause before it
_NEW_TIME = re.compile(r"(?<![比较同与从由是前个上\d〇○零一二三四五六七八九])[两二三四五六七八九十]年(?![前后度底末初])")


@dataclass
class Role:
    """One number read for its owner: ``slot`` value or change, the signed bounds, units, flags."""

    number: Number
    owner: Mention
    indicator: str | None
    slot: str
    low: float
    high: float
    unit: str
    direction: str | None
    flags: set = field(default_factory=set)


def _in_clause(norm: str, a: int, b: int) -> bool:
    return not any(ch in _CLAUSE_BREAK or ch in "。！？\n" for ch in norm[a:b])


def _clause_start(norm: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and norm[i - 1] not in _CLAUSE_BREAK:
        i -= 1
    return i


def _group_before(norm: str, mentions: list[Mention], last: int) -> list[Mention]:
    """The coordinated list of mentions ending with ``mentions[last]`` (joined by 、 和 与 及)."""
    group = [mentions[last]]
    i = last
    while i > 0:
        gap = norm[mentions[i - 1].end:mentions[i].start]
        if re.fullmatch(r"[、和与及以]|和农村|", gap) is None:
            break
        group.insert(0, mentions[i - 1])
        i -= 1
    return group


def _respectively(norm: str, numbers: list[Number], mentions: list[Mention], s_start: int,
                  s_end: int) -> dict[int, tuple[Mention, str | None, str]]:
    """Owners from 分别 lists: number index → (mention, indicator, the words before the first number)."""
    out = {}
    owners_ = [m for m in mentions if not m.whole]
    for m in re.finditer("分别|依次|(?<=[率额入值])实际(?=增长)", norm[s_start:s_end]):
        p = s_start + m.start()
        end = p
        while end < s_end and norm[end] not in "，,；;。\n":
            end += 1
        idx = [i for i, n in enumerate(numbers) if p < n.start < end]
        before = [k for k, x in enumerate(owners_) if x.end <= p]
        if len(idx) < 2 or not before:
            continue
        last = owners_[before[-1]]
        if last.form == "list" and len(last.parts) == len(idx):
            items = [(last, part) for part in last.parts]
        else:
            group = _group_before(norm, owners_, before[-1])
            if len(group) != len(idx):
                group = [owners_[k] for k in before[-len(idx):]] if len(before) >= len(idx) else []
            items = [(g, g.id) for g in group]
        if len(items) != len(idx):
            continue
        unit = numbers[idx[-1]].unit
        shared = norm[p:numbers[idx[0]].start]
        for (owner, ident), i in zip(items, idx):
            if not numbers[i].unit and unit:
                numbers[i].unit = unit
            out[i] = (owner, ident, shared)
    return out


def owners(norm: str, numbers: list[Number], mentions: list[Mention], s_start: int,
           s_end: int, inherited: Mention | None = None) -> list[tuple[Number, Mention, str | None, str | None]]:
    """Every number of the sentence with its owner mention, indicator and, for a 分别 list, the
    words its numbers share (分别净减少); see the module doc. ``inherited``: the last indicator of
    the sentence before, for a sentence that names none (…。两年平均每年递增百分之五点五).
    """
    fixed = _respectively(norm, numbers, mentions, s_start, s_end)
    free = [m for m in mentions if not m.whole]
    if inherited is not None and not free:
        return [(n, inherited, inherited.id, None) for n in numbers
                if _BARE.match(norm[_clause_start(norm, n.start, s_start):n.start])
                and _clause_start(norm, n.start, s_start) == s_start]
    followers = load_cues()["number_followers"]["words"]
    reached: dict[int, int] = {}  # mention → end of the last number it took: a chain of bare clauses
    out = []
    for i, n in enumerate(numbers):
        if _describes(norm, n, followers):
            continue
        if i in fixed:
            out.append((n, *fixed[i]))
            continue
        after = re.match(r"(?:左右|以上)?的", norm[n.end:n.end + 4])
        nxt = next((m for m in free if m.start >= n.end), None)
        if after and nxt and nxt.start - n.end <= 10 and _in_clause(norm, n.end, nxt.start):
            out.append((n, nxt, nxt.id, None))
            continue
        prev = [k for k, m in enumerate(free) if m.end <= n.start]
        if not prev:
            continue
        m = free[prev[-1]]
        clause = _clause_start(norm, n.start, s_start)
        bare = _without_numbers(norm, clause, n.start, numbers)
        if m.end > clause or _BARE.match(bare):
            if m.end <= clause and clause - max(m.end, reached.get(id(m), m.end)) > 40:
                continue
            lead = norm[m.end:n.start]
            if (re.search("[均都]", lead[-8:]) and m.end > clause) or (m.end <= clause and re.search("[均都]", bare)):
                for g in _group_before(norm, free, prev[-1]):
                    out.append((n, g, g.id, None))
                continue
            reached[id(m)] = n.end
            out.append((n, m, m.id, None))
    return out


def _without_numbers(norm: str, start: int, end: int, numbers: list[Number]) -> str:
    """``norm[start:end]`` with the numbers in it cut out (比一九五二年的八百二十七亿元增长 → 比一九五二年的增长)."""
    out, pos = [], start
    for x in numbers:
        if start <= x.start and x.end <= end:
            out.append(norm[pos:x.start])
            pos = x.end
    out.append(norm[pos:end])
    return "".join(out)


def _describes(norm: str, n: Number, followers: list[str]) -> bool:
    """The number describes the noun after it (832个贫困县, 13亿人口的, 连续三年) rather than stating a figure."""
    nxt = norm[n.end:n.end + 1]
    if norm[n.start - 1:n.start] == "个" and n.start > 0:
        return True  # 三个百亿台阶
    if n.unit in ("年", "个月", "月", "天") and (norm[max(0, n.start - 2):n.start] in ("连续", "过去") or nxt in "来以间中内前里"):
        return True
    if not nxt or not ("\u4e00" <= nxt <= "\u9fff"):
        return False
    return not any(norm.startswith(w, n.end) for w in followers)


def _direction(lead: str, cues: dict) -> tuple[str | None, int]:
    best, pos = None, -1
    for d in ("up", "down"):
        for w in cues[d]:
            i = lead.rfind(w)
            if i >= 0 and i + len(w) > pos:
                best, pos = d, i + len(w)
    return best, pos


def _role(norm: str, n: Number, owner: Mention, ident: str | None, lead: str, table: IndicatorTable,
          cues: dict, pre: str = "") -> Role | None:
    if any(w in lead[-14:] for w in cues["completion"]) or re.fullmatch(r"的?(?:预定|预期|调控|计划)?目标", lead.strip()):
        return None  # …高于年初人代会12%的目标14.4个百分点: right after a target, its distance from it
    core = re.sub(r"(?:约|近|接近|将近|超过|超|突破|不低于|不少于|大约|了|\s)+$", "", lead)
    core = re.sub(r"(?:(?:19|20)\d\d|一九[〇○零一二三四五六七八九]{2})年(?:的|底|末)?$", "", core)
    direction, pos = _direction(lead, cues)
    if direction is None and len(lead.strip()) <= 3 and not (ident or "").endswith("investment"):
        direction = "up" if pre in ("新增", "增加", "净增") else "down" if pre in ("减少", "净减") else None
        pos = len(lead)
    to_level = any(core.endswith(w) for w in cues["to_level"])
    if re.search(r"(?:由|从)(?:(?:19|20)\d\d年(?:的|底|末)?)?$", core):
        return None  # the base of 由A增加到B
    if n.kind not in ("times", "doubling") and re.search(r"比[^，,；;。]{0,12}的$", lead.rstrip()):
        return None  # the base of 比1952年的827亿元增长68%
    rate = owner.form == "share" or (table.by_id[ident].kind == "rate" if ident in table.by_id else
                                     ident is not None and is_rate_name(ident))
    kind = n.kind
    low, high, unit = n.low, n.high, n.unit
    if kind == "doubling":
        return Role(n, owner, ident, "change", low, high, "倍", "up")
    if kind == "times":
        if re.search("是[^，。；]{0,12}的$", lead.rstrip()):
            low, high = round(low - 1, 10), round(high - 1, 10)
        elif direction is None:
            return None
        return _signed(n, owner, ident, "change", low, high, "倍", direction or "up")
    if kind == "points":
        return _signed(n, owner, ident, "change", low, high, unit, direction or "up")
    if kind in ("percent", "permille"):
        if rate:
            return Role(n, owner, ident, "value", low, high, unit, direction if to_level else None)
        if (owner.growth or re.search("增长速度|增速|增长率|涨幅|增幅|上涨幅度", lead)) and direction != "down":
            return Role(n, owner, ident, "change", low, high, unit, "up")
        if direction and not to_level:
            return _signed(n, owner, ident, "change", low, high, unit, direction)
        if re.search("同比|比上年|较上年|比去年|比增", lead[-6:]) or re.match(r"的?(?:预定|预期|调控|计划)?目标",
                                                                          norm[n.end:n.end + 6]):
            return Role(n, owner, ident, "change", low, high, unit, "up")
        return None
    if direction and not to_level and pos >= len(core) - 4:
        return _signed(n, owner, ident, "change", low, high, unit, direction)
    return Role(n, owner, ident, "value", low, high, unit, direction if to_level else None)


def _signed(n, owner, ident, slot, low, high, unit, direction) -> Role:
    if direction == "down":
        low, high = -high, -low
    return Role(n, owner, ident, slot, low, high, unit, direction)


def roles(norm: str, owned: list[tuple[Number, Mention, str | None, str | None]], table: IndicatorTable) -> list[Role]:
    """Read each owned number as a value or a change of its owner (see the module doc)."""
    cues = load_cues()
    out = []
    last_end: dict[int, int] = {}
    for n, owner, ident, shared in owned:
        key = (id(owner), ident)
        anchor = max(owner.end, last_end.get(key, owner.end))
        pre = norm[max(0, owner.start - 2):owner.start]
        if n.start < owner.start:  # 8%左右的国内生产总值增长目标
            lead = norm[max(0, n.start - 12):n.start]
            role = _role(norm, n, owner, ident, lead + norm[owner.start:owner.end + 4], table, cues)
            if role and role.slot == "change" and role.direction is None:
                role.direction = "up"
        else:
            lead = norm[anchor:n.start]
            clause = _clause_start(norm, n.start, anchor)
            if clause > anchor:
                lead = norm[clause:n.start]
            if shared is not None:
                lead = shared
            role = _role(norm, n, owner, ident, lead, table, cues, pre if anchor == owner.end else "")
        last_end[key] = n.end
        if role is None or _milestone(norm, n, owner, owned):
            continue
        role.flags = _flags(norm, n, lead, cues)
        if "average" in role.flags and role.slot == "value":
            role.flags = (role.flags - {"average"}) | {"average_level"}
        out.append(role)
    return out


def _milestone(norm: str, n: Number, owner: Mention, owned: list) -> bool:
    """突破百亿元大关, 迈上千亿台阶: a milestone restated beside the precise figure of the same owner."""
    if not re.match(r"(?:元)?(?:大关|台阶|关口)", norm[n.end:n.end + 3]):
        return False
    return any(o is owner and m.start > n.start for m, o, _, _ in owned)


def _flags(norm: str, n: Number, lead: str, cues: dict) -> set:
    flags = set()
    if _NEW_TIME.search(lead):
        flags.add("new_time")
    if any(w in lead for w in cues["average"]) or re.search("连续[两二三四五六七八九十\\d]+年", lead):
        flags.add("average")
    after = norm[n.end:n.end + 8]
    if any(after.startswith(w) for w in cues["target_after"]):
        flags.add("target")
    return flags


def group(roles_: list[Role]) -> list[list[Role]]:
    """Statements: an owner's roles in order, a new statement when a slot is taken again or an
    average or a target starts its own."""
    out: list[list[Role]] = []
    open_: dict[tuple, list[Role]] = {}
    for r in roles_:
        key = (id(r.owner), r.indicator)
        cur = open_.get(key)
        special = bool(r.flags & {"average", "target", "average_level", "new_time"})
        if cur is None or special or any(x.slot == r.slot for x in cur) or \
                any(x.flags & {"average", "target", "average_level"} for x in cur):
            cur = [r]
            out.append(cur)
            open_[key] = cur
        else:
            cur.append(r)
    return out
