"""qidu_nlp.rules.indicators.numbers: the numbers an indicator statement can hold, with ranges.

The numbers come from the QUANTITY layer (:func:`qidu_nlp.rules.quantities.find_quantities`),
read again the way a statement needs them:

* a **range** keeps both bounds: ``6%－6.5%`` → 6 to 6.5, ``百分之八至九`` and ``百分之八至百分之九``
  → 8 to 9 (the QUANTITY layer keeps the lower bound only);
* numerals the layer split are joined: ``三亿`` + ``零四百七十五万吨`` → 304,750,000 吨,
  ``一点`` + ``二倍`` → 1.2 倍, ``34，250万吨`` (a full-width comma between thousands) → 342,500,000 吨;
* units the unit table does not know are read after the number (``亿度``, ``万担``, ``个千分点``);
* doublings are changes in 倍: ``翻一番`` → +1 倍, ``翻两番`` → +3 倍.

Each number gets a ``kind``: ``percent``, ``points`` (百分点, 千分点), ``times`` (倍), ``permille`` or
``amount``.

Examples
--------
>>> from qidu_nlp.rules.quantities import find_quantities
>>> text = "国内生产总值增长6%－6.5%，宏观调控目标定为百分之八至九。"
>>> [(n.low, n.high, n.unit, n.kind) for n in read_numbers(text, find_quantities(text))]
[(6.0, 6.5, '%', 'percent'), (8.0, 9.0, '%', 'percent')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...text.normalize import normalize
from ...text.numerals import CN_NUMERALS, parse_number
from ..quantities import load_data
from .table import load_cues

__all__ = ["Number", "read_numbers"]

_SEP = "至到~～—\\-－"
_NUMERAL = rf"(?:\d+(?:[.,]\d+)*|[{CN_NUMERALS}点]+)"
_RANGE_IN = re.compile(rf"^(?P<lo>(?:百分之)?{_NUMERAL})(?P<u1>%|‰)?[{_SEP}](?P<hi>(?:百分之)?{_NUMERAL})(?P<u2>%|‰|[^\d{CN_NUMERALS}]*)$")
_RANGE_AFTER = re.compile(rf"[{_SEP}](?P<hi>(?:百分之)?(?:\d+(?:\.\d+)?|[{CN_NUMERALS}点]+))(?P<u>%)?")
_POINT_BEFORE = re.compile(rf"([{CN_NUMERALS}]点)$")
_THOUSANDS_BEFORE = re.compile(r"(?<![\d.])(\d{1,3})，$")
_ZERO_REST = re.compile(rf"零([{CN_NUMERALS.replace('亿', '')}]+)")
_SPACED_BEFORE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s+$")
_SPACED = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s+([万亿]*)")
_YEAR_DIGITS = "〇○零一二三四五六七八九0123456789"
_DOUBLING = re.compile(r"翻(?:了)?(?P<n>[一两二三]?)番")
_DOUBLINGS = {"": 1.0, "一": 1.0, "两": 3.0, "二": 3.0, "三": 7.0}


@dataclass
class Number:
    """A number of a statement: offsets, bounds, unit, qualifier and kind."""

    start: int
    end: int
    low: float
    high: float
    unit: str
    approx: str | None
    kind: str

    @property
    def is_range(self) -> bool:
        return self.low != self.high


def _kind(unit: str) -> str:
    if unit == "%":
        return "percent"
    if unit in ("百分点", "千分点"):
        return "points"
    if unit == "倍":
        return "times"
    if unit == "‰":
        return "permille"
    return "amount"


def _bounds(norm: str, q: dict) -> tuple[float, float, int]:
    """Low and high bound of a quantity (a range inside its span or right after it) and its end."""
    low = float(q["value"])
    span = norm[q["start"]:q["end"]]
    core = re.sub(r"(?:左右|以上|以下|以内|多|余)$", "", span)
    m = _RANGE_IN.match(core)
    if m:
        hi_text = m.group("hi")
        try:
            high = parse_number(hi_text)
        except ValueError:
            return low, low, q["end"]
        if not m.group("u1") and re.search("[万亿]$", hi_text) is None:
            # 20至50万: the magnitude after the upper bound is shared
            mag = re.search("[万亿]+", m.group("u2") or "")
            if mag:
                for ch in mag.group(0):
                    high *= 1e4 if ch == "万" else 1e8
        return low, max(low, high), q["end"]
    after = _RANGE_AFTER.match(norm, q["end"]) if q["unit"] in ("%", "") or span.startswith("百分之") else None
    if after and (span.startswith("百分之") or q["unit"] == "%"):
        try:
            high = parse_number(after.group("hi"))
        except ValueError:
            return low, low, q["end"]
        if high > low:
            return low, high, after.end()
    return low, low, q["end"]


def _join(norm: str, items: list[dict]) -> list[dict]:
    """Numerals the QUANTITY layer split in two, joined again."""
    out: list[dict] = []
    for q in items:
        q = dict(q)
        prev = out[-1] if out else None
        text = norm[q["start"]:q["end"]]
        if (prev is not None and prev["end"] == q["start"] and not prev["unit"] and text[:1] == "零"
                and norm[prev["end"] - 1] in "万亿" and q["value"] < prev["value"]):
            prev.update(end=q["end"], value=prev["value"] + q["value"], unit=q["unit"], dimension=q["dimension"])
            continue
        spaced = _SPACED_BEFORE.search(norm, max(0, q["start"] - 16), q["start"])
        if spaced and text[:1] in "万亿" and q["value"] in (1e4, 1e8, 1e12):
            try:
                q["value"] = float(spaced.group(1)) * q["value"]
                q["start"] = spaced.start(1)
            except ValueError:
                pass
        point = _POINT_BEFORE.search(norm, max(0, q["start"] - 2), q["start"])
        if point and q["unit"] == "倍" and re.fullmatch(rf"[{CN_NUMERALS}]+倍", text):
            try:
                q["value"] = parse_number(point.group(1) + text[:-1])
                q["start"] = point.start(1)
            except ValueError:
                pass
        thousands = _THOUSANDS_BEFORE.search(norm, max(0, q["start"] - 5), q["start"])
        digits = re.match(r"\d{3}(?![\d.])", text)
        if thousands and digits and q["value"]:
            factor = q["value"] / int(digits.group(0))
            q["value"] += int(thousands.group(1)) * 1000 * factor
            q["start"] = thousands.start(1)
        _continue_numeral(norm, q)
        out.append(q)
    return out


def _continue_numeral(norm: str, q: dict) -> None:
    """一亿 + 零四百万吨: the QUANTITY layer stops at 亿; read the rest and its unit."""
    if q["unit"] or norm[q["end"] - 1:q["end"]] not in ("亿", "万"):
        return
    m = _ZERO_REST.match(norm, q["end"])
    if m is None:
        return
    try:
        q["value"] = q["value"] + parse_number(m.group(1))
    except ValueError:
        return
    end = m.end()
    for written, canon in load_data().aliases_by_first_char.get(norm[end:end + 1], ()):
        if norm.startswith(written, end):
            q["unit"], end = canon, end + len(written)
            break
    q["end"] = end


def _unit(norm: str, q: dict, extra: list[str]) -> tuple[str, int]:
    unit, end = q["unit"] or "", q["end"]
    if unit == "％":
        unit = "%"
    if unit == "吨" and norm.startswith("公里", end):
        return "吨公里", end + 2
    if not unit and norm[end:end + 1] == " ":
        for written, canon in load_data().aliases:
            if norm.startswith(written, end + 1) and len(written) >= 1:
                return canon, end + 1 + len(written)
    if unit in ("", "个"):
        for word in extra:
            if norm.startswith(word, end):
                return ("千分点" if word.endswith("千分点") else word), end + len(word)
    return unit, end


def _spaced(norm: str, found: list[Number]) -> list[Number]:
    """Numbers written apart from their unit (23631 元, 11.98 %), which the QUANTITY layer skips."""
    out = []
    for m in _SPACED.finditer(norm):
        if any(n.start <= m.start() < n.end for n in found):
            continue
        value = float(m.group(1))
        for ch in m.group(2):
            value *= 1e4 if ch == "万" else 1e8
        unit = next((canon for written, canon in load_data().aliases_by_first_char.get(norm[m.end():m.end() + 1], ())
                     if norm.startswith(written, m.end())), None)
        if unit is None:
            continue
        written = next(w for w, c in load_data().aliases_by_first_char[norm[m.end()]] if c == unit and norm.startswith(w, m.end()))
        unit = "%" if unit == "％" else unit
        out.append(Number(m.start(), m.end() + len(written), value, value, unit, None, _kind(unit)))
    return out


def read_numbers(text: str, quantities: list[dict], *, norm: str | None = None) -> list[Number]:
    """The numbers of ``text`` an indicator statement can hold, in text order.

    Parameters
    ----------
    text : str
        The document.
    quantities : list of dict
        QUANTITY items (``start``, ``end``, ``value``, ``unit``, ``dimension``, ``approx``).
    norm : str, optional
        ``normalize(text)``, when the caller has it.

    Returns
    -------
    list of Number
    """
    norm = normalize(text) if norm is None else norm
    extra = load_cues()["extra_units"]
    out = []
    for q in _join(norm, sorted(quantities, key=lambda q: q["start"])):
        if q.get("value") is None or (q["unit"] == "年" and ((q["start"] > 0 and norm[q["start"] - 1] in _YEAR_DIGITS)
                                                            or 1900 <= q["value"] <= 2100)):
            continue
        doubling = _DOUBLING.fullmatch(norm, q["start"], q["end"])
        if doubling:
            times = _DOUBLINGS[doubling.group("n")]
            out.append(Number(q["start"], q["end"], times, times, "倍", None, "doubling"))
            continue
        unit, end = _unit(norm, q, extra)
        low, high, range_end = _bounds(norm, q)
        end = max(end, range_end)
        out.append(Number(q["start"], end, low, high, unit, q.get("approx"), _kind(unit)))
    out += _spaced(norm, out)
    for m in _DOUBLING.finditer(norm):
        if not any(n.start <= m.start() < n.end for n in out):
            times = _DOUBLINGS[m.group("n")]
            out.append(Number(m.start(), m.end(), times, times, "倍", None, "doubling"))
    return sorted(out, key=lambda n: n.start)
