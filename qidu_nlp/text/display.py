"""qidu_nlp.text.display: numbers and contexts as a reader wants to see them.

:func:`format_value` writes a value with its unit as Chinese reports write it (1.43亿元, 34%,
5.3万亩), not as the float the tables hold (143000000.0); :func:`kwic` cuts a keyword-in-context
window around a span, so a long sentence never hides the slogan it is quoted for.

Examples
--------
>>> format_value(143000000.0, "元"), format_value(34.0, "%"), format_value(6108, "")
('1.43亿元', '34%', '6108')
>>> kwic("全年完成一般公共预算收入1.43亿元，同比增长34%。", 12, 18, width=4)
('…预算收入', '1.43亿元', '，同比增…')
"""

from __future__ import annotations

import math
from typing import Optional

__all__ = ["format_value", "format_number", "kwic", "ELLIPSIS"]

ELLIPSIS = "…"
# units after which 万 and 亿 are written (money, area, weight, people …); a percentage or a
# rate is never scaled
_NO_SCALE = {"%", "‰", "个百分点", "倍", "年", "月", "日", "天", "岁", "级", "星", "度"}


def format_number(value: float, *, digits: int = 2) -> str:
    """A number with at most ``digits`` decimals and no trailing zeros.

    Examples
    --------
    >>> format_number(1.4300), format_number(2024.0), format_number(0.125, digits=2), format_number(-3.5)
    ('1.43', '2024', '0.12', '-3.5')
    """
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value: Optional[float], unit: Optional[str] = None, *, digits: int = 2) -> str:
    """A quantity as it is written: 万 and 亿 for large values, the unit after it.

    Parameters
    ----------
    value : float or None
        The value with 万/亿 multiplied out (as ``mentions.csv`` and ``indicators.csv`` hold it).
    unit : str, optional
        The canonical unit (元, %, 亩 …); none or empty for a bare number.
    digits : int
        Decimals kept (trailing zeros dropped).

    Returns
    -------
    str
        ``""`` for a missing value.

    Examples
    --------
    >>> format_value(53000.0, "亩"), format_value(1.2e4, ""), format_value(5.3e8, "元"), format_value(2.5e12, "元")
    ('5.3万亩', '1.2万', '5.3亿元', '2.5万亿元')
    >>> format_value(12000.0, "%"), format_value(None, "元"), format_value(float("nan"))
    ('12000%', '', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    unit = unit if isinstance(unit, str) else ""
    if unit in _NO_SCALE:
        return format_number(value, digits=digits) + unit
    size = abs(value)
    for scale, name in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if size >= scale:
            return format_number(value / scale, digits=digits) + name + unit
    return format_number(value, digits=digits) + unit


def kwic(text: str, start: int, end: int, width: int = 30) -> tuple[str, str, str]:
    """The keyword-in-context window of ``text[start:end]``: ``(left, match, right)``.

    ``left`` and ``right`` hold at most ``width`` characters each, with an ellipsis where the
    text goes on; line breaks become spaces.

    Examples
    --------
    >>> kwic("围绕“1221”工作体系", 3, 7, width=30)
    ('围绕“', '1221', '”工作体系')
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span ({start}, {end}) lies outside a text of length {len(text)}")
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    if start > width:
        left = ELLIPSIS + left
    if end + width < len(text):
        right = right + ELLIPSIS
    flat = lambda s: " ".join(s.split("\n"))  # noqa: E731
    return flat(left), flat(text[start:end]), flat(right)
