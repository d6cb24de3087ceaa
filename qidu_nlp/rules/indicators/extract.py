"""qidu_nlp.rules.indicators.extract: the indicator statements of a text, one row per statement.

Sentence by sentence (ends: 。！？ and line breaks; ； and ， are clause breaks inside it): the
numbers (:mod:`.numbers`), the indicator mentions (:mod:`.mentions`), each number's owner and role
and the statements they make (:mod:`.statements`), each statement's status and years
(:mod:`.status`). A row has the columns of :data:`COLUMNS`.
"""

from __future__ import annotations

import bisect
import re

from ...schema import columns
from ...text.header import document_year, parse_header
from ...text.normalize import normalize
from ...text.structure import section_paths, split_paragraphs
from ..quantities import find_quantities
from .mentions import find_mentions
from .numbers import read_numbers
from .statements import Role, group, owners, roles
from .status import DocContext, change_span, decide_status, late_in_year, years_of
from .table import IndicatorTable, load_cues, load_table
from .unnamed import unnamed_mentions

__all__ = ["extract_text", "COLUMNS"]

COLUMNS = columns("indicators")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_Y = r"(?:(?:19|20)\d{2}|一九[〇○零一二三四五六七八九]{2})年"
_TOPIC = re.compile(rf"(?:而|但|其中|例如|如)?{_Y}(?:预计)?(?:(?:同|比|与|较){_Y}(?:相比|比较)?)?")
_LEAD = re.compile(r"(?:过去|这)?[两二三四五六七八九十]年(?:来|间|中)|“?十[一二三四五]?五”?(?:时期|期间)")
_LEAD_FAR = re.compile(r"过去[两二三四五六七八九十]年|以来的[两二三四五六七八九十]年")
_LIST_ITEM = re.compile(r"(?:——|――|—|－－|[(（][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[.、．]|[一二三四五六七八九十]是)")
_LIST_MAX_ITEMS = 30  # the longest list an introducing line can hold
_YEAR_WRITTEN = re.compile(r"(?:(?:19|20)\d{2}|一九[〇○零一二三四五六七八九]{2})年(?!以来|起)")


def _sentences(norm: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(norm):
        if m.end() - start > 1:
            out.append((start, m.end()))
        start = m.end()
    if start < len(norm):
        out.append((start, len(norm)))
    return out


def _approx(norm: str, role: Role, status: str, cues: dict) -> str | None:
    if norm[max(0, role.number.start - 1):role.number.start] == "近":
        return "about"  # 近1倍, 接近, 将近: the gold's about (the QUANTITY layer reads 近 as under)
    if role.number.approx:
        return role.number.approx
    if re.match(r"的?(?:预定|预期|调控|计划)?目标", norm[role.number.end:role.number.end + 6]):
        return None  # 略低于8%的预定目标: 低于 compares the result with the target
    lead = norm[max(0, role.number.start - 4):role.number.start]
    after = norm[role.number.end:role.number.end + 2]
    if after.startswith("以上") or after.startswith("多"):
        return "over"
    for key, name in (("approx_under", "under"), ("approx_over", "over"), ("approx_about", "about")):
        for w in cues[key]:
            if lead.endswith(w) or lead.endswith(w + "了"):
                if w == "控制在" and status not in ("target", "plan_target"):
                    continue
                return name
    return None


def _row(text: str, norm: str, stmt: list[Role], sentence: tuple[int, int], ctx: DocContext,
         cues: dict, context: str, numbers: list) -> dict:
    first, last = stmt[0], stmt[-1]
    s_start, s_end = sentence
    pos = first.number.start
    clause = pos
    while clause > s_start and norm[clause - 1] not in "，,；;：:":
        clause -= 1
    owner = first.owner
    prefix = norm[s_start:pos]
    flags = set().union(*(r.flags for r in stmt))
    own_words = norm[clause:pos]
    if clause <= owner.start and owner.end <= pos:  # 实际利用外资: the name's 实际 is no cue of a result
        own_words = own_words[:owner.start - clause] + " " * (owner.end - owner.start) + own_words[owner.end - clause:]
    status, reason = decide_status(prefix, own_words, norm[last.number.end:last.number.end + 8], ctx,
                                   context=context, before_name=pos < owner.start)
    if status == "target" and (reason in ("sentence", "section", "carried")
                               or (reason == "clause" and any(w in norm[clause:pos] for w in cues["target_sentence"]))
                               or (reason == "clause" and not any(n.start < clause for n in numbers) and clause <= owner.start
                                   and any(w in norm[clause:owner.start] for w in cues["target_before"]))):
        # …or a cue before the sentence's first figure and name (要求消费部分增长5.7%，社会商品零售总额增长8%)
        ctx.carry_target = True
    if reason == "default" and owner.form == "weak" and pos < owner.start and not _YEAR_WRITTEN.search(norm[clause:pos]):
        status = "target"  # 实现7%左右的增长速度并不容易, 7%左右的速度可以实现…: a rate aimed at, named by a weak word
    if "average" in flags:
        status = "plan_average"
    elif "target" in flags:
        status = "target"
    elif "average_level" in flags:
        status = "actual"
    value = next((r for r in stmt if r.slot == "value"), None)
    change = next((r for r in stmt if r.slot == "change"), None)
    as_actual = "target" in flags and ctx.reviewed_year() is not None and status == "target" and \
        not any(w in context + prefix for w in cues["target_sentence"])
    own = min(r.owner.start for r in stmt)
    while own > s_start and norm[own - 1] not in "，,；;：:":
        own -= 1
    topic = next((c for c in reversed(re.split("[，,；;：:]", norm[s_start:min(own, pos)])) if _TOPIC.fullmatch(c.strip())), "")
    # a target list's introducing line (2005年…主要预期目标是：, 明年的计划要求：) dates its items
    lead_in = context + "\n" if context and status in ("target", "plan_target") and not as_actual else ""
    years = years_of(lead_in + norm[s_start:last.number.start], "actual" if as_actual else status, ctx,
                     local=norm[min(own, pos):last.number.start], topic=topic, has_change=change is not None,
                     cumulative="average_level" in flags)
    if change is not None and value is not None and change.number.start < value.number.start and status == "actual":
        years = change_span(norm[s_start:change.number.start], years[1]) or years  # 五年间，…增长１倍，１９９２年达到…
    approx = None
    for r in (change, value):
        if r is not None and approx is None:
            approx = _approx(norm, r, status, cues)
    return {
        "indicator": first.indicator,
        "mention": text[owner.start:owner.end],
        "value_low": value.low if value else None,
        "value_high": value.high if value else None,
        "unit": value.unit if value else None,
        "change_low": change.low if change else None,
        "change_high": change.high if change else None,
        "change_unit": change.unit if change else None,
        "direction": (change or value).direction,
        "approx": approx,
        "status": status,
        "period_start": years[0],
        "period_end": years[1],
        "sentence": text[s_start:s_end].strip(),
        "start": owner.start,
        "end": owner.end,
    }


def _is_list_item(line: str) -> bool:
    """A line written as an item of a list: ——…, (1)…, 一是…, or ending with ；."""
    return bool(_LIST_ITEM.match(line)) or line.endswith(("；", ";"))


def _context(norm: str, sections: list, k: int, s_start: int) -> str:
    """The line that introduces the list paragraph ``k`` belongs to (…主要预期目标是：), for every
    sentence of its items: the paragraph right after the line, then each paragraph after an item
    (一行一项: ——地区生产总值增长13%；⏎——财政总收入增长13%；⏎…). For a paragraph that is no
    list item, only its first sentence, right after the line."""
    if k <= 0:
        return ""
    line = lambda j: norm[sections[j][0]:sections[j][1]].strip()  # noqa: E731
    own = line(k)
    j = k - 1
    if not _is_list_item(own) and sections[k][0] != s_start:
        return ""
    while j >= 0 and k - j <= _LIST_MAX_ITEMS:
        prev = line(j)
        if prev.endswith(("：", ":")):
            return prev[-40:]
        if not _is_list_item(prev) or (j == k - 1 and not _is_list_item(own) and not prev.endswith(("；", ";"))):
            return ""
        j -= 1
    return ""


def _paragraph_context(norm: str, sections: list, k: int, year: int | None, running: str,
                       late: bool = False) -> tuple[DocContext, str]:
    """The context of paragraph ``k`` and the span carried to the next (五年来, 过去五年: kept
    through the ——list paragraphs after the paragraph that opens with it)."""
    opening = norm[sections[k][0]:sections[k][0] + 30] if k >= 0 else ""
    span = _LEAD.search(opening[:8]) or _LEAD_FAR.search(opening)
    if span:
        running = span.group(0)
    elif not opening.startswith("——"):
        running = ""
    return DocContext(year=year, section=(sections[k][2] or "") if k >= 0 else "", lead=running, late=late), running


def _read(text: str, norm: str, numbers: list, sections: list, table: IndicatorTable, cues: dict,
          year: int | None, date: str | None = None) -> list[dict]:
    """The statements of a text, sentence by sentence (see the module doc)."""
    starts = [n.start for n in numbers]
    sec_starts = [s[0] for s in sections]
    rows = []
    late = late_in_year(norm, date=date)
    ctx, paragraph, inherited, running = DocContext(year=year, late=late), -1, None, ""
    for s_start, s_end in _sentences(norm):
        lo, hi = bisect.bisect_left(starts, s_start), bisect.bisect_left(starts, s_end)
        k = bisect.bisect_right(sec_starts, s_start) - 1
        if k != paragraph:
            before = ctx
            ctx, running = _paragraph_context(norm, sections, k, year, running, late)
            if k > 0 and norm[sections[k - 1][0]:sections[k - 1][1]].rstrip().endswith(("；", ";")):
                # a line ended by ； continues its sentence: its targets and their year go on
                ctx.carry_target, ctx.target_year = before.carry_target, before.target_year
            paragraph, inherited = k, None
        if lo == hi:
            inherited = None
            continue
        mentions = find_mentions(norm, table, s_start, s_end)
        mentions = sorted(mentions + unnamed_mentions(norm, s_start, s_end, mentions, table), key=lambda m: m.start)
        if not mentions and inherited is None:
            continue
        context = _context(norm, sections, k, s_start) if k >= 0 else ""
        owned = owners(norm, numbers[lo:hi], mentions, s_start, s_end, inherited)
        free = [m for m in mentions if not m.whole and m.id is not None]
        inherited = free[-1] if free else None
        for stmt in group(roles(norm, owned, table)):
            if stmt[0].indicator is None:
                continue
            row = _row(text, norm, stmt, (s_start, s_end), ctx, cues, context, numbers[lo:hi])
            if row["status"] == "target" and row["period_start"] not in (None, year):
                ctx.target_year = row["period_start"]
            if row["status"] == "actual" and row["period_end"] is not None and \
                    _YEAR_WRITTEN.search(text[s_start:stmt[-1].number.start]):
                ctx.actual_year = row["period_end"]
            rows.append(row)
    return rows


def extract_text(
    text: str,
    *,
    meta: dict | None = None,
    quantities: list[dict] | None = None,
    sections: list | None = None,
    table: IndicatorTable | None = None,
) -> list[dict]:
    """Indicator statements of a plain text (no spaCy needed).

    Parameters
    ----------
    text : str
        The report text.
    meta : dict, optional
        Document metadata: ``id``, ``year`` or ``date``, ``place`` (else read from the header).
    quantities : list of dict, optional
        QUANTITY items (:func:`qidu_nlp.rules.quantities.find_quantities` when omitted).
    sections : list, optional
        ``[start, end, path]`` per paragraph (:func:`qidu_nlp.text.structure.section_paths`
        when omitted).
    table : IndicatorTable, optional
        The canonical indicators (default: :func:`load_table`).

    Returns
    -------
    list of dict
        One row per statement with the keys of :data:`COLUMNS`.

    Examples
    --------
    >>> text = "今年发展主要预期目标是：国内生产总值增长5%－5.5%；城镇调查失业率5.5%左右。"
    >>> rows = extract_text(text, meta={"id": "d", "year": 2024})
    >>> [(r["indicator"], r["change_low"], r["change_high"], r["value_low"], r["status"], r["period_start"]) for r in rows]
    [('GDP', 5.0, 5.5, None, 'target', 2024), ('urban surveyed unemployment rate', None, None, 5.5, 'target', 2024)]
    """
    meta = dict(meta or {})
    table = table or load_table()
    cues = load_cues()
    norm = normalize(text)
    if quantities is None:
        quantities = find_quantities(text, norm=norm)
    if sections is None:
        paragraphs = split_paragraphs(text)
        sections = [[s, e, p] for (s, e), p in zip(paragraphs, section_paths(text, paragraphs))]
    year = document_year(meta, text)
    header = parse_header(text)
    place = meta.get("place") or header.place
    date = str(meta["date"]) if meta.get("date") else header.date
    numbers = read_numbers(text, quantities, norm=norm)
    rows = [{"doc_id": meta.get("id"), "place": place, **row}
            for row in _read(text, norm, numbers, sections, table, cues, year, date)]
    return [{k: r.get(k) for k in COLUMNS} for r in rows]
