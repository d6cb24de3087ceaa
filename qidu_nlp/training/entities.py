"""qidu_nlp.training.entities: train the entity judge (``qidu train entities``).

The rules propose candidates (:func:`qidu_nlp.rules.entities.candidates`); the judge
(:class:`qidu_nlp.rules.entities.judge.EntityJudge`) learns which are names from the annotated
reports: a candidate is a positive example when a gold span has its offsets and label. Every
figure it reports is held out: documents are grouped by province and each province is scored
by a judge trained on the others (leave one province out); the threshold and the decoder are
chosen on those held-out predictions, and the shipped judge is then fitted on all documents.
Documents marked ``meta.split == "blind"`` are left out: they are scored once, at the end, by
the benchmark.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from ..evaluation.gold import group_of, load_gold, split_off_blind
from ..evaluation.scorer import score
from ..pipeline.docs import sentence_offsets, token_ends, token_starts
from ..pipeline.loader import load
from ..rules.entities import candidates, decide
from ..rules.entities.context import Context
from ..rules.entities.features import DocStats, span_features
from ..rules.entities.judge import DECODERS, MODEL_FILE, EntityJudge, merge_candidates
from ..rules.entities.lexicons import Lexicons, load_lexicons
from ..schema import ENTITY_LABELS
from ..text.normalize import normalize

__all__ = ["train", "examples", "Example"]

logger = logging.getLogger("qidu_nlp")

THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.1, 0.81, 0.05))


@dataclass
class Example:
    """One gold document as the judge sees it."""

    record: dict
    group: str
    ctx: Context
    cands: list[dict]
    merged: list[dict]
    feats: list[dict]
    y: np.ndarray


def examples(records: Iterable[dict], *, nlp=None, lex: Lexicons | None = None) -> list[Example]:
    """The gold records through the pipeline's first components (sentences, the slogans' token
    cuts), their candidates, features and labels."""
    nlp = nlp or load(components=["qidu_structure", "qidu_slogans"])
    lex = lex or load_lexicons()
    out = []
    records = list(records)
    for rec, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        ctx = Context.make(normalize(rec["text"]), sentence_offsets(doc), token_starts(doc), token_ends(doc), lex)
        cands = candidates(ctx)
        merged = merge_candidates(cands)
        stats = DocStats.of(ctx, merged)
        gold = {(s["start"], s["end"], s["label"]) for s in rec["spans"] if s["label"] in ENTITY_LABELS}
        y = np.array([int((c["start"], c["end"], c["label"]) in gold) for c in merged], dtype=np.int8)
        out.append(Example(rec, group_of(rec), ctx, cands, merged, [span_features(ctx, c, stats) for c in merged], y))
    return out


def _fit(exs: list[Example], C: float, seed: int) -> tuple[DictVectorizer, LogisticRegression]:
    vec = DictVectorizer()
    X = vec.fit_transform([f for ex in exs for f in ex.feats])
    y = np.concatenate([ex.y for ex in exs])
    clf = LogisticRegression(C=C, max_iter=5000, random_state=seed)
    clf.fit(X, y)
    return vec, clf


def _predictions(exs: list[Example], probs: dict[str, np.ndarray], judge: EntityJudge, thr: float) -> list[dict]:
    return [{"id": ex.record["id"], "text": ex.record["text"],
             "spans": decide(ex.ctx, ex.cands, judge, probs=probs[ex.record["id"]], threshold=thr)} for ex in exs]


def _scores(exs: list[Example], preds: list[dict]) -> dict:
    s = score([ex.record for ex in exs], preds, labels=list(ENTITY_LABELS))
    out = {lab: {k: round(v["strict"][k], 4) for k in ("precision", "recall", "f1")} | {"gold": v["gold"]}
           for lab, v in s["labels"].items()}
    out["micro"] = {k: round(s["micro"]["strict"][k], 4) for k in ("precision", "recall", "f1")}
    return out


def cross_validate(exs: list[Example], *, C: float = 1.0, seed: int = 0) -> dict:
    """Leave one province out: every document scored by a judge fitted on the other provinces,
    at every threshold and decoder; returns the scores of each and the best setting."""
    probs: dict[str, np.ndarray] = {}
    groups = sorted({ex.group for ex in exs})
    for group in groups:
        train_ex = [ex for ex in exs if ex.group != group]
        vec, clf = _fit(train_ex, C, seed)
        for ex in exs:
            if ex.group == group:
                probs[ex.record["id"]] = clf.predict_proba(vec.transform(ex.feats))[:, 1] if ex.feats else np.zeros(0)
    results = {}
    for decoder in DECODERS:
        judge = EntityJudge(None, None, 0.5, decoder)
        for thr in THRESHOLDS:
            results[(decoder, thr)] = _scores(exs, _predictions(exs, probs, judge, thr))
    best = max(results, key=lambda k: (results[k]["micro"]["f1"], -abs(k[1] - 0.5)))
    return {"groups": groups, "results": results, "best": best, "probs": probs}


def train(gold_paths: list[Path], output: Path | None = None, *, seed: int = 0, C: float = 1.0) -> dict:
    """Train the entity judge on gold files and write it to ``output`` (a folder or a file).

    Parameters
    ----------
    gold_paths : list of Path
        Gold files in the schema of ``ANNOTATION.md``.
    output : Path, optional
        A folder (the judge is written as ``judge.joblib`` in it) or a ``.joblib`` path.
    seed : int
        Random seed of the solver.
    C : float
        Inverse regularisation strength.

    Returns
    -------
    dict
        ``threshold``, ``decoder``, the leave-one-province-out scores per label (``cv``), the
        candidates' recall per label (the share of gold names some rule proposed), counts.

    Raises
    ------
    ValueError
        When fewer than two provinces are given.

    Documents marked ``meta.split == "blind"`` are left out (and counted as ``blind_left_out``):
    they are never training data.
    """
    by_path = {Path(path).name: load_gold(path) for path in gold_paths}
    records, blind = split_off_blind(rec for recs in by_path.values() for rec in recs)
    exs = examples(records)
    if len({ex.group for ex in exs}) < 2:
        raise ValueError("training the entity judge needs documents of at least two provinces for held-out folds")
    cv = cross_validate(exs, C=C, seed=seed)
    decoder, thr = cv["best"]
    vec, clf = _fit(exs, C, seed)
    recall = defaultdict(lambda: [0, 0])
    for ex in exs:
        proposed = {(c["start"], c["end"], c["label"]) for c in ex.merged}
        for s in ex.record["spans"]:
            if s["label"] in ENTITY_LABELS:
                recall[s["label"]][0] += (s["start"], s["end"], s["label"]) in proposed
                recall[s["label"]][1] += 1
    judge = EntityJudge(None, None, thr, decoder)
    by_file = {}
    for name, recs in by_path.items():
        ids = {r["id"] for r in recs}
        subset = [ex for ex in exs if ex.record["id"] in ids]
        if subset:
            by_file[name] = _scores(subset, _predictions(subset, cv["probs"], judge, thr))
    metrics = {
        "threshold": thr, "decoder": decoder, "cv": cv["results"][cv["best"]], "by_file": by_file,
        "cv_folds": "leave one province out", "groups": cv["groups"], "documents": len(exs),
        "candidates": int(sum(len(ex.merged) for ex in exs)),
        "candidate_recall": {lab: round(a / b, 4) for lab, (a, b) in sorted(recall.items()) if b},
        "C": C, "seed": seed, "blind_left_out": len(blind),
    }
    judge = EntityJudge(vec, clf, thr, decoder, metrics)
    if output is not None:
        output = Path(output)
        judge.save(output if output.suffix == ".joblib" else output / MODEL_FILE)
    logger.info("entity judge: %s", metrics)
    return metrics
