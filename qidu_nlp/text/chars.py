"""qidu_nlp.text.chars: the character classes every rule uses, defined once.

Chinese characters (one test and one regex class for all rules), and the numeral characters
from which each rule composes the set it needs (an ordinal in 第十八届, the numerals of a slogan
such as 双招双引, the numerals of a quantity such as 两万亿): the composition is written where
it is used, the characters only here.

Examples
--------
>>> is_cjk("村"), is_cjk("1"), is_cjk("\\u3400")
(True, False, True)
>>> CN_ZERO + CN_DIGITS + CN_TWO
'零〇一二三四五六七八九两'
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["CJK", "CJK_RE", "is_cjk", "code_points", "DIGITS", "CN_ZERO", "CN_DIGITS", "CN_TWO",
           "CN_TEN_POWERS", "CN_MAGNITUDES", "CN_PAIR", "CN_FINANCIAL", "ASCII_LETTERS"]

# CJK unified ideographs, extension A and the compatibility ideographs: the ranges of a regex
# character class ("[" + CJK + "]")
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")

DIGITS = "0123456789"
CN_ZERO = "零〇"
CN_DIGITS = "一二三四五六七八九"
CN_TWO = "两"  # the counting form of 二 (两个确立, 两万亿)
CN_TEN_POWERS = "十百千"
CN_MAGNITUDES = "万亿"
CN_PAIR = "双"  # counts as two in set names (双招双引)
CN_FINANCIAL = "壹贰叁肆伍陆柒捌玖拾佰仟"
ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def is_cjk(ch: str) -> bool:
    """True for a Chinese character (CJK unified ideograph, extension A or compatibility form).

    Examples
    --------
    >>> is_cjk("镇"), is_cjk("、")
    (True, False)
    """
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def code_points(text: str) -> np.ndarray:
    """The code point of every character of ``text`` as an int64 numpy array (lone surrogates
    kept), for array tests over a whole text at once.

    Examples
    --------
    >>> code_points("齐a\\n").tolist()
    [40784, 97, 10]
    """
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
