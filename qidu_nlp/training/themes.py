"""qidu_nlp.training.themes: train the theme classifier on weak labels (``qidu train themes``).

TF-IDF over character 1–3-grams with a one-vs-rest logistic regression, fitted on the weak
labels of :func:`qidu_nlp.rules.themes.keywords.weak_labels`, reproducibly (``seed``), written as a
small ``.npz`` (:class:`qidu_nlp.rules.themes.model.ThemeModel`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from ..rules.themes.keywords import weak_labels
from ..rules.themes.model import ThemeModel
from ..rules.themes.taxonomy import load_taxonomy

__all__ = ["train", "iter_corpus_texts", "TRAINING_FILES"]

# the corpora the shipped model was trained on (../shared/corpora, passed by the Makefile)
TRAINING_FILES = ("national_reports.jsonl", "policies.jsonl", "cpc_congress_reports.jsonl", "qidu_2024.txt")


def iter_corpus_texts(paths: Iterable[str | Path]) -> Iterator[str]:
    """Texts of corpus files: ``.txt`` (one document) or ``.jsonl`` (``text`` or ``zh`` field)."""
    for path in paths:
        path = Path(path)
        if path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        rec = json.loads(line)
                        text = rec.get("text") or rec.get("zh")
                        if text:
                            yield text
        else:
            yield path.read_text(encoding="utf-8")


def train(
    paths: Iterable[str | Path] | None,
    output: str | Path,
    *,
    seed: int = 0,
    taxonomy: str | Path | None = None,
    max_features: int = 40000,
    ngram_range: tuple[int, int] = (1, 3),
    C: float = 4.0,
    max_paragraphs: int | None = None,
) -> dict:
    """Train the theme classifier on weak labels of the corpora and write it to ``output``.

    Parameters
    ----------
    paths : iterable of path
        Corpus files (``.jsonl`` with a ``text``/``zh`` field, or ``.txt``).
    output : path
        Where the ``.npz`` model is written (``qidu_nlp/data/themes_model.npz`` ships).
    seed : int
        Seeds the paragraph shuffle and the solver: the same inputs give the same model.
    taxonomy : path, optional
        A taxonomy TOML (default: the packaged one).
    max_features, ngram_range, C
        Vectoriser size, character n-gram range, inverse regularisation strength.
    max_paragraphs : int, optional
        Subsample to this many paragraphs (quick runs).

    Raises
    ------
    ValueError
        When no corpus is given.

    Returns
    -------
    dict
        ``paragraphs``, ``labelled``, per-theme ``label_counts``, ``features``, ``output``,
        ``seed``, and the weak-label ``train_f1_micro`` (fit on the training data).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("一、突出产业赋能\\n持续壮大产业园区，加快重点项目建设，招引企业入驻园区。\\n二、推进乡村振兴\\n发展设施蔬菜，壮大村集体经济，带动农民增收致富。", encoding="utf-8")
    >>> info = train([d / "a.txt"], d / "m.npz", seed=0)
    >>> info["paragraphs"], info["label_counts"]["乡村振兴"]
    (2, 1)
    """
    paths = list(paths or [])
    if not paths:
        raise ValueError(
            "no training corpora: pass .jsonl/.txt files (the shipped model was trained on "
            f"{', '.join(TRAINING_FILES)} of the shared corpora)."
        )
    themes = load_taxonomy(taxonomy)
    names = [t.name for t in themes]
    texts, Y = _weakly_labelled(paths, themes, seed, max_paragraphs)
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=ngram_range, max_features=max_features,
        sublinear_tf=True, min_df=2 if len(texts) > 50 else 1, dtype=np.float32,
    )
    X = vectorizer.fit_transform(texts)
    coef, intercept = _fit_themes(X, Y, C, seed)
    config = {"ngram_range": list(ngram_range), "C": C, "seed": seed, "max_features": max_features}
    model = ThemeModel(names, vectorizer.get_feature_names_out(), vectorizer.idf_, coef, intercept, config)
    model.save(output)
    pred = (np.asarray(X @ coef.T + intercept) > 0).astype(int)
    return {
        "paragraphs": len(texts),
        "labelled": int((Y.sum(axis=1) > 0).sum()),
        "label_counts": {n: int(Y[:, j].sum()) for j, n in enumerate(names)},
        "features": int(X.shape[1]),
        "train_f1_micro": round(float(f1_score(Y, pred, average="micro", zero_division=0)), 4),
        "output": str(output),
        "seed": seed,
    }


def _fit_themes(X, Y: np.ndarray, C: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per theme (column of ``Y``): coefficients and intercepts."""
    coef = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float32)
    intercept = np.zeros(Y.shape[1], dtype=np.float32)
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.min() == y.max():  # no positive (or no negative) example: a constant score
            intercept[j] = 8.0 if y.max() else -8.0
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=seed)
        clf.fit(X, y)
        coef[j] = clf.coef_[0]
        intercept[j] = clf.intercept_[0]
    return coef, intercept


def _weakly_labelled(paths, themes, seed: int, max_paragraphs: int | None) -> tuple[list[str], np.ndarray]:
    """The paragraphs of the corpora, shuffled reproducibly (at most ``max_paragraphs``), and
    their weak labels as a 0/1 matrix (paragraphs × themes)."""
    names = [t.name for t in themes]
    texts, labels = [], []
    for text in iter_corpus_texts(paths):
        for para, labs in weak_labels(text, themes):
            texts.append(para)
            labels.append(labs)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(texts))
    if max_paragraphs is not None:
        order = order[:max_paragraphs]
    texts = [texts[i] for i in order]
    Y = np.array([[name in labs for name in names] for labs in (labels[i] for i in order)], dtype=np.int8)
    return texts, Y.reshape(len(texts), len(names))
