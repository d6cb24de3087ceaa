"""qidu_nlp.rules.themes.scores: the themes of texts, by the trained model and the keywords.

Examples
--------
>>> from qidu_nlp.rules.themes.model import load_model
>>> classify(["开展燃气安全专项整治，排查安全隐患，加强应急救援能力建设。"], model=load_model())
[[('安全生产', 1.0)]]
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .keywords import keyword_matrix
from .model import ThemeModel
from .taxonomy import Theme, load_taxonomy

__all__ = ["scores", "classify"]


def scores(
    texts: Sequence[str],
    model: ThemeModel | None,
    taxonomy: Sequence[Theme],
    *,
    keywords: bool = True,
    normalized: bool = False,
) -> np.ndarray:
    """Score matrix (texts × themes of ``taxonomy``).

    The model's probabilities, and where ``keywords`` is true (or there is no model) the
    keyword confidence mapped to ``0.5 + conf / 2`` (so a keyword theme passes a threshold of
    0.5); the larger of the two wins.
    """
    names = [t.name for t in taxonomy]
    out = np.zeros((len(texts), len(names)), dtype=np.float32)
    if model is not None:
        probs = model.predict_proba(texts, normalized=normalized)
        index = {n: j for j, n in enumerate(model.themes)}
        for j, n in enumerate(names):
            out[:, j] = probs[:, index[n]]
    if keywords or model is None:
        conf = keyword_matrix(texts, taxonomy, normalized=normalized)
        hit = conf > 0
        out[hit] = np.maximum(out[hit], 0.5 + conf[hit] / 2)
    return out


def classify(
    texts: Sequence[str],
    *,
    model: ThemeModel | None = None,
    taxonomy: Sequence[Theme] | None = None,
    threshold: float = 0.5,
    keywords: bool = True,
) -> list[list[tuple[str, float]]]:
    """Themes of each text, ``[(theme, score), ...]`` with score ≥ ``threshold``, best first.

    Uses ``model`` when given and its themes cover the taxonomy, plus (``keywords=True``) the
    keyword lexicon; without a model, the keyword lexicon alone.

    """
    taxonomy = load_taxonomy() if taxonomy is None else taxonomy
    if model is not None and not {t.name for t in taxonomy} <= set(model.themes):
        model = None
    S = scores(list(texts), model, taxonomy, keywords=keywords)
    names = [t.name for t in taxonomy]
    out = []
    for row in S:
        picked = [(names[j], round(float(row[j]), 3)) for j in np.argsort(-row) if row[j] >= threshold]
        out.append(picked)
    return out
