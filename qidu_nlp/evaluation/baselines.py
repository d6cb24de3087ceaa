"""qidu_nlp.evaluation.baselines: simple reference detectors that the benchmark runs next to the pipeline.

Every baseline is a pure function ``text -> list of span dicts`` in the gold schema
(``{"start", "end", "label", ...}``, see ``corpora/annotations/GUIDE.md``), so that
:func:`qidu_nlp.evaluation.bench.bench` scores it with the same scorer as the pipeline:

- :func:`quotes_baseline`: every quoted span is a SLOGAN;
- :func:`rules_baseline`: quotes, plus a numeral-abbreviation regex, plus the closed list of
  national formulas (the "simple rules" reference);
- :func:`formulas_baseline`: the closed formula list alone;
- :func:`jieba_entities`: jieba part-of-speech tags as entities (``nr`` → PERSON, ``ns`` →
  PLACE, ``nt`` → ORG); needs the optional package ``jieba``;
- :func:`jionlp_money`: jionlp's money extractor as QUANTITY (money only); needs the optional
  package ``jionlp``.

:func:`available_baselines` lists them as :class:`Baseline` records, with a note instead of a
function when an optional package is missing.

Examples
--------
>>> [(s["start"], s["end"], s["kind"]) for s in quotes_baseline("聚焦“强富美优”城市愿景")]
[(3, 7, 'motto')]
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

from ..rules.slogans.lexicons import load_lexicons
from ..text.chars import CJK, CN_DIGITS, CN_MAGNITUDES, CN_PAIR, CN_TEN_POWERS, CN_TWO
from ..text.normalize import normalize, trim_span

logger = logging.getLogger("qidu_nlp")
MONEY_UNITS = frozenset({"元", "美元", "港元", "港币", "欧元", "日元", "英镑", "人民币", "澳元", "卢布"})
# the numerals of a guessed numeric kind: 一 … 九, 两, 十, 百, 千, 万 and 双
NUMERAL_CHARS = CN_DIGITS + CN_TWO + CN_TEN_POWERS + CN_MAGNITUDES[0] + CN_PAIR
_DIGITS = "0123456789"

# Quote pairs: the opener maps to its closer. ASCII '"' opens and closes.
QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", '"': '"'}
# Campaign heads inside quotes (“百日攻坚行动”): a baseline guess of the kind, nothing more.
_CAMPAIGN_HEADS = ("行动", "活动", "工程", "计划", "经验", "模式", "工作法")

# The numeral-abbreviation regex of the "simple rules" baseline.
_N = f"[{CN_DIGITS}{CN_TWO}十{CN_PAIR}]"
_NOT_N = f"(?:(?!{_N})(?![个年月日次位名家项件元人户届期])[{CJK}])"
NUMERAL_ABBREVIATION = re.compile(
    "|".join(
        [
            "十[一二三四五六七八九]五",  # five-year plans: 十四五
            f"(?:{_N}{_NOT_N}){{2,4}}",  # 三区两园一线, 三重一大, 一村一品
            "[二三四五六七八九十]大(?:攻坚战|工程|行动|战略|任务|平台|基地|体系)",  # 三大攻坚战
        ]
    )
)



def _span(start: int, end: int, label: str, **attrs) -> dict:
    return {"start": start, "end": end, "label": label, **attrs}


def guess_kind(surface: str) -> str:
    """Guess a quoted slogan's kind from its form: numerals → numeric, action heads → campaign.

    Examples
    --------
    >>> guess_kind("三提三争"), guess_kind("春风行动"), guess_kind("强富美优")
    ('numeric', 'campaign', 'motto')
    """
    if any(ch in NUMERAL_CHARS or ch in _DIGITS for ch in surface):
        return "numeric"
    if surface.endswith(_CAMPAIGN_HEADS):
        return "campaign"
    return "motto"


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` of the text inside every outermost pair of quotation marks.

    Quotes are paired within one line; nested quotes are part of the outer span; an unclosed
    quote yields nothing; surrounding whitespace inside the marks is trimmed.

    Examples
    --------
    >>> t = "开展“三提三争”活动，“闲地”“闲产”"
    >>> [t[s:e] for s, e in quoted_spans(t)]
    ['三提三争', '闲地', '闲产']
    """
    norm = normalize(text)
    out = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(norm):
        if ch == "\n":
            stack = []
            continue
        if stack and ch == QUOTE_PAIRS[stack[-1][0]]:
            opener, start = stack.pop()
            if not stack:
                s, e = trim_span(norm, start + 1, i)
                if s < e:
                    out.append((s, e))
            continue
        if ch in QUOTE_PAIRS:
            stack.append((ch, i))
    return out


def quotes_baseline(text: str) -> list[dict]:
    """Every quoted span as a SLOGAN (kind guessed by :func:`guess_kind`).

    Examples
    --------
    >>> quotes_baseline("实施“春风行动”")
    [{'start': 3, 'end': 7, 'label': 'SLOGAN', 'kind': 'campaign'}]
    """
    return [_span(s, e, "SLOGAN", kind=guess_kind(text[s:e])) for s, e in quoted_spans(text)]


def numeral_abbreviations(text: str) -> list[dict]:
    """Unquoted numeral-built set names found by :data:`NUMERAL_ABBREVIATION` (kind numeric).

    Examples
    --------
    >>> t = "坚持三重一大集体决策，打好三大攻坚战"
    >>> [t[s["start"]:s["end"]] for s in numeral_abbreviations(t)]
    ['三重一大', '三大攻坚战']
    """
    norm = normalize(text)
    return [_span(m.start(), m.end(), "SLOGAN", kind="numeric") for m in NUMERAL_ABBREVIATION.finditer(norm)]


def load_formulas() -> dict[str, str]:
    """The closed list of national formulas, term → kind (the slogan rules' list,
    ``qidu_nlp/data/slogans/formulas.txt``).

    Examples
    --------
    >>> load_formulas()["新发展理念"], load_formulas()["两个确立"]
    ('formula', 'numeric')
    """
    return load_lexicons().formulas


@lru_cache(maxsize=1)
def _formula_regex() -> re.Pattern:
    terms = sorted(load_formulas(), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in terms))


def formulas_baseline(text: str) -> list[dict]:
    """Every occurrence of a closed-list formula as a SLOGAN, longest first, quoted or not.

    Examples
    --------
    >>> formulas_baseline("深入贯彻新发展理念")
    [{'start': 4, 'end': 9, 'label': 'SLOGAN', 'kind': 'formula'}]
    """
    formulas = load_formulas()
    norm = normalize(text)
    return [
        _span(m.start(), m.end(), "SLOGAN", kind=formulas[m.group()])
        for m in _formula_regex().finditer(norm)
    ]


def _merge(*layers: list[dict]) -> list[dict]:
    """Union of span lists; a span overlapping one from an earlier layer is dropped."""
    taken: list[tuple[int, int]] = []
    out = []
    for layer in layers:
        for sp in layer:
            if any(sp["start"] < e and s < sp["end"] for s, e in taken):
                continue
            taken.append((sp["start"], sp["end"]))
            out.append(sp)
    return sorted(out, key=lambda sp: (sp["start"], sp["end"]))


def rules_baseline(text: str) -> list[dict]:
    """The "simple rules" reference: quotes, then closed-list formulas, then the numeral regex.

    Quoted spans win over the other two where they overlap; a quoted closed-list item keeps the
    kind of its form (guide: “稳中求进” is a motto), except that numeral-built ones are numeric.

    Examples
    --------
    >>> t = "以“1221”工作体系为抓手，落实中央八项规定，打好三大攻坚战"
    >>> [(t[s["start"]:s["end"]], s["kind"]) for s in rules_baseline(t)]
    [('1221', 'numeric'), ('中央八项规定', 'numeric'), ('三大攻坚战', 'numeric')]
    """
    return _merge(quotes_baseline(text), formulas_baseline(text), numeral_abbreviations(text))


# --- optional extras -------------------------------------------------------------------------

_JIEBA_LABELS = (("nr", "PERSON"), ("ns", "PLACE"), ("nt", "ORG"))


@lru_cache(maxsize=1)
def _jieba_posseg():
    import jieba  # optional extra: pip install jieba
    import jieba.posseg  # optional extra: as above

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.posseg


def jieba_entities(text: str) -> list[dict]:
    """Entities from jieba's POS tags: ``nr*`` → PERSON, ``ns*`` → PLACE, ``nt*`` → ORG.

    Requires the optional package ``jieba`` (``pip install jieba``); raises ImportError without it.

    Examples
    --------
    >>> t = "镇长刘菁华到临淄区调研"
    >>> sorted({t[s["start"]:s["end"]]: s["label"] for s in jieba_entities(t)}.items())  # doctest: +SKIP
    [('临淄区', 'PLACE'), ('刘菁华', 'PERSON')]
    """
    posseg = _jieba_posseg()
    out = []
    pos = 0
    for pair in posseg.cut(text):
        word, flag = pair.word, pair.flag
        start, end = pos, pos + len(word)
        pos = end
        label = next((lab for prefix, lab in _JIEBA_LABELS if flag.startswith(prefix)), None)
        if label is None:
            continue
        s, e = trim_span(text, start, end)
        if s < e and "\n" not in text[s:e]:
            out.append(_span(s, e, label))
    return out


_LAC_LABELS = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG"}


@lru_cache(maxsize=1)
def _lac():
    from LAC import LAC  # optional: pip install lac (Baidu's lexical analyser, PaddlePaddle)

    return LAC(mode="lac")


def lac_entities(text: str) -> list[dict]:
    """Entities from Baidu LAC's tags: ``PER`` → PERSON, ``LOC`` → PLACE, ``ORG`` → ORG, the
    strongest offline tagger a researcher is likely to install.

    Requires the optional package ``lac`` (``pip install lac``); raises ImportError without it.
    Lines are tagged one by one (LAC reads a sentence at a time) and the words laid back on the
    text by their lengths.
    """
    lac, out, pos = _lac(), [], 0
    for line in text.split("\n"):
        if line.strip():
            words, tags = lac.run(line)
            p = pos
            for word, tag in zip(words, tags):
                start = text.find(word, p, pos + len(line))
                if start < 0:
                    continue
                p = start + len(word)
                label = _LAC_LABELS.get(tag)
                if label:
                    s, e = trim_span(text, start, p)
                    if s < e:
                        out.append(_span(s, e, label))
        pos += len(line) + 1
    return out


@lru_cache(maxsize=1)
def _jionlp():
    # jionlp prints a banner on import; the library never prints, so swallow it.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp  # optional extra: pip install jionlp
    return jionlp


def _first_number(num) -> Optional[float]:
    if isinstance(num, (list, tuple)):
        num = num[0] if num else None
    try:
        return float(num)
    except (TypeError, ValueError):
        return None


def jionlp_money(text: str) -> list[dict]:
    """Money amounts from ``jionlp.ner.extract_money`` as QUANTITY spans with value and unit.

    A range takes its lower bound (as the guide does). Requires the optional package ``jionlp``.

    Examples
    --------
    >>> jionlp_money("全年完成一般公共预算收入1.43亿元")  # doctest: +SKIP
    [{'start': 12, 'end': 18, 'label': 'QUANTITY', 'value': 143000000.0, 'unit': '元'}]
    """
    jio = _jionlp()
    out = []
    for item in jio.ner.extract_money(text, with_parsing=True):
        start, end = item["offset"]
        s, e = trim_span(text, start, end)
        if s >= e or "\n" in text[s:e]:
            continue
        detail = item.get("detail") or {}
        out.append(
            _span(s, e, "QUANTITY", value=_first_number(detail.get("num")), unit=detail.get("case") or "")
        )
    return out


def is_money(span: dict) -> bool:
    """True for a QUANTITY span whose unit is a currency (the scope of the jionlp baseline)."""
    return span.get("label") == "QUANTITY" and span.get("unit") in MONEY_UNITS


@dataclass(frozen=True)
class Baseline:
    """A reference detector for :func:`qidu_nlp.evaluation.bench`.

    Attributes
    ----------
    name : str
        Short name (a row of the benchmark table).
    description : str
        One line on what it does.
    labels : tuple of str
        The labels it predicts; it is scored on these only.
    detect : callable or None
        ``text -> list of span dicts``; None when an optional package is missing.
    note : str
        Why ``detect`` is None (the missing package and how to install it).
    scope : callable or None
        A filter ``span dict -> bool`` applied to gold and predicted spans alike before scoring
        (the money baseline is scored on money quantities only).
    """

    name: str
    description: str
    labels: tuple[str, ...]
    detect: Optional[Callable[[str], list[dict]]]
    note: str = ""
    scope: Optional[Callable[[dict], bool]] = None


def _optional(package: str, loader: Callable[[], object], name: str, description: str, labels: tuple,
              detect: Callable, scope: Optional[Callable] = None) -> Baseline:
    """A baseline that needs an optional package: without it, ``detect`` is None and the note says
    how to install it."""
    try:
        loader()
    except ImportError:
        return Baseline(name, description, labels, None,
                        f"skipped: optional package {package!r} is not installed (pip install {package})", scope=scope)
    return Baseline(name, description, labels, detect, "", scope=scope)


def available_baselines() -> list[Baseline]:
    """All baselines in table order; those needing a missing optional package carry a note.

    Examples
    --------
    >>> [b.name for b in available_baselines()][:3]
    ['quotes', 'rules', 'formulas']
    """
    return [
        Baseline("quotes", "every quoted span as a SLOGAN", ("SLOGAN",), quotes_baseline),
        Baseline(
            "rules",
            "quotes + numeral-abbreviation regex + closed formula list",
            ("SLOGAN",),
            rules_baseline,
        ),
        Baseline("formulas", "the closed formula list alone", ("SLOGAN",), formulas_baseline),
        _optional("jieba", _jieba_posseg, "jieba", "jieba POS tags: nr → PERSON, ns → PLACE, nt → ORG",
                  ("PERSON", "PLACE", "ORG"), jieba_entities),
        _optional("lac", _lac, "lac", "Baidu LAC tags: PER → PERSON, LOC → PLACE, ORG → ORG",
                  ("PERSON", "PLACE", "ORG"), lac_entities),
        _optional("jionlp", _jionlp, "jionlp", "jionlp money extraction, scored on money QUANTITY only",
                  ("QUANTITY",), jionlp_money, scope=is_money),
    ]
