"""qidu_nlp.rules.slogans.judge: the trained slogan judge, as it is stored and applied.

A :class:`SloganModel` is a ``DictVectorizer`` + logistic regression that says which candidates
are slogans, another pair for motto vs campaign, and the decision threshold chosen on held-out
folds. It is trained by :func:`qidu_nlp.training.slogans.train` and ships as
``qidu_nlp/data/slogans/model.joblib``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sklearn

from ...resources import data_folder, read_bytes
from ..judges import StoredJudge, vectorize

__all__ = ["SloganModel", "load_model", "vectorize", "MODEL_FILE", "MODEL_VERSION"]

MODEL_FILE = "model.joblib"
MODEL_VERSION = 1


class SloganModel(StoredJudge):
    """The trained judge: a vectoriser + classifier for slogan/no-slogan, and one for the kind.

    Attributes
    ----------
    threshold : float
        The decision threshold chosen on held-out folds.
    metrics : dict
        The cross-validated scores measured when it was trained.
    """

    def __init__(self, vec, clf, kind_vec, kind_clf, threshold: float, metrics: dict | None = None):
        self.vec = vec
        self.clf = clf
        self.kind_vec = kind_vec
        self.kind_clf = kind_clf
        self.threshold = float(threshold)
        self.metrics = metrics or {}

    def predict_proba(self, feats: list[dict]):
        if not feats:
            return np.zeros(0)
        return self.clf.predict_proba(vectorize(self.vec, feats))[:, 1]

    def predict_kind(self, feats: list[dict]) -> list[str]:
        if not feats:
            return []
        if self.kind_clf is None:
            return ["motto"] * len(feats)
        return [str(k) for k in self.kind_clf.predict(vectorize(self.kind_vec, feats))]

    version, what, retrain = MODEL_VERSION, "slogan model", "qidu train slogans GOLD.jsonl -o PATH"

    def _payload(self) -> dict:
        return {
            "version": MODEL_VERSION,
            "sklearn": sklearn.__version__,
            "vec": self.vec,
            "clf": self.clf,
            "kind_vec": self.kind_vec,
            "kind_clf": self.kind_clf,
            "threshold": self.threshold,
            "metrics": self.metrics,
        }

    @classmethod
    def _from_payload(cls, payload: dict) -> "SloganModel":
        return cls(payload["vec"], payload["clf"], payload["kind_vec"], payload["kind_clf"],
                   payload["threshold"], payload.get("metrics"))


@lru_cache(maxsize=1)
def load_model() -> SloganModel:
    """The packaged model (read once per process).

    Examples
    --------
    >>> m = load_model()
    >>> 0 < m.threshold < 1
    True
    """
    return SloganModel.from_bytes(read_bytes(data_folder("slogans"), MODEL_FILE))
