"""qidu_nlp.rules.themes.keywords: themes by keywords, and weak labels for training.

* :func:`keyword_themes` scores a text by its keyword hits: the fallback when no trained model
  fits the taxonomy, and the keyword-lexicon baseline;
* :func:`weak_labels` labels the paragraphs of any corpus for free: the section heading or a
  short lead sentence (“一、突出产业赋能…”, “这是乡村振兴全面起势的一年。”) names a theme through
  its strong keywords, and a paragraph dense in one theme's keywords gets it.
"""

from __future__ import annotations

import re
from typing import Iterator, Sequence

import numpy as np

from ...text.normalize import normalize
from ...text.structure import is_heading, section_paths, split_paragraphs
from .taxonomy import Theme, load_taxonomy  # noqa: F401  (load_taxonomy: the examples)

__all__ = ["keyword_hits", "keyword_themes", "keyword_matrix", "lead_sentence", "weak_labels", "LEAD_MAX"]

LEAD_MAX = 40  # a first sentence up to this length acts as the paragraph's own heading
_LEAD_END = re.compile(r"[。！？!?；;]")


def keyword_hits(text: str, taxonomy: Sequence[Theme], *, strong: bool = False) -> dict[str, int]:
    """Count the keyword occurrences of every theme in ``text`` (longest keyword first).

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> hits = keyword_hits("持续推进乡村振兴，壮大村集体经济。", tax)
    >>> hits["乡村振兴"], hits["产业发展"]
    (2, 0)
    """
    out = {}
    for theme in taxonomy:
        pattern = theme._strong_pattern if strong else theme._pattern
        out[theme.name] = len(pattern.findall(text)) if pattern is not None else 0
    return out


def keyword_themes(
    text: str,
    taxonomy: Sequence[Theme],
    *,
    min_hits: int = 2,
    min_share: float = 0.2,
) -> list[tuple[str, float]]:
    """The themes of ``text`` by keywords alone: the keyword-lexicon baseline and fallback.

    A theme is kept when it has at least ``min_hits`` keyword occurrences and at least
    ``min_share`` of all keyword occurrences in the text. Its confidence is
    ``share * (1 - exp(-hits / 2))``: many hits and a large share both raise it.

    Returns
    -------
    list of (str, float)
        Themes, highest confidence first.

    Examples
    --------
    >>> keyword_themes("开展燃气安全专项整治，排查安全隐患，加强应急救援能力建设。", load_taxonomy())
    [('安全生产', 0.849)]
    """
    hits = keyword_hits(normalize(text), taxonomy)
    total = sum(hits.values())
    out = []
    for name, n in hits.items():
        if n >= min_hits and n / total >= min_share:
            out.append((name, _keyword_confidence(n, total)))
    return sorted(out, key=lambda x: -x[1])


def _keyword_confidence(n: int, total: int) -> float:
    return round(float(n / total * (1 - np.exp(-n / 2))), 3)


_SEPARATOR = "\x00"  # in no keyword: joined texts are matched as if one by one


def keyword_matrix(texts: Sequence[str], taxonomy: Sequence[Theme], *, min_hits: int = 2,
                   min_share: float = 0.2, normalized: bool = False) -> np.ndarray:
    """:func:`keyword_themes` of many texts at once, as a matrix (texts × themes) of confidences.

    The texts are joined by a character no keyword holds and every theme's pattern runs once
    over the whole; the hits are counted back per text. A text holding that character is
    matched alone.

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> M = keyword_matrix(["开展燃气安全专项整治，排查安全隐患，加强应急救援能力建设。", "你好"], tax)
    >>> [tax[j].name for j in M[0].nonzero()[0]], float(M[0].max()), bool(M[1].any())
    (['安全生产'], 0.849, False)
    """
    texts = [t if normalized else normalize(t) for t in texts]
    hits = np.zeros((len(texts), len(taxonomy)), dtype=np.int64)
    plain = [i for i, t in enumerate(texts) if _SEPARATOR not in t]
    for i in set(range(len(texts))) - set(plain):
        hits[i] = list(keyword_hits(texts[i], taxonomy).values())
    if plain:
        joined = _SEPARATOR.join(texts[i] for i in plain)
        starts = np.cumsum([0] + [len(texts[i]) + 1 for i in plain[:-1]])
        rows = np.asarray(plain)
        for j, theme in enumerate(taxonomy):
            if theme._pattern is None:
                continue
            where = [m.start() for m in theme._pattern.finditer(joined)]
            if where:
                owner = rows[np.searchsorted(starts, where, side="right") - 1]
                np.add.at(hits[:, j], owner, 1)
    out = np.zeros(hits.shape, dtype=np.float64)
    total = hits.sum(axis=1)
    for i, j in zip(*np.nonzero(hits >= min_hits)):
        n, tot = int(hits[i, j]), int(total[i])
        if n / tot >= min_share:  # keyword_themes's own test and rounding, in Python floats
            out[i, j] = _keyword_confidence(n, tot)
    return out


def lead_sentence(paragraph: str) -> str:
    """The paragraph's first sentence when it is short enough to act as its heading, else ``""``.

    Examples
    --------
    >>> lead_sentence("这是乡村振兴全面起势的一年。总规划面积2000亩的项目落地。")
    '这是乡村振兴全面起势的一年。'
    """
    m = _LEAD_END.search(paragraph)
    if m and m.end() <= LEAD_MAX and m.end() < len(paragraph):
        return paragraph[: m.end()]
    return ""


def weak_labels(
    text: str,
    taxonomy: Sequence[Theme],
    *,
    min_chars: int = 20,
    min_hits: int = 3,
    min_share: float = 0.35,
) -> Iterator[tuple[str, list[str]]]:
    """Label the paragraphs of a document for free, from headings and keyword density.

    A paragraph gets a theme when (a) its deepest section heading, or else its short lead
    sentence, contains one of the theme's *strong* keywords, or (b) the paragraph itself has
    at least ``min_hits`` keyword occurrences of the theme making up ``min_share`` of all its
    keyword hits. Headings themselves and paragraphs shorter than ``min_chars`` are skipped.

    Yields
    ------
    (str, list of str)
        The paragraph text and its themes (possibly none: a negative example).

    Examples
    --------
    >>> t = "一、突出产业赋能，创新驱动引领高位发展\\n持续壮大产业园区。加快推进10个重大项目建设进程，实现园区产值持续攀升。"
    >>> list(weak_labels(t, load_taxonomy()))
    [('持续壮大产业园区。加快推进10个重大项目建设进程，实现园区产值持续攀升。', ['产业发展'])]
    """
    norm = normalize(text)
    paragraphs = split_paragraphs(text)
    paths = section_paths(text, paragraphs)
    for (start, end), path in zip(paragraphs, paths):
        para = norm[start:end]
        if len(para) < min_chars or is_heading(para):
            continue
        heading = path.rsplit(" > ", 1)[-1] if path else ""
        context = lead_sentence(para) or heading
        labels = set()
        if context:
            strong = keyword_hits(context, taxonomy, strong=True)
            labels |= {name for name, n in strong.items() if n}
        for name, _ in keyword_themes(para, taxonomy, min_hits=min_hits, min_share=min_share):
            labels.add(name)
        yield para, [t.name for t in taxonomy if t.name in labels]
