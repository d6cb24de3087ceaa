"""qidu_nlp.training.entities: train the entity judge (``qidu train entities``).

The rules propose candidates (:func:`qidu_nlp.rules.entities.candidates`); the judge
(:class:`qidu_nlp.rules.entities.judge.EntityJudge`) learns which are names from the annotated
reports: a candidate is a positive example when a gold span has its offsets and label. Every
figure it reports is held out: documents are grouped by province and each province is scored
by a judge trained on the others (leave one province out); the threshold and the decoder are
chosen on those held-out predictions, and the shipped judge is then fitted on all documents.
Documents marked ``meta.split == "blind"`` are left out: only the benchmark scores them, when a
round of work is done.

The annotated reports are short (town openings, paragraphs); the reports a researcher runs are
long city and county reports, where most candidates are no names. Mentions the pipeline found
in such reports, judged by hand (:mod:`qidu_nlp.evaluation.judgements`), are added as examples
of their own: each judged mention is one candidate, positive when judged ``ok``. They join the
training folds of every province but their own, and are scored the same way (the precision of
the mentions a judge trained without their province keeps).
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
from ..evaluation.judgements import judged_documents, load_judgements
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

__all__ = ["train", "examples", "judged_examples", "judged_scores", "cross_validate", "Example"]

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
    partial: bool = False  # judged mentions only: a training example, never scored as a document


def examples(records: Iterable[dict], *, nlp=None, lex: Lexicons | None = None) -> list[Example]:
    """The gold records with their candidates (:func:`_with_candidates`), features and labels
    (a candidate is positive when a gold span has its offsets and label)."""
    out = []
    for rec, ctx, cands, merged, stats in _with_candidates(records, nlp, lex):
        gold = {(s["start"], s["end"], s["label"]) for s in rec["spans"] if s["label"] in ENTITY_LABELS}
        y = np.array([int((c["start"], c["end"], c["label"]) in gold) for c in merged], dtype=np.int8)
        out.append(Example(rec, group_of(rec), ctx, cands, merged, [span_features(ctx, c, stats) for c in merged], y))
    return out


def _with_candidates(records: Iterable[dict], nlp, lex: Lexicons | None):
    """Each record with its Context (the pipeline's first components: sentences, the slogans'
    token cuts), its candidates, the merged candidates and their document statistics."""
    nlp = nlp or load(components=["qidu_structure", "qidu_slogans"])
    lex = lex or load_lexicons()
    records = list(records)
    for rec, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        ctx = Context.make(normalize(rec["text"]), sentence_offsets(doc), token_starts(doc), token_ends(doc), lex)
        cands = candidates(ctx)
        merged = merge_candidates(cands)
        yield rec, ctx, cands, merged, DocStats.of(ctx, merged)


def judged_examples(documents: Iterable[dict], *, nlp=None, lex: Lexicons | None = None) -> tuple[list[Example], int]:
    """The judged mentions of :func:`~qidu_nlp.evaluation.judgements.judged_documents` as
    examples: one per mention that is a candidate of the rules (a name found again by
    :func:`~qidu_nlp.rules.entities.select.propagate` is none, and is counted as missed).

    Returns the examples (``partial``) and the number of judged mentions that are no candidate.
    """
    out, missed = [], 0
    for rec, ctx, _, merged, stats in _with_candidates(documents, nlp, lex):
        at = {(c["start"], c["end"], c["label"]): c for c in merged}
        chosen, y = [], []
        for row in rec["judged"]:
            c = at.get((row["start"], row["end"], row["label"]))
            if c is None:
                missed += 1
                continue
            chosen.append(c)
            y.append(int(row["judgement"] == "ok"))
        rec = {**rec, "id": "judged:" + str(rec["id"])}  # never confused with a gold record's id
        out.append(Example(rec, group_of(rec), ctx, [], chosen, [span_features(ctx, c, stats) for c in chosen],
                           np.array(y, dtype=np.int8), partial=True))
    return out, missed


def _fit(exs: list[Example], C: float, seed: int) -> tuple[DictVectorizer, LogisticRegression]:
    # judged mentions (partial examples) count as much as gold candidates
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
    """Leave one province out: every document (and judged mention) scored by a judge fitted on
    the other provinces, the documents at every threshold and decoder; returns the scores of
    each, the best setting (by the documents' micro F1) and the held-out probabilities."""
    probs: dict[str, np.ndarray] = {}
    groups = sorted({ex.group for ex in exs})
    for group in groups:
        train_ex = [ex for ex in exs if ex.group != group]
        vec, clf = _fit(train_ex, C, seed)
        for ex in exs:
            if ex.group == group:
                probs[ex.record["id"]] = clf.predict_proba(vec.transform(ex.feats))[:, 1] if ex.feats else np.zeros(0)
    docs = [ex for ex in exs if not ex.partial]
    results = {}
    for decoder in DECODERS:
        judge = EntityJudge(None, None, 0.5, decoder)
        for thr in THRESHOLDS:
            results[(decoder, thr)] = _scores(docs, _predictions(docs, probs, judge, thr))
    best = max(results, key=lambda k: (results[k]["micro"]["f1"], -abs(k[1] - 0.5)))
    return {"groups": groups, "results": results, "best": best, "probs": probs}


def _candidate_recall(exs: list[Example]) -> dict[str, float]:
    """Per label, the share of gold names some rule proposed (the judge can keep no other)."""
    recall = defaultdict(lambda: [0, 0])
    for ex in exs:
        proposed = {(c["start"], c["end"], c["label"]) for c in ex.merged}
        for s in ex.record["spans"]:
            if s["label"] in ENTITY_LABELS:
                recall[s["label"]][0] += (s["start"], s["end"], s["label"]) in proposed
                recall[s["label"]][1] += 1
    return {lab: round(a / b, 4) for lab, (a, b) in sorted(recall.items()) if b}


# the documents' F1 a threshold may give up to keep the judged corpus mentions more precise
F1_GIVEN_UP = 0.005


def _most_precise(exs: list[Example], cv: dict) -> tuple[str, float]:
    """Of the settings whose held-out micro F1 on the documents is within ``F1_GIVEN_UP`` of
    the best, the one under which the judged mentions kept are most precise: the annotated
    documents are short and dense with names, the reports users run are long and sparse, and a
    threshold chosen on the documents alone keeps most of what the rules propose there."""
    results, best = cv["results"], cv["results"][cv["best"]]["micro"]["f1"]

    def precision(key):
        kept = [(v["kept"], v["kept_precision"] or 0.0) for v in judged_scores(exs, cv["probs"], key[1]).values()]
        return sum(k * p for k, p in kept) / max(1, sum(k for k, _ in kept))

    near = [k for k in results if results[k]["micro"]["f1"] >= best - F1_GIVEN_UP]
    return max(near, key=lambda k: (precision(k), results[k]["micro"]["f1"]))


def judged_scores(exs: list[Example], probs: dict[str, np.ndarray], thr: float) -> dict:
    """Per label, of the judged mentions: how many, the share judged ``ok`` (the precision of
    the pipeline that proposed them), and, of those a judge trained without their province
    scores at or above ``thr``, the precision and the share of the ``ok`` ones kept."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # judged, ok, kept, ok kept
    for ex in exs:
        if not ex.partial:
            continue
        for c, y, p in zip(ex.merged, ex.y, probs[ex.record["id"]]):
            t = tally[c["label"]]
            t[0] += 1
            t[1] += int(y)
            t[2] += int(p >= thr)
            t[3] += int(y and p >= thr)
    return {lab: {"judged": n, "ok_share": round(ok / n, 4), "kept": kept,
                  "kept_precision": round(okk / kept, 4) if kept else None,
                  "ok_kept": round(okk / ok, 4) if ok else None}
            for lab, (n, ok, kept, okk) in sorted(tally.items())}


def train(gold_paths: list[Path], output: Path | None = None, *, judgements: Iterable[Path] = (),
          corpus: Path | None = None, seed: int = 0, C: float = 1.0) -> dict:
    """Train the entity judge on gold files and write it to ``output`` (a folder or a file).

    Parameters
    ----------
    gold_paths : list of Path
        Gold files in the schema of ``ANNOTATION.md``.
    output : Path, optional
        A folder (the judge is written as ``judge.joblib`` in it) or a ``.joblib`` path.
    judgements : iterable of Path
        Files of mentions judged by hand (:mod:`qidu_nlp.evaluation.judgements`), read with
        their documents from ``corpus``.
    corpus : Path, optional
        The JSONL corpus of the judged mentions (needed when ``judgements`` are given).
    seed : int
        Random seed of the solver.
    C : float
        Inverse regularisation strength.

    Returns
    -------
    dict
        ``threshold``, ``decoder``, the leave-one-province-out scores per label (``cv``), the
        candidates' recall per label (the share of gold names some rule proposed), the judged
        mentions' held-out precision per label (``judged``), counts.

    Raises
    ------
    ValueError
        When fewer than two provinces are given, or judgements without a corpus.
    InputError
        On a bad judgement line (naming it), or one whose document is not in the corpus.

    Documents marked ``meta.split == "blind"`` are left out (and counted as ``blind_left_out``):
    they are never training data.
    """
    by_path = {Path(path).name: load_gold(path) for path in gold_paths}
    records, blind = split_off_blind(rec for recs in by_path.values() for rec in recs)
    judged_rows = [row for path in judgements for row in load_judgements(path)]
    if judged_rows and corpus is None:
        raise ValueError("judged mentions need the corpus they were found in (corpus=…, --corpus)")
    exs = examples(records)
    if len({ex.group for ex in exs}) < 2:
        raise ValueError("training the entity judge needs documents of at least two provinces for held-out folds")
    gold_exs = exs
    missed = 0
    if judged_rows:
        partial, missed = judged_examples(judged_documents(judged_rows, corpus))
        exs = exs + partial
    cv = cross_validate(exs, C=C, seed=seed)
    decoder, thr = cv["best"] if not judged_rows else _most_precise(exs, cv)
    vec, clf = _fit(exs, C, seed)
    judge = EntityJudge(None, None, thr, decoder)
    by_file = {}
    for name, recs in by_path.items():
        ids = {r["id"] for r in recs}
        subset = [ex for ex in gold_exs if ex.record["id"] in ids]
        if subset:
            by_file[name] = _scores(subset, _predictions(subset, cv["probs"], judge, thr))
    metrics = {
        "threshold": thr, "decoder": decoder, "cv": cv["results"][(decoder, thr)], "by_file": by_file,
        "cv_folds": "leave one province out", "groups": cv["groups"], "documents": len(gold_exs),
        "candidates": int(sum(len(ex.merged) for ex in gold_exs)),
        "judged": judged_scores(exs, cv["probs"], thr), "judged_not_candidates": missed,
        "candidate_recall": _candidate_recall(gold_exs),
        "C": C, "seed": seed, "blind_left_out": len(blind),
    }
    judge = EntityJudge(vec, clf, thr, decoder, metrics)
    if output is not None:
        output = Path(output)
        judge.save(output if output.suffix == ".joblib" else output / MODEL_FILE)
    logger.info("entity judge: %s", metrics)
    return metrics
