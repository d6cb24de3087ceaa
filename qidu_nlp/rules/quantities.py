"""qidu_nlp.rules.quantities: numbers with their units (QUANTITY).

The matcher works on characters of the normalised text (:func:`qidu_nlp.text.normalize`): a
regular expression finds the numeral core (``1.43亿``, ``20至50万``, ``3000多万``, ``两万亿``, ``百余``),
then the unit is read by longest match against ``data/units.json`` (aliases ``平方``/``平米`` →
``平方米``, ``个百分点`` → ``百分点``, ``个月`` → ``月``) and validated by the context rules of
``data/quantities/rules.json`` (dates, ordinals, ranks, ratios, per-unit bases, vague amounts,
numeric slogans and durations). Boundaries follow the QUANTITY section of the annotation guide:
a leading 约/近/超/逾 is outside the span and recorded in ``approx``; 余/多/左右/以上/以下/以内
are inside.

:func:`find_quantities` is the whole of it on a plain string; the ``qidu_quantities`` component
(:mod:`qidu_nlp.pipeline.quantities`) calls it. The unit table and the context rules are a
:class:`QuantityData` read from any folder (:func:`read_data`), so a saved pipeline carries its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from ..resources import Folder, data_folder, read_json
from ..schema import QUANTITY as LABEL
from ..text.numerals import parse_number
from ..text.normalize import normalize

__all__ = ["find_quantities", "QuantityData", "read_data", "load_data", "load_units", "unit_info", "DATA_FILES"]

# the data files, relative to the data folder (qidu_nlp/data: units.json, quantities/rules.json)
DATA_FILES = ("units.json", "rules.json")

_ARABIC = r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?"
_CN = r"[零〇一二两三四五六七八九十百千]+(?:万[零〇一二两三四五六七八九十百千]*[一二三四五六七八九十百千])?"
_NUM = rf"(?:{_ARABIC}|{_CN})"
_CORE = re.compile(
    rf"(?:(?P<n1>{_NUM})(?:(?P<sep>[至到~～\-—－])(?P<n2>{_NUM}))?)?"
    r"(?:(?<=\d)(?P<k>[千百])(?![瓦米克伏帕分]))?"
    r"(?P<a1>[余多])?(?P<m1>(?:[万亿]+[余多]?)*[万亿]+)?(?P<a2>[余多])?"
    r"(?:(?<=[万亿])(?P<sub>\d+(?:\.\d+)?(?:[千百][余多]?万|[千百]|万)|(?<=亿)[一二两三四五六七八九][千百][零一二两三四五六七八九十百]*[余多]?万)(?P<a3>[余多])?)?"
)
_START = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿翻百]")
_CN_DIGIT = set("零〇一二两三四五六七八九")
_SPECIAL = re.compile(
    r"(?P<dbl>翻[一两二三]?番)"
    r"|百分之(?P<pct>[零〇一二两三四五六七八九十百点]+|\d+(?:\.\d+)?)"
    r"|(?P<tenth>[一二三四五六七八九]|\d)成(?![千本功为立效果绩交就员长熟])"
)
_APPROX_INSIDE = re.compile(r"左右|以上|以下|以内")


@dataclass(frozen=True)
class QuantityData:
    """The unit table (``units.json``) and the context rules (``rules.json``) of the matcher.

    Attributes
    ----------
    units : dict
        Canonical unit → ``{"dimension", "aliases", "si_unit", "si_factor"}``.
    rules : dict
        Context words: dates, ordinals, ranks, approximators, blocked continuations.
    """

    units: dict
    rules: dict

    @cached_property
    def aliases(self) -> tuple[tuple[str, str], ...]:
        """(written form, canonical) pairs, longest written form first."""
        pairs = {}
        for canon, info in self.units.items():
            pairs[canon] = canon
            for alias in info.get("aliases", []):
                pairs.setdefault(alias, canon)
        return tuple(sorted(pairs.items(), key=lambda p: -len(p[0])))

    @cached_property
    def aliases_by_first_char(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """:attr:`aliases` bucketed by first character (each bucket still longest first)."""
        buckets: dict[str, list[tuple[str, str]]] = {}
        for written, canon in self.aliases:
            buckets.setdefault(written[0], []).append((written, canon))
        return {ch: tuple(pairs) for ch, pairs in buckets.items()}

    def unit_info(self, unit: str) -> dict:
        """Dimension and SI conversion of a canonical unit (see :func:`unit_info`)."""
        if not unit:
            return {"dimension": "count"}
        units = self.units
        if "/" in unit:
            head = unit.split("/")[0]
            return {"dimension": units.get(head, {}).get("dimension", "other") if head in units else "other"}
        info = units.get(unit)
        if info is None:
            return {"dimension": "other"}
        out = {"dimension": info["dimension"]}
        if "si_unit" in info:
            out["si_unit"] = info["si_unit"]
            out["si_factor"] = info["si_factor"]
        return out


def read_data(folder: Folder) -> QuantityData:
    """The unit table and rules from a folder holding :data:`DATA_FILES`."""
    return QuantityData(read_json(folder, "units.json")["units"], read_json(folder, "rules.json"))


@lru_cache(maxsize=1)
def load_data() -> QuantityData:
    """The packaged unit table (``data/units.json``) and rules (``data/quantities/rules.json``)."""
    return QuantityData(read_json(data_folder(), "units.json")["units"],
                        read_json(data_folder("quantities"), "rules.json"))


def load_units() -> dict[str, dict]:
    """The packaged unit table keyed by canonical unit.

    Examples
    --------
    >>> load_units()["亩"]["dimension"]
    'area'
    """
    return load_data().units


def unit_info(unit: str) -> dict:
    """Dimension and SI conversion of a canonical unit (compound units ``元/平方公里`` included).

    Examples
    --------
    >>> unit_info("公顷")
    {'dimension': 'area', 'si_unit': 'm²', 'si_factor': 10000.0}
    >>> unit_info("")["dimension"]
    'count'
    """
    return load_data().unit_info(unit)


def _match_unit(norm: str, pos: int, data: QuantityData) -> list[tuple[str, str]]:
    """All (written, canonical) units that start at ``pos``, longest first."""
    if pos >= len(norm):
        return []
    return [(w, c) for w, c in data.aliases_by_first_char.get(norm[pos], ()) if norm.startswith(w, pos)]


def _startswith_any(text: str, pos: int, words) -> str | None:
    for w in words:
        if text.startswith(w, pos):
            return w
    return None


def _endswith_any(text: str, pos: int, words) -> str | None:
    for w in sorted(words, key=len, reverse=True):
        if pos - len(w) >= 0 and text[pos - len(w):pos] == w:
            return w
    return None


_RANK_OK_BEFORE = ("提前", "目前", "之前", "此前", "以前", "当前", "年前", "日前", "空前", "事前", "会前", "节前", "眼前", "面前")


@dataclass
class _Core:
    start: int
    end: int
    n1: str | None
    n2: str | None
    mag: str
    approx_inside: bool
    sub: str | None = None  # the remainder of 1万6千, 1亿3千万
    small: str | None = None  # 千/百 after Arabic digits (1千多户)

    @property
    def arabic(self) -> bool:
        return bool(self.n1) and self.n1[0].isdigit()

    @property
    def has_digit(self) -> bool:
        """A real digit (Arabic or 一-九, 两, 零), not only 十/百/千/万/亿."""
        return bool(self.n1) and (self.arabic or any(c in _CN_DIGIT or c == "十" for c in self.n1))

    @property
    def bare(self) -> bool:
        return not self.has_digit


def _value(core: _Core) -> float:
    factor = Decimal(1)
    for ch in core.mag:
        factor *= Decimal(10000) if ch == "万" else Decimal(100000000)
    if core.n1 is None:
        return float(factor)
    base = Decimal(str(parse_number(core.n1)))
    if core.small:
        base *= Decimal(1000 if core.small == "千" else 100)
    extra = Decimal(str(parse_number(core.sub))) if core.sub else Decimal(0)
    return float(base * factor + extra)


def _blocked_before(norm: str, core: _Core, rules: dict) -> bool:
    s = core.start
    prev = norm[s - 1] if s > 0 else ""
    if prev in ("第", "每") or (prev in ("数", "几") and not core.arabic) or _endswith_any(norm, s, ("若干", "倒数", "单位")):
        return True
    if prev == "前" and not _endswith_any(norm, s, _RANK_OK_BEFORE):
        return True
    if prev in ("上", "成") and not core.arabic and not _endswith_any(norm, s, ("以上", "迈上", "跃上", "站上", "登上", "跨上", "踏上", "走上", "赶上", "完成", "建成", "形成", "达成", "促成", "落成", "组成", "构成")):
        return True
    if prev == "." or (prev.isdigit() and not core.arabic) or (prev.isascii() and prev.isalpha()):
        # 2.5 of PM2.5, 6 of IPv6, codes such as GB30439
        return True
    # ratios a:b:c and their parts
    if prev in ":：∶" and s >= 2 and norm[s - 2].isdigit():
        return True
    return False


def _accept_year(norm: str, core: _Core, end: int, rules: dict) -> bool:
    if not core.n1 or core.mag:
        return False
    if core.arabic and (len(core.n1) >= 4 or float(core.n1.replace(",", "")) >= 100):
        return False
    if "〇" in core.n1 or ("零" in core.n1 and len(core.n1) >= 4):
        return False
    if _endswith_any(norm, core.start, rules["year_before"]) or core.n2:
        return True
    return _startswith_any(norm, end, rules["year_after"]) is not None


def _accept(norm: str, core: _Core, written: str, canon: str, end: int, data: QuantityData) -> bool:
    """Is core + unit (``written`` at core.end, ending at ``end``) a quantity?"""
    rules = data.rules
    dim = data.unit_info(canon)["dimension"] if canon else "count"
    if not written:
        # a bare number: needs a magnitude; a bare magnitude also needs a threshold context
        if not core.mag and not (core.n1 and core.n1[-1] in "千百" and core.bare):
            return False
        if not core.mag:
            return False
        if core.bare:
            return bool(
                _startswith_any(norm, end, rules["bare_after"])
                or _endswith_any(norm, core.start, [*rules["bare_before"], *rules["approx_before"]])
            )
        return True
    if core.n1 in ("一", "壹") and not core.mag and (dim in ("count", "time") or canon == "级"):
        return False
    if core.bare:
        if dim in ("money", "area", "volume", "mass", "length", "energy"):
            pass
        elif not core.approx_inside and not norm.startswith(("余", "多"), end) and not (
            _endswith_any(norm, core.start, [*rules["approx_before"], *rules["bare_before"]])
        ):
            # 千家万户 is an idiom; 百余个, 近万人, 突破万户 are amounts
            return False
    if written == "方" and not core.arabic:
        return False
    if canon == "年":
        return _accept_year(norm, core, end, rules)
    if canon == "月" and written != "个月":
        return False
    if not core.arabic and _in_short_quote(norm, core.start, end):
        return False
    if canon == "周" and norm.startswith("年", end):
        return False
    if dim == "money" and _startswith_any(norm, end, rules["block_after_money_base"]):
        return False
    follow = rules["block_after_unit"].get(canon) or rules["block_after_unit"].get(written)
    if follow and _startswith_any(norm, end, follow):
        return False
    return True


_OPEN_Q = "“‘「『\""
_CLOSE_Q = "”’」』\""
_BAD_CN = re.compile(r"[一二两三四五六七八九〇]{2}")


def _in_short_quote(norm: str, start: int, end: int, limit: int = 12) -> bool:
    """Is norm[start:end] inside a quotation of at most ``limit`` characters (a slogan)?"""
    left = start - 1
    while left >= 0 and start - left <= limit and norm[left] not in _OPEN_Q + _CLOSE_Q + "。，,；;\n":
        left -= 1
    if left < 0 or norm[left] not in _OPEN_Q:
        return False
    right = end
    while right < len(norm) and right - left <= limit + 1 and norm[right] not in _OPEN_Q + _CLOSE_Q + "。，,；;\n":
        right += 1
    return right < len(norm) and norm[right] in _CLOSE_Q and right - left - 1 <= limit


def _scan_core(norm: str, pos: int) -> _Core | None:
    m = _CORE.match(norm, pos)
    if not m or m.end() == pos:
        return None
    n1, n2, m1 = m.group("n1"), m.group("n2"), m.group("m1") or ""
    if not n1 and not m1:
        return None
    if n1 in ("零", "〇"):
        return None
    sub = m.group("sub")
    if "余" in m1 or "多" in m1:
        m1 = m1.replace("余", "").replace("多", "")
        approx_mid = True
    else:
        approx_mid = False
    if n1 and not n1[0].isdigit() and _BAD_CN.search(n1):
        return None
    end = m.end()
    approx_inside = bool(
        m.group("a1") or m.group("a2") or m.group("a3") or approx_mid or (sub and ("多" in sub or "余" in sub))
    )
    if n1 and n2 is None and m.group("sep"):
        end = m.start("sep")
    core = _Core(pos, end, n1, n2 if n1 and n2 else None, m1, approx_inside, sub, m.group("k"))
    if m1 and len(m1) > 1 and m1 not in ("万亿", "亿亿"):
        return None
    return core


def find_quantities(text: str, *, norm: str | None = None, data: QuantityData | None = None) -> list[dict]:
    """Find the quantities of a text.

    Parameters
    ----------
    text : str
        The text (offsets are into it).
    norm : str, optional
        Its normalised view, if already computed.
    data : QuantityData, optional
        The unit table and rules (default: the packaged ones, :func:`load_data`).

    Returns
    -------
    list of dict
        ``{"start", "end", "label": "QUANTITY", "value", "unit", "dimension", "si_value",
        "si_unit", "approx"}`` in text order, never overlapping.

    Examples
    --------
    >>> q = find_quantities("一般公共预算收入完成1.43亿元，同比增长34%。")
    >>> [(x["start"], x["end"], x["value"], x["unit"]) for x in q]
    [(10, 16, 143000000.0, '元'), (21, 24, 34.0, '%')]
    >>> [(x["value"], x["unit"], x["approx"]) for x in find_quantities("约1.1万平方")]
    [(11000.0, '平方米', 'about')]
    """
    if norm is None:
        norm = normalize(text)
    data = data or load_data()
    # 31.88 亿元, 11.98 %, 80% 以上: typeset reports put a space between a number and its unit;
    # the matcher reads the text without those spaces and the spans are mapped back (they keep it)
    squeezed, back = _squeeze_unit_spaces(norm)
    if back is None:
        return _find(text, norm, data)
    out = []
    for q in _find(text, squeezed, data, check=False):
        q["start"], q["end"] = back[q["start"]], back[q["end"] - 1] + 1
        if not _bad_boundary(text, q):
            out.append(q)
    return out


_UNIT_SPACE = re.compile(r"(?<=[0-9%]) (?=[%\u4e00-\u9fff])")


def _squeeze_unit_spaces(norm: str) -> tuple[str, list[int] | None]:
    """``norm`` without single spaces between a digit (or %) and a unit, and for each of its
    positions the position in ``norm``; ``(norm, None)`` when there is no such space."""
    cuts = [m.start() for m in _UNIT_SPACE.finditer(norm)]
    if not cuts:
        return norm, None
    keep = np.ones(len(norm), dtype=bool)
    keep[cuts] = False
    back = np.flatnonzero(keep).tolist()
    return "".join(np.array(list(norm))[keep]), back


def _find(text: str, norm: str, data: QuantityData, check: bool = True) -> list[dict]:
    """:func:`find_quantities` on a normalised text (spans not checked against ``text`` unless
    ``check``: their offsets are into ``norm``)."""
    rules = data.rules
    out: list[dict] = []
    for m in _SPECIAL.finditer(norm):
        if m.group("tenth") and (m.start() > 0 and (norm[m.start() - 1].isdigit() or norm[m.start() - 1] in _CN_DIGIT or norm[m.start() - 1] in "十百千万亿第")):
            continue
        end = m.end()
        post = _APPROX_INSIDE.match(norm, end)
        if post:
            end = post.end()
        if m.group("dbl"):
            value, unit = float(rules["doublings"][m.group("dbl")]), "倍"
        elif m.group("pct"):
            value, unit = parse_number(m.group("pct").replace("点", ".") if m.group("pct")[0].isdigit() else m.group("pct")), "%"
        else:
            value, unit = parse_number(m.group("tenth") + "成"), "%"
        out.append(_item(norm, m.start(), end, value, unit, data, over_inside=False))
    n = len(norm)
    special = _Coverage(n, [(q["start"], q["end"]) for q in out])

    pos = 0
    while pos < n:
        m = _START.search(norm, pos)
        if not m:
            break
        start = m.start()
        if special.covers(start):
            pos = start + 1
            continue
        if start > 0 and (norm[start - 1].isdigit() and norm[start].isdigit()):
            pos = start + 1
            continue
        core = _scan_core(norm, start)
        if core is None:
            pos = start + 1
            continue
        item = _complete(norm, core, data)
        if item is None:
            pos = max(core.end, start + 1)
            continue
        if special.overlaps(item["start"], item["end"]):
            pos = item["end"]
            continue
        out.append(item)
        pos = item["end"]
    out.sort(key=lambda q: q["start"])
    out = _merge_ranges(norm, out)
    return [q for q in out if not check or not _bad_boundary(text, q)]


class _Coverage:
    """Which characters a set of spans covers, answered in constant time (a scan over every
    span per candidate was quadratic in document length)."""

    def __init__(self, n: int, spans: list[tuple[int, int]]):
        self._spans = bool(spans)
        if self._spans:
            delta = np.zeros(n + 1, dtype=np.int32)
            for s, e in spans:
                delta[s] += 1
                delta[e] -= 1
            covered = np.cumsum(delta[:n]) > 0
            self._covered = covered.tobytes()
            self._prefix = np.concatenate([[0], np.cumsum(covered)]).tolist()

    def covers(self, i: int) -> bool:
        return self._spans and bool(self._covered[i])

    def overlaps(self, s: int, e: int) -> bool:
        return self._spans and self._prefix[e] > self._prefix[s]


_RANGE_BETWEEN = re.compile(r"^(?:[至到~～\-－]|—{1,2})$")


def _merge_ranges(norm: str, items: list[dict]) -> list[dict]:
    """Join ``6%－6.5%`` and ``百分之四至百分之五`` into one span valued at the lower bound."""
    merged: list[dict] = []
    for q in items:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev["unit"] == q["unit"]
            and prev["unit"]
            and _RANGE_BETWEEN.match(norm[prev["end"]:q["start"]])
            and prev["approx"] in (None, q["approx"])
        ):
            prev["end"] = q["end"]
            prev["approx"] = q["approx"]
            continue
        merged.append(q)
    return merged


def _bad_boundary(text: str, q: dict) -> bool:
    surface = text[q["start"]:q["end"]]
    return not surface or surface != surface.strip() or "\n" in surface


def _complete(norm: str, core: _Core, data: QuantityData) -> dict | None:
    rules = data.rules
    if _blocked_before(norm, core, rules):
        return None
    candidates = _match_unit(norm, core.end, data) + [("", "")]
    for written, canon in candidates:
        end = core.end + len(written)
        if written and canon and "/" not in canon and norm.startswith("/", end):
            more = _match_unit(norm, end + 1, data)
            if more:
                written2, canon2 = more[0]
                canon = f"{canon}/{canon2}"
                end = end + 1 + len(written2)
        approx_inside = core.approx_inside
        if norm.startswith(("余", "多"), end) and written:
            approx_inside = True
            end += 1
        if not _accept(norm, core, written, canon.split("/")[0] if canon else canon, end, data):
            continue
        if _startswith_any(norm, end, rules["block_after_any"]):
            return None
        if norm.startswith("级", end) and (not written) and core.bare:
            end += 1
        if not written and not core.bare and norm.startswith("级", end):
            canon = "级"
            end += 1
        post = _APPROX_INSIDE.match(norm, end)
        if post:
            end = post.end()
        try:
            value = _value(core)
        except ValueError:
            return None
        item = _item(norm, core.start, end, value, canon, data, over_inside=approx_inside)
        return item
    return None


def _item(norm: str, start: int, end: int, value: float, unit: str, data: QuantityData, *,
          over_inside: bool) -> dict:
    rules = data.rules
    approx = None
    surface = norm[start:end]
    for word, kind in rules["approx_after"].items():
        if surface.endswith(word):
            approx = kind
            break
    if approx is None and over_inside:
        approx = "over"
    if approx is None:
        before = _endswith_any(norm, start, rules["approx_before"].keys())
        if before:
            approx = rules["approx_before"][before]
    info = data.unit_info(unit)
    item: dict[str, Any] = {
        "start": start,
        "end": end,
        "label": LABEL,
        "value": float(value),
        "unit": unit,
        "dimension": info["dimension"],
        "si_value": float(value) * info["si_factor"] if "si_factor" in info else None,
        "si_unit": info.get("si_unit"),
        "approx": approx,
    }
    return item
