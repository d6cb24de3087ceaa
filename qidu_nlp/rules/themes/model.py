"""qidu_nlp.rules.themes.model: the trained theme classifier, as it is stored and applied.

Character 1–3-gram TF-IDF and one logistic regression per theme, trained on weak labels by
:func:`qidu_nlp.training.themes.train`; stored as one ``.npz`` (no pickle), shipped as
``qidu_nlp/data/themes_model.npz``.
"""

from __future__ import annotations

import io
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from ...resources import data_folder, read_bytes
from ...text.normalize import normalize
from .char_tfidf import CharTfidf

__all__ = ["ThemeModel", "load_model", "MODEL_FILE"]

logger = logging.getLogger("qidu_nlp")

MODEL_FILE = "themes_model.npz"


class ThemeModel:
    """A trained theme classifier: character n-gram TF-IDF and one logistic regression per theme.

    Stored as one ``.npz`` (vocabulary, idf, coefficients, intercepts, theme names, config),
    so it loads with numpy alone and does not depend on the scikit-learn version's pickles.
    """

    def __init__(self, themes, vocabulary, idf, coef, intercept, config):
        self.themes = list(themes)
        self.config = dict(config)
        self.vocabulary = [str(term) for term in vocabulary]
        # sklearn's TfidfVectorizer(analyzer="char", sublinear_tf=True) fitted the model; the
        # same transform in numpy (qidu_nlp.char_tfidf) is ten times faster at prediction
        self.vectorizer = CharTfidf(self.vocabulary, idf, tuple(self.config["ngram_range"]), sublinear_tf=True)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        # the (features × themes) float64 matrix the sparse product wants, made once: made per
        # call (a transposed copy, then a C-order copy inside scipy) it cost 0.6 ms a call
        self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float64)

    def predict_proba(self, texts: Sequence[str], *, normalized: bool = False) -> np.ndarray:
        """Probabilities, shape ``(len(texts), len(self.themes))``.

        ``normalized=True`` says the texts are already :func:`qidu_nlp.text.normalize`-d (the
        component's case), which skips doing it again.
        """
        if len(texts) == 0:
            return np.zeros((0, len(self.themes)), dtype=np.float32)
        X = self.vectorizer.transform(texts if normalized else [normalize(t) for t in texts])
        z = X @ self._coef_t + self.intercept
        return (1.0 / (1.0 + np.exp(-np.asarray(z)))).astype(np.float32)

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed ``.npz``."""
        np.savez_compressed(
            path,
            themes=np.array(self.themes),
            vocabulary=np.array(self.vocabulary),
            idf=self.vectorizer.idf.astype(np.float32),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
            config=np.array(json.dumps(self.config, ensure_ascii=False)),
        )

    @classmethod
    def load(cls, path: str | Path) -> "ThemeModel":
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            return cls(
                data["themes"].tolist(),
                data["vocabulary"].tolist(),
                data["idf"],
                data["coef"].astype(np.float32),
                data["intercept"],
                json.loads(str(data["config"])),
            )

    def to_bytes(self) -> bytes:
        """The ``.npz`` file's bytes."""
        buf = io.BytesIO()
        self.save(buf)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "ThemeModel":
        """A model from the bytes of its ``.npz`` file."""
        return cls.load(io.BytesIO(data))


@lru_cache(maxsize=1)
def load_model() -> ThemeModel:
    """The packaged model (read once per process).

    Examples
    --------
    >>> load_model().themes[:2]
    ['产业发展', '乡村振兴']
    """
    return ThemeModel.from_bytes(read_bytes(data_folder(), MODEL_FILE))
