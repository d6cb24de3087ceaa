"""qidu_nlp.rules.entities.judge: the trained entity judge, as it is stored and applied.

The rules propose candidate spans with a label (:func:`qidu_nlp.rules.entities.candidates`);
the judge, a logistic regression over the features of :mod:`.features`, gives each the
probability that it is a name of that label, and :meth:`EntityJudge.decode` keeps the
candidates at or above the threshold as one flat layer. It is trained by
:func:`qidu_nlp.training.entities.train` (``qidu train entities``) on the annotated reports and
ships as ``qidu_nlp/data/entities/judge.joblib``.
"""

from __future__ import annotations

import numpy as np
import sklearn

from ..judges import StoredJudge, vectorize
from .context import Context
from .features import DocStats, span_features
from .select import PRIORITY

__all__ = ["EntityJudge", "merge_candidates", "MODEL_FILE", "MODEL_VERSION", "DECODERS"]

MODEL_FILE = "judge.joblib"
MODEL_VERSION = 1
DECODERS = ("longest", "score")


def merge_candidates(cands: list[dict]) -> list[dict]:
    """One candidate per (start, end, label), with the ``sources`` of every rule that proposed it
    (the first proposal's other attributes are kept)."""
    merged: dict[tuple, dict] = {}
    for c in cands:
        key = (c["start"], c["end"], c["label"])
        if key not in merged:
            merged[key] = {**c, "sources": []}
        src = c.get("source", "rules")
        if src not in merged[key]["sources"]:
            merged[key]["sources"].append(src)
    return list(merged.values())


class EntityJudge(StoredJudge):
    """Which candidate spans are names.

    Parameters
    ----------
    vec : DictVectorizer
        The fitted feature vocabulary.
    clf : LogisticRegression
        The fitted classifier (class 1: the span is a name of its label).
    threshold : float
        Probability at or above which a candidate is kept (chosen on held-out folds).
    decoder : {"longest", "score"}
        How overlapping kept candidates are resolved: the longest first (ties by label
        priority), or the most probable first.
    metrics : dict
        The held-out scores measured when it was trained.
    """

    def __init__(self, vec, clf, threshold: float, decoder: str = "longest", metrics: dict | None = None):
        self.vec, self.clf = vec, clf
        self.threshold = float(threshold)
        self.decoder = decoder
        self.metrics = metrics or {}

    def score(self, ctx: Context, cands: list[dict]) -> np.ndarray:
        """The probability of each (merged) candidate."""
        if not cands:
            return np.zeros(0)
        stats = DocStats.of(ctx, cands)
        X = vectorize(self.vec, [span_features(ctx, c, stats) for c in cands])
        return self.clf.predict_proba(X)[:, 1]

    def decode(self, cands: list[dict], probs, threshold: float | None = None) -> list[dict]:
        """The kept candidates as one flat, non-overlapping layer, in text order; each gets its
        probability as ``score``."""
        thr = self.threshold if threshold is None else threshold
        kept = [{**c, "score": float(p)} for c, p in zip(cands, probs) if p >= thr]
        if self.decoder == "score":
            order = sorted(kept, key=lambda c: (-c["score"], -(c["end"] - c["start"]), c["start"]))
        else:
            order = sorted(kept, key=lambda c: (-(c["end"] - c["start"]), -PRIORITY[c["label"]], -c["score"],
                                                c["start"]))
        taken = bytearray(max((c["end"] for c in kept), default=0) + 1)
        out = []
        for c in order:
            if any(taken[c["start"]:c["end"]]):
                continue
            taken[c["start"]:c["end"]] = b"\x01" * (c["end"] - c["start"])
            out.append(c)
        return sorted(out, key=lambda c: c["start"])

    # -- storage (:class:`qidu_nlp.rules.judges.StoredJudge`)
    version, what, retrain = MODEL_VERSION, "entity judge", "qidu train entities GOLD.jsonl -o DIR"

    def _payload(self) -> dict:
        return {"version": MODEL_VERSION, "sklearn": sklearn.__version__, "vec": self.vec, "clf": self.clf,
                "threshold": self.threshold, "decoder": self.decoder, "metrics": self.metrics}

    @classmethod
    def _from_payload(cls, payload: dict) -> "EntityJudge":
        return cls(payload["vec"], payload["clf"], payload["threshold"], payload.get("decoder", "longest"),
                   payload.get("metrics"))
