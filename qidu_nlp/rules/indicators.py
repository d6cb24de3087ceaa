"""qidu_nlp.rules.indicators: indicator statements, what was promised and what was achieved.

One row per *indicator statement*: an indicator name (``data/quantities/indicators.json``:
一般公共预算收入, 规上工业总产值, 固定资产投资, 地区生产总值 …) followed, in its clause, by a level
(``1.43亿元``) and/or a change (``同比增长34%``, ``提高2个百分点``), with

* ``direction`` from the word before the change (增长/提高 → ``up``, 下降/减少 → ``down``);
* ``status`` (``actual`` or ``target``) from the words of the sentence (力争, 预期, 目标 vs 完成,
  实现, 同比), then the section path (``2023年政府工作回顾`` vs ``…主要预期目标``);
* ``period`` from an explicit year in the sentence or section heading, else 今年/去年, else the
  report year for targets and the year before it for actuals.

:func:`extract_text` reads one text (with the quantities, sentences and sections of the pipeline
when it has them); :func:`qidu_nlp.pipeline.rows.indicator_rows` calls it on a Doc, and
:mod:`qidu_nlp.indicators` turns the rows into tables and lines targets up with actuals.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..resources import data_folder, read_json
from ..schema import columns
from ..text.header import document_year, parse_header
from ..text.normalize import normalize
from ..text.structure import locate, section_paths, split_paragraphs, split_sentences
from .quantities import find_quantities

__all__ = ["extract_text", "load_indicators", "COLUMNS"]

COLUMNS = columns("indicators")
_YEAR = re.compile(r"(?<![\d])((?:19|20)\d{2})年(?![\d月底末初以前后来])")
_YEAR_BLOCK_BEFORE = ("比", "较", "与", "到", "至", "从", "于", "同", "和", "、")
_CLAUSE_END = "；;。！？!?"
_MAX_GAP_VALUE = 8
_MAX_GAP_CHANGE = 10
_THRESHOLD_AFTER = re.compile(r"(?:大关|台阶|关口|行列|级)[，,、]?")
_TO_LEVEL = re.compile(r"(?:到|至)(?:了)?(?:(?:19|20)\d\d年(?:的|底|末)?)?$")
_NOT_CUES = re.compile(r"(?:好于|超出|高于|低于|符合|超)预期|目标任务|预期目标任务")


@lru_cache(maxsize=None)
def load_indicators() -> dict:
    """Return ``data/quantities/indicators.json`` (names, aliases and cue words).

    Examples
    --------
    >>> "固定资产投资" in load_indicators()["indicators"]
    True
    """
    return read_json(data_folder("quantities"), "indicators.json")


@lru_cache(maxsize=None)
def _alias_pattern() -> tuple[re.Pattern, dict[str, str]]:
    table = load_indicators()["indicators"]
    alias_to = {}
    for name, info in table.items():
        for alias in [name, *info.get("aliases", [])]:
            alias_to.setdefault(alias, name)
    alts = sorted(alias_to, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alts)), alias_to


_LOOKBACK = 400  # characters searched back for the start of a sentence split at ；

def _mentions(norm: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Indicator mentions in norm[start:end]: leftmost, then longest; never overlapping."""
    pattern, alias_to = _alias_pattern()
    found = []
    pos = start
    while pos < end:
        best = None
        for m in pattern.finditer(norm, pos, end):
            best = m
            break
        if best is None:
            break
        # prefer a longer alias that starts earlier inside the match (单位国内生产总值能耗)
        s, e = best.start(), best.end()
        name = alias_to[best.group(0)]
        if s > 0 and (
            (norm[s - 1] == "进" and best.group(0).startswith("出口"))
            or (norm[s - 1] in "均每" and not best.group(0).startswith("人均"))
        ):
            pos = e
            continue
        found.append((s, e, name))
        pos = e
    return found


def _direction_before(seg: str, words: dict) -> str | None:
    """The direction of the last direction word at the end of ``seg``."""
    best, best_pos = None, -1
    for direction in ("up", "down"):
        for w in words[direction]:
            i = seg.rfind(w)
            if i != -1 and i + len(w) > best_pos:
                best, best_pos = direction, i + len(w)
    if best is None:
        return None
    tail = seg[best_pos:]
    if len(tail) > 10 or any(c in tail for c in "，,、") or not re.fullmatch(r"(?:了|到|至|为|达|达到|约|近|超过|超)*(?:(?:19|20)\d\d年(?:的|底|末)?)?", tail):
        return None
    return best


def _status(sentence: str, section: str, cues: dict) -> str:
    sentence = _NOT_CUES.sub("", sentence)
    if any(c in sentence for c in cues["target_cues"]):
        return "target"
    if any(c in section for c in cues["review_sections"]):
        return "actual"
    if any(c in section for c in cues["plan_sections"]):
        return "target"
    if any(c in sentence for c in cues["actual_cues"]):
        return "actual"
    return "target" if "左右" in sentence else "actual"


def _explicit_year(text: str) -> int | None:
    for m in _YEAR.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in _YEAR_BLOCK_BEFORE:
            continue
        return int(m.group(1))
    return None


def _period(sentence_before: str, section: str, status: str, year: int | None) -> int | None:
    explicit = _explicit_year(sentence_before)
    if explicit is not None:
        return explicit
    if "今年" in sentence_before or "明年" in sentence_before:
        return year + (1 if "明年" in sentence_before else 0) if year else None
    if "去年" in sentence_before or "过去一年" in sentence_before:
        return year - 1 if year else None
    explicit = _explicit_year(section)
    if explicit is not None:
        return explicit
    if year is None:
        return None
    return year if status == "target" else year - 1


def _section_of(sections: list, char: int, starts: list[int] | None = None) -> str:
    if not sections:
        return ""
    i = locate(sections, char, starts=starts if starts is not None else [sec[0] for sec in sections])
    return (sections[i][2] or "") if i >= 0 else ""


def extract_text(
    text: str,
    *,
    meta: dict | None = None,
    quantities: list[dict] | None = None,
    sentences: list[tuple[int, int]] | None = None,
    sections: list | None = None,
) -> list[dict]:
    """Indicator statements of a plain text (the work of :func:`extract` without spaCy).

    Parameters
    ----------
    text : str
        The report text.
    meta : dict, optional
        Document metadata: ``id``, ``year`` or ``date``, ``place``.
    quantities : list of dict, optional
        Quantity items (:func:`qidu_nlp.rules.quantities.find_quantities` when omitted).
    sentences, sections : optional
        Sentence offsets and ``[start, end, path]`` paragraph sections (computed when omitted).

    Returns
    -------
    list of dict
        Rows with the keys of :data:`COLUMNS`.

    Examples
    --------
    >>> rows = extract_text("2024年主要预期目标是：地区生产总值增长3.5%左右。", meta={"year": 2024})
    >>> [(r["indicator"], r["change"], r["change_unit"], r["period"], r["status"], r["approx"]) for r in rows]
    [('地区生产总值', 3.5, '%', 2024, 'target', 'about')]
    """
    meta = dict(meta or {})
    norm = normalize(text)
    if quantities is None:
        quantities = find_quantities(text, norm=norm)
    if sentences is None:
        sentences = split_sentences(text)
    if sections is None:
        paragraphs = split_paragraphs(text)
        sections = [[s, e, p] for (s, e), p in zip(paragraphs, section_paths(text, paragraphs))]
    year = document_year(meta, text)
    place = meta.get("place")
    if place is None:
        place = parse_header(text).place
    cues = load_indicators()
    qs = sorted(quantities, key=lambda q: q["start"])
    q_starts = [q["start"] for q in qs]
    sec_starts = [sec[0] for sec in sections or []]
    rows = []
    for s_start, s_end in sentences:
        mentions = _mentions(norm, s_start, s_end)
        if not mentions:
            continue
        section = _section_of(sections, s_start, sec_starts)
        # the full sentence may begin before s_start (sentences also end at ；); look back a bounded
        # window so that long documents stay linear
        window = max(0, s_start - _LOOKBACK)
        full_start = max(norm.rfind(c, window, s_start) for c in "。！？!?\n") + 1
        full_start = max(full_start, window)
        for row in _sentence_rows(text, norm, (s_start, s_end), full_start, mentions, qs, q_starts, section,
                                  year, cues):
            rows.append({"doc_id": meta.get("id"), "place": place, **row})
    return [{k: r.get(k) for k in COLUMNS} for r in rows]


def _sentence_rows(text: str, norm: str, sentence: tuple[int, int], full_start: int, mentions: list,
                   qs: list[dict], q_starts: list[int], section: str, year: int | None, cues: dict) -> list[dict]:
    """The statements of one sentence: each indicator mention with the level and change after it,
    in its clause."""
    s_start, s_end = sentence
    context = norm[full_start:s_end]
    rows = []
    for i, (m_start, m_end, name) in enumerate(mentions):
        seg_end = mentions[i + 1][0] if i + 1 < len(mentions) else s_end
        cut = [norm.find(c, m_end, seg_end) for c in _CLAUSE_END]
        cut = [c for c in cut if c != -1]
        if cut:
            seg_end = min(cut)
        lo, hi = bisect.bisect_left(q_starts, m_end), bisect.bisect_left(q_starts, seg_end)
        row = _statement(norm, m_end, seg_end, name, qs[lo:hi], cues)
        if row is None:
            continue
        status = _status(context, section, cues)
        period = _period(norm[full_start:m_start], section, status, year)
        rows.append({
            "indicator": name,
            **row,
            "period": period,
            "status": status,
            "mention": text[m_start:m_end],
            "sentence": text[s_start:s_end],
            "start": m_start,
            "end": row.pop("_end"),
        })
    return rows


def _statement(norm: str, m_end: int, seg_end: int, name: str, qs: list[dict], cues: dict) -> dict | None:
    """Level and change stated after an indicator mention, in norm[m_end:seg_end]."""
    rate = bool(cues["indicators"][name].get("rate"))
    value = change = None
    direction = None
    cursor = m_end
    for q in (q for q in qs if m_end <= q["start"] < seg_end):
        relative = q["dimension"] in ("percent", "percentage_point") or q["unit"] == "倍"
        lead = norm[cursor:q["start"]]
        d = _direction_before(lead, cues)
        if d is not None and len(re.sub(r"[，,、\s]", "", lead)) > _MAX_GAP_CHANGE:
            break
        if d is not None and _TO_LEVEL.search(lead):
            # 提高到 70%: a new level, not a change
            value, direction = q, d
            cursor = q["end"]
            continue
        if relative and d is not None:
            change, direction = q, d
            break
        if value is None and len(lead) <= _MAX_GAP_VALUE and not re.search(r"[，,、：:（(]", lead):
            if relative and not rate:
                break
            milestone = _THRESHOLD_AFTER.match(norm, q["end"])
            if milestone:
                # 突破百亿元大关, 迈上千亿台阶: a milestone, not the level
                cursor = milestone.end()
                continue
            value = q
            cursor = q["end"]
            continue
        break
    if value is None and change is None:
        return None
    last = change or value
    approx = (change or {}).get("approx") or (value or {}).get("approx")
    sign = -1.0 if direction == "down" else 1.0
    return {
        "value": value["value"] if value else None,
        "unit": value["unit"] if value else None,
        "change": sign * change["value"] if change else None,
        "change_unit": change["unit"] if change else None,
        "direction": direction,
        "approx": approx,
        "_end": last["end"],
    }
