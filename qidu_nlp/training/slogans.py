"""qidu_nlp.training.slogans: train the slogan judge (``qidu train slogans``).

The judge (:class:`qidu_nlp.rules.slogans.judge.SloganModel`) is a logistic regression over the
candidate features, and a second one for motto vs campaign; the decision threshold is chosen on
out-of-fold predictions with folds grouped by province (``meta.province``; documents without
one are their own group), and the scores returned are those out-of-fold scores, never scores on
training data. Documents marked ``meta.split == "blind"`` are left out.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from ..evaluation import baselines
from ..evaluation.gold import group_of, load_gold, split_off_blind
from ..evaluation.scorer import score
from ..rules.slogans.candidates import find_candidates
from ..rules.slogans.detect import DEFAULT_THRESHOLD, cue_kind, decode, doc_counts, judge
from ..rules.slogans.features import candidate_features, kind_features, rule_kind
from ..rules.slogans.judge import SloganModel
from ..rules.slogans.lexicons import Lexicons, load_lexicons
from ..schema import SLOGAN as LABEL
from ..text.normalize import normalize

__all__ = ["train"]

logger = logging.getLogger("qidu_nlp")


def _examples(records: Sequence[dict], lexicons: Lexicons) -> list[dict]:
    out = []
    for rec in records:
        norm = normalize(rec["text"])
        gold = {(s["start"], s["end"]): s.get("kind") for s in rec["spans"] if s["label"] == LABEL}
        cands = find_candidates(norm, lexicons)
        feats = candidate_features(norm, cands, lexicons, doc_counts=doc_counts(norm, cands))
        y = [int((c["start"], c["end"]) in gold) for c in cands]
        kind_rows = []
        for c in cands:
            key = (c["start"], c["end"])
            if key in gold and rule_kind(norm[key[0] : key[1]], c, lexicons) is None and cue_kind(norm, c, lexicons) is None:
                kind_rows.append((kind_features(norm, c, lexicons), gold[key]))
        out.append({"id": str(rec["id"]), "record": rec, "norm": norm, "cands": cands, "feats": feats, "y": y, "kind_rows": kind_rows})
    return out


def _fit(examples: list[dict], seed: int):
    feats = [f for ex in examples for f in ex["feats"]]
    y = [v for ex in examples for v in ex["y"]]
    vec = DictVectorizer()
    X = vec.fit_transform(feats)
    clf = LogisticRegression(C=1.0, max_iter=5000, random_state=seed)
    clf.fit(X, y)
    krows = [r for ex in examples for r in ex["kind_rows"]]
    kind_vec = kind_clf = None
    if len({k for _, k in krows}) >= 2:
        kind_vec = DictVectorizer()
        KX = kind_vec.fit_transform([f for f, _ in krows])
        kind_clf = LogisticRegression(C=1.0, max_iter=5000, random_state=seed)
        kind_clf.fit(KX, [k for _, k in krows])
    return vec, clf, kind_vec, kind_clf


def _score_preds(examples: list[dict], preds: dict) -> dict:
    gold = [ex["record"] for ex in examples]
    pred = [{"id": ex["record"]["id"], "text": ex["record"]["text"], "spans": preds[ex["id"]]} for ex in examples]
    s = score(gold, pred, labels=[LABEL])
    lab = s["labels"].get(LABEL, {})
    return {
        "strict_precision": round(lab["strict"]["precision"], 4),
        "strict_recall": round(lab["strict"]["recall"], 4),
        "strict_f1": round(lab["strict"]["f1"], 4),
        "overlap_f1": round(lab["overlap"]["f1"], 4),
        "kind_accuracy": round(s["slogan_kind"]["accuracy"], 4) if s["slogan_kind"]["n"] else 0.0,
    }


def train(gold_paths: list[Path], output: Path, *, seed: int = 0, n_splits: int = 5) -> dict:
    """Train the slogan judge on gold JSONL files and write the model to ``output``.

    The decision threshold is chosen on out-of-fold predictions (k-fold grouped by province),
    and the returned metrics are those out-of-fold scores: never scores on training data.

    Parameters
    ----------
    gold_paths : list of Path
        Gold files in the schema of ``ANNOTATION.md`` (SLOGAN spans with ``kind``).
    output : Path
        Where to write the model (joblib).
    seed : int
        Random seed (fold assignment is deterministic; the seed reaches the classifiers).
    n_splits : int
        Number of folds (at most the number of documents).

    Raises
    ------
    ValueError
        When the gold files hold fewer than two documents (no held-out fold is possible).

    Returns
    -------
    dict
        ``threshold``, cross-validated ``strict_f1``, ``overlap_f1``, ``kind_accuracy``,
        precision/recall, the same for the rules baseline (``rules_*``), and counts.
    """
    lexicons = load_lexicons()
    records, blind = split_off_blind(rec for path in gold_paths for rec in load_gold(path))
    examples = _examples(records, lexicons)
    if len(examples) < 2:
        raise ValueError(
            f"training the slogan judge needs at least two documents for held-out folds, got {len(examples)}; "
            "pass more gold files"
        )
    groups, grouped = _groups(examples)
    n_splits = max(2, min(n_splits, len(set(groups.values()))))
    oof_scores, fold_models = _out_of_fold(examples, groups, n_splits, seed)

    def run(thr: float) -> dict:
        preds = {
            ex["id"]: decode(ex["norm"], ex["cands"], oof_scores[ex["id"]], threshold=thr,
                             model=fold_models[ex["id"]], lexicons=lexicons)
            for ex in examples
        }
        return _score_preds(examples, preds)

    grid = [round(x, 2) for x in np.arange(0.2, 0.81, 0.05)]
    results = {thr: run(thr) for thr in grid}
    best = float(max(grid, key=lambda t: (results[t]["strict_f1"], -abs(t - 0.5))))
    metrics = {"threshold": best, **results[best]}
    best_preds = {
        ex["id"]: decode(ex["norm"], ex["cands"], oof_scores[ex["id"]], threshold=best,
                         model=fold_models[ex["id"]], lexicons=lexicons)
        for ex in examples
    }
    by_file = {}
    for path in gold_paths:
        ids = {str(r["id"]) for r in load_gold(path)}
        subset = [ex for ex in examples if ex["id"] in ids]
        if subset:
            by_file[Path(path).name] = _score_preds(subset, best_preds)
    metrics["by_file"] = by_file
    metrics.update(_counts(examples, records))
    metrics.update({"folds": n_splits, "fold_groups": "province" if grouped else "document", "seed": seed,
                    "blind_left_out": len(blind)})
    vec, clf, kvec, kclf = _fit(examples, seed)
    model = SloganModel(vec, clf, kvec, kclf, best, metrics)
    model.save(output)
    logger.info("slogan model written to %s: %s", output, metrics)
    return metrics


def _groups(examples: list[dict]) -> tuple[dict[str, str], bool]:
    """The fold group of each document: its province, or itself when all share one province."""
    groups = {ex["id"]: group_of(ex["record"]) for ex in examples}
    if len(set(groups.values())) >= 2:
        return groups, True
    return {ex["id"]: ex["id"] for ex in examples}, False


def _counts(examples: list[dict], records: list[dict]) -> dict:
    """The rules baseline's scores on the same documents, and the counts of gold and candidates."""
    base = {ex["id"]: baselines.rules_baseline(ex["record"]["text"]) for ex in examples}
    out = {"rules_" + k: v for k, v in _score_preds(examples, base).items()}
    gold = sum(1 for r in records for s in r["spans"] if s["label"] == LABEL)
    out.update({"documents": len(examples), "gold_slogans": gold,
                "candidates": sum(len(ex["cands"]) for ex in examples),
                "candidate_recall": round(sum(sum(ex["y"]) for ex in examples) / max(1, gold), 4)})
    return out


def _out_of_fold(examples: list[dict], groups: dict[str, str], n_splits: int, seed: int) -> tuple[dict, dict]:
    """The judge's scores of every document by a model that never saw its group (its province:
    the groups shuffled into ``n_splits`` folds reproducibly), and that model per document."""
    rng = np.random.RandomState(seed)
    names = sorted(set(groups.values()))
    order = rng.permutation(len(names))
    fold_of_group = {names[i]: k % n_splits for k, i in enumerate(order)}
    fold_of = {ex["id"]: fold_of_group[groups[ex["id"]]] for ex in examples}
    oof_scores: dict[str, np.ndarray] = {}
    fold_models: dict[str, SloganModel] = {}
    for k in range(n_splits):
        train_ex = [ex for ex in examples if fold_of[ex["id"]] != k]
        test_ex = [ex for ex in examples if fold_of[ex["id"]] == k]
        vec, clf, kvec, kclf = _fit(train_ex, seed)
        m = SloganModel(vec, clf, kvec, kclf, DEFAULT_THRESHOLD)
        for ex in test_ex:
            oof_scores[ex["id"]] = judge(ex["norm"], ex["cands"], m.predict_proba(ex["feats"]))
            fold_models[ex["id"]] = m
    return oof_scores, fold_models
