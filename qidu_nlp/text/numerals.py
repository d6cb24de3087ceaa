"""qidu_nlp.text.numerals: turn the numerals of Chinese policy text into floats.

Pure functions, no spaCy. :func:`parse_number` reads every numeral form the reports use:
Arabic digits with thousands separators and decimals (``1,234.5``), Chinese numerals
(``二十``, ``一百零五``, ``两千``, via the maintained ``cn2an`` converter), mixed forms (``1.2万``,
``3.6万``), bare magnitudes (``千亿``, ``百亿``, ``万``), approximators inside the number
(``3000多万``, ``三万余``, ``百余``), tenths (``三成`` → 30, a percentage) and doublings (``翻番`` → 2,
``翻两番`` → 4, a factor).

Examples
--------
>>> parse_number("1.43亿")
143000000.0
>>> parse_number("3000多万")
30000000.0
>>> parse_number("三成")
30.0
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from .chars import CN_DIGITS, CN_FINANCIAL, CN_MAGNITUDES, CN_TEN_POWERS, CN_TWO, CN_ZERO

__all__ = ["parse_number", "parse_range", "MAGNITUDES", "CN_NUMERALS", "split_magnitude"]

# every character a Chinese numeral may hold
CN_NUMERALS = CN_ZERO + CN_DIGITS + CN_TWO + CN_TEN_POWERS + CN_MAGNITUDES + CN_FINANCIAL
MAGNITUDES = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}
_APPROX_CHARS = "余多"
_ARABIC = re.compile(r"^[+-]?\d+(?:[,，]\d{3})*(?:\.\d+)?$")
_MIXED = re.compile(r"^(?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?)(?P<mag>[十百千万亿]*)$")
_CN_ONLY = re.compile(rf"^[{CN_NUMERALS}点]+$")
_DOUBLINGS = {"翻番": 2.0, "翻一番": 2.0, "翻两番": 4.0, "翻二番": 4.0, "翻三番": 8.0}
_RANGE_SEP = re.compile(r"[至到~～—\-－]+")


def split_magnitude(text: str) -> tuple[str, float]:
    """Split trailing magnitude characters (万, 亿, 千万 …) off a numeral.

    Returns the numeral without them and the product of the magnitudes (1.0 when none).

    Examples
    --------
    >>> split_magnitude("1.2万")
    ('1.2', 10000.0)
    >>> split_magnitude("2000")
    ('2000', 1.0)
    """
    i = len(text)
    factor = 1.0
    while i > 0 and text[i - 1] in "万亿" and (i - 1 > 0):
        factor *= MAGNITUDES[text[i - 1]]
        i -= 1
    return text[:i], factor


@lru_cache(maxsize=4096)
def _cn_to_float(text: str) -> float:
    import cn2an  # start-up: 0.2-0.4 s to import, and most documents need no Chinese numeral parsed

    if text and text[0] in "百千万亿佰仟":
        text = "一" + text
    return float(cn2an.cn2an(text.replace("〇", "零"), "smart"))


def parse_number(text: str) -> float:
    """Return the value of a numeral as a float, magnitudes multiplied out.

    Parameters
    ----------
    text : str
        A numeral as written: ``"1,234.5"``, ``"34"``, ``"1.43亿"``, ``"二十"``, ``"两万亿"``,
        ``"千亿"``, ``"3000多万"``, ``"百余"``, ``"三成"`` (→ 30, a percentage), ``"翻番"`` (→ 2).
        Full-width digits should be folded first (:func:`qidu_nlp.text.normalize`).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        When ``text`` is not a numeral.

    Examples
    --------
    >>> parse_number("1,234.5")
    1234.5
    >>> parse_number("一百零五"), parse_number("两千"), parse_number("两万亿")
    (105.0, 2000.0, 2000000000000.0)
    >>> parse_number("千亿"), parse_number("百余"), parse_number("2万余")
    (100000000000.0, 100.0, 20000.0)
    >>> parse_number("翻两番")
    4.0
    """
    s = text.strip().replace(" ", "")
    if not s:
        raise ValueError("empty numeral")
    if s in _DOUBLINGS:
        return _DOUBLINGS[s]
    if s.endswith("成") and len(s) > 1:
        return parse_number(s[:-1]) * 10.0
    if s.startswith("百分之"):
        return parse_number(s[3:])
    s = "".join(ch for ch in s if ch not in _APPROX_CHARS)
    if _ARABIC.match(s):
        return float(s.replace(",", "").replace("，", ""))
    m = _MIXED.match(s)
    if m:
        factor = Decimal(1)
        for ch in m.group("mag"):
            factor *= Decimal(int(MAGNITUDES[ch]))
        return float(Decimal(m.group("num").replace(",", "").replace("，", "")) * factor)
    if _CN_ONLY.match(s):
        try:
            return _cn_to_float(s)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"not a numeral: {text!r}") from exc
    raise ValueError(f"not a numeral: {text!r}")


def parse_range(text: str) -> float:
    """Value of a range at its lower bound, with the magnitude both ends share.

    Examples
    --------
    >>> parse_range("20至50万")
    200000.0
    >>> parse_range("3-5")
    3.0
    >>> parse_range("三至五")
    3.0
    """
    parts = [p for p in _RANGE_SEP.split(text) if p]
    if len(parts) < 2:
        return parse_number(text)
    low, high = parts[0], parts[-1]
    low_core, low_factor = split_magnitude(low)
    if low_factor == 1.0:
        _, high_factor = split_magnitude(high)
        return parse_number(low_core) * high_factor
    return parse_number(low)
