"""qidu_nlp.text.scripts: detect traditional-character (繁體) text and fold it to simplified, keeping offsets.

Detection counts the CJK characters that OpenCC's traditional→simplified table changes (they are
traditional) and those its simplified→traditional table changes (they are simplified). The
conversion is character by character, so the converted text has exactly the length of the
original and every offset into it is an offset into the original. OpenCC
(``opencc-python-reimplemented``, or the ``opencc`` bindings) is an optional dependency: without
it, :func:`detect_script` says ``"unknown"`` for CJK text and :func:`to_simplified` raises.

Examples
--------
>>> detect_script("政府工作報告：發展經濟")
'traditional'
>>> to_simplified("發展經濟")
'发展经济'
"""

from __future__ import annotations

import logging
from collections import Counter
from functools import lru_cache

from .chars import is_cjk

logger = logging.getLogger("qidu_nlp")

SAMPLE_CHARS = 20_000
SCRIPTS = ("simplified", "traditional", "mixed", "none", "unknown")


@lru_cache(maxsize=2)
def _converter(config: str):
    try:
        from opencc import OpenCC  # optional extra: opencc-python-reimplemented
    except ImportError:
        return None
    for name in (config, config + ".json"):
        try:
            return OpenCC(name)
        except Exception:  # noqa: BLE001 - the two OpenCC packages name configs differently
            continue
    return None


@lru_cache(maxsize=65536)
def _char(config: str, ch: str) -> str:
    conv = _converter(config)
    out = conv.convert(ch) if conv is not None else ch
    return out if len(out) == 1 else ch


def opencc_available() -> bool:
    """True when an OpenCC package is installed."""
    return _converter("t2s") is not None


def detect_script(text: str, *, sample: int = SAMPLE_CHARS) -> str:
    """Say which Chinese script ``text`` is written in.

    Parameters
    ----------
    text : str
        The document.
    sample : int
        Characters read from the start (detection is cheap on any length).

    Returns
    -------
    str
        ``"simplified"``, ``"traditional"``, ``"mixed"`` (both in quantity), ``"none"`` (no CJK
        characters) or ``"unknown"`` (OpenCC is not installed).
    """
    # each distinct character looked up once, weighted by its count
    cjk = {ch: n for ch, n in Counter(text[:sample]).items() if is_cjk(ch)}
    if not cjk:
        return "none"
    if not opencc_available():
        return "unknown"
    trad = sum(n for ch, n in cjk.items() if _char("t2s", ch) != ch)
    simp = sum(n for ch, n in cjk.items() if _char("s2t", ch) != ch)
    if trad == simp == 0:
        return "simplified"  # only characters both scripts share
    if trad >= 3 * max(simp, 1) or (simp == 0 and trad >= 2):
        return "traditional"
    if simp >= 3 * max(trad, 1) or trad <= 1:
        return "simplified"
    return "mixed"


def to_simplified(text: str) -> str:
    """Fold traditional characters to simplified ones, one character at a time (same length).

    Phrase-level conversions that would change the length are not applied, so
    ``len(to_simplified(t)) == len(t)`` and offsets carry over unchanged.

    Raises
    ------
    ImportError
        When no OpenCC package is installed.
    """
    if not opencc_available():
        raise ImportError("Converting traditional characters needs OpenCC: pip install opencc-python-reimplemented")
    out = "".join(_char("t2s", ch) if is_cjk(ch) else ch for ch in text)
    assert len(out) == len(text)
    return out
