"""qidu_nlp.slogans: find, delimit, classify and inventory the slogans of policy language.

The ``qidu_slogans`` component writes ``doc.spans["slogans"]`` (label ``SLOGAN``) following
``ANNOTATION.md``: each span is the slogan without its quotation marks and carries
``span._.kind`` (numeric, motto, campaign, formula), ``span._.norm`` (canonical form),
``span._.frame`` (the head noun after it, or None) and ``span._.score`` (a probability).

How it works (see :mod:`qidu_nlp.slogan_features` for the pure parts):

1. candidates: quoted text in every quote style, unquoted numeral abbreviations by a grammar
   over numerals and digits, the closed list of national formulas;
2. a judge: a logistic regression over hand-made features and character n-grams decides which
   candidates are slogans (threshold chosen on held-out folds grouped by document); overlaps
   are resolved by score;
3. kinds: the forms the guide fixes (formula, numeral-built set names) by rule, the rest
   (motto vs campaign) by a second logistic regression;
4. a second pass marks unquoted repetitions of slogans the same document quoted (or that a
   corpus-level set passed as ``known`` holds).

The trained model ships as ``qidu_nlp/data/slogans/model.joblib``; :func:`train` rebuilds it
from gold JSONL files (``qidu train slogans GOLD.jsonl … -o PATH``) and returns
cross-validated scores. :func:`inventory` turns Docs or a mention table into one row per
slogan.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional, Sequence, Union

from spacy.language import Language
from spacy.tokens import Doc

from .slogan_features import (
    Lexicons,
    candidate_features,
    find_candidates,
    find_frame,
    kind_features,
    load_lexicons,
    repeat_candidates,
    rule_kind,
    rule_scores,
    slogan_norm,
    _quoted_mask,
    quoted_candidates,
)
from .spans import write_spans
from .text import doc_text, normalize, sentence_offsets

logger = logging.getLogger("qidu_nlp")

__all__ = ["SloganDetector", "make_slogans", "detect", "train", "inventory", "load_model", "SloganModel"]

SPANS_KEY = "slogans"
LABEL = "SLOGAN"
KINDS = ("numeric", "motto", "campaign", "formula")
MODEL_FILE = "model.joblib"
MODEL_VERSION = 1
DEFAULT_THRESHOLD = 0.5


# --- the model ------------------------------------------------------------------------------


class SloganModel:
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
        import numpy as np

        if not feats:
            return np.zeros(0)
        return self.clf.predict_proba(vectorize(self.vec, feats))[:, 1]

    def predict_kind(self, feats: list[dict]) -> list[str]:
        if not feats:
            return []
        if self.kind_clf is None:
            return ["motto"] * len(feats)
        return [str(k) for k in self.kind_clf.predict(vectorize(self.kind_vec, feats))]

    def save(self, path: Union[str, Path]) -> Path:
        import joblib
        import sklearn

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": MODEL_VERSION,
            "sklearn": sklearn.__version__,
            "vec": self.vec,
            "clf": self.clf,
            "kind_vec": self.kind_vec,
            "kind_clf": self.kind_clf,
            "threshold": self.threshold,
            "metrics": self.metrics,
        }
        joblib.dump(payload, path, compress=3)
        return path

    @classmethod
    def load(cls, path: Union[str, Path]) -> "SloganModel":
        import joblib

        payload = joblib.load(path)
        if payload.get("version") != MODEL_VERSION:
            raise ValueError(
                f"slogan model {path} has version {payload.get('version')!r}, expected {MODEL_VERSION}; "
                "retrain it with `qidu train slogans GOLD.jsonl -o PATH`"
            )
        return cls(
            payload["vec"], payload["clf"], payload["kind_vec"], payload["kind_clf"],
            payload["threshold"], payload.get("metrics"),
        )


def packaged_model_path() -> Path:
    """Path of the model file shipped in ``qidu_nlp/data/slogans/``."""
    return Path(str(resources.files("qidu_nlp") / "data" / "slogans" / MODEL_FILE))


@lru_cache(maxsize=4)
def load_model(path: Optional[str] = None) -> Optional[SloganModel]:
    """Load a slogan model (default: the packaged one); None when the packaged file is absent."""
    target = Path(path) if path else packaged_model_path()
    if not target.is_file():
        if path:
            raise FileNotFoundError(f"slogan model not found: {target}; train one with `qidu train slogans`")
        logger.warning("no packaged slogan model at %s: falling back to rules", target)
        return None
    return SloganModel.load(target)


# --- pure detection -------------------------------------------------------------------------


def _rule_scores(norm: str, cands: list[dict], feats: list[dict]) -> list[float]:
    """Scores without a model: quoted text unless a rejection cue is near, formulas, numeral runs."""
    out = []
    for c, f in zip(cands, feats):
        if c["source"] == "formula":
            out.append(1.0)
        elif c["source"] == "quoted":
            reject = any(k in f for k in ("cueL=honour", "cueR=honour", "cueL=emphasis", "cueR=emphasis", "cueR=product"))
            out.append(0.0 if reject or f.get("book") else 1.0)
        else:
            out.append(1.0 if c.get("pattern") in ("plan", "parallel") and c["end"] - c["start"] == 4 else 0.0)
    return out


def judge(norm: str, cands: list[dict], probs, lexicons: Optional[Lexicons] = None) -> list[float]:
    """Final scores: the guide's rules for unquoted candidates, the judge's probability for quoted ones."""
    fixed = rule_scores(norm, cands, lexicons)
    return [float(p) if r is None else r for p, r in zip(probs, fixed)]


def _resolve(cands: list[dict], scores, threshold: float) -> list[tuple[dict, float]]:
    """Keep candidates at or above the threshold; among overlapping ones the best score wins."""
    chosen: list[tuple[dict, float]] = []
    order = sorted(
        (i for i in range(len(cands)) if scores[i] >= threshold),
        key=lambda i: (-scores[i], -(cands[i]["end"] - cands[i]["start"]), cands[i]["start"]),
    )
    for i in order:
        c = cands[i]
        if any(c["start"] < o["end"] and o["start"] < c["end"] for o, _ in chosen):
            continue
        chosen.append((c, float(scores[i])))
    chosen.sort(key=lambda x: x[0]["start"])
    return chosen


def _kinds(norm: str, chosen: list[tuple[dict, float]], model: Optional[SloganModel], lexicons: Lexicons) -> list[str]:
    kinds: list[Optional[str]] = []
    for c, _ in chosen:
        body = norm[c["start"] : c["end"]]
        kinds.append(rule_kind(body, c, lexicons) or cue_kind(norm, c, lexicons))
    open_idx = [i for i, k in enumerate(kinds) if k is None]
    if open_idx:
        if model is not None:
            feats = [kind_features(norm, chosen[i][0], lexicons) for i in open_idx]
            guesses = model.predict_kind(feats)
        else:
            guesses = [_campaign_rule(norm, chosen[i][0], lexicons) for i in open_idx]
        for i, g in zip(open_idx, guesses):
            kinds[i] = g
    return [k or "motto" for k in kinds]


def cue_kind(norm: str, cand: dict, lexicons: Lexicons) -> Optional[str]:
    """Campaign or motto when a lexicon cue decides it, else None (the kind model decides).

    ``campaign`` when the slogan ends with a campaign head (行动, 计划, 工程 …), its frame is one
    (“敲门”行动) or a campaign verb runs it (开展“以购代捐”); ``motto`` when its frame is a
    vision, requirement or strategy (目标, 要求, 战略 …) or it is a parallel line with separators.

    Examples
    --------
    >>> t = "开展“敲门”行动，实施“强省会”战略"
    >>> from qidu_nlp.slogan_features import quoted_candidates
    >>> [cue_kind(t, c, load_lexicons()) for c in quoted_candidates(t)]
    ['campaign', 'motto']
    """
    body = norm[cand["start"] : cand["end"]]
    cues = lexicons.cues
    heads = cues.get("campaign_head", ())
    frame = find_frame(norm, cand["end"], lexicons) or ""
    qs = cand["start"] - 1 if cand["quote"] else cand["start"]
    if body.endswith(heads) or (frame and frame.endswith(heads)):
        return "campaign"
    if norm[max(0, qs - 2) : qs] in cues.get("campaign_verb", ()):
        return "campaign"
    if frame in cues.get("motto_frame", ()) or any(ch in "、，, +·" for ch in body):
        return "motto"
    return None


_NUMERIC = (int, float, bool)


def vectorize(vec, feats: list[dict]):
    """``vec.transform(feats)`` for a fitted ``DictVectorizer`` and feature dicts whose values are
    all numbers (the slogan features' case), by one vocabulary lookup per feature.

    sklearn's transform dispatches on the type of every value through the ``numbers`` ABCs: 3 ms
    for the 83 candidates of the bundled report, a third of the slogan component's time; this
    gives the same matrix (tested) in a tenth of that. Dicts with other values go to sklearn.

    Examples
    --------
    >>> from sklearn.feature_extraction import DictVectorizer
    >>> vec = DictVectorizer().fit([{"src=quoted": 1, "len": 4.0}])
    >>> vectorize(vec, [{"src=quoted": 1, "unseen": 1, "len": 2.0}]).toarray().tolist()
    [[2.0, 1.0]]
    """
    import numpy as np
    from scipy import sparse

    vocab = vec.vocabulary_
    indices: list[int] = []
    values: list[float] = []
    indptr = [0]
    for f in feats:
        for key, value in f.items():
            if type(value) not in _NUMERIC:
                return vec.transform(feats)
            j = vocab.get(key)
            if j is not None:
                indices.append(j)
                values.append(value)
        indptr.append(len(indices))
    X = sparse.csr_matrix((np.asarray(values, dtype=vec.dtype), np.asarray(indices, dtype=np.int32),
                           np.asarray(indptr, dtype=np.int32)), shape=(len(feats), len(vocab)))
    X.sort_indices()
    return X


def _campaign_rule(norm: str, cand: dict, lexicons: Lexicons) -> str:
    body = norm[cand["start"] : cand["end"]]
    frame = find_frame(norm, cand["end"], lexicons) or ""
    heads = ("行动", "活动", "工程", "计划", "经验", "工作法", "月", "节")
    return "campaign" if body.endswith(heads) or frame.endswith(("行动", "活动", "工程", "品牌")) else "motto"


def decode(
    norm: str,
    cands: list[dict],
    scores,
    *,
    threshold: float,
    model: Optional[SloganModel],
    lexicons: Lexicons,
    known: Optional[dict] = None,
) -> list[dict]:
    """Turn judged candidates into slogan span dicts (overlaps, kinds, frames, repetitions).

    Parameters
    ----------
    norm : str
        The normalised text.
    cands : list of dict
        Candidates from :func:`qidu_nlp.slogan_features.find_candidates`.
    scores : sequence of float
        The judge's probability per candidate.
    threshold : float
        Decision threshold.
    model : SloganModel or None
        Gives the motto/campaign kinds (rules when None).
    lexicons : Lexicons
        Formula list, frames, cues.
    known : dict, optional
        Corpus-level slogans (norm → kind) whose unquoted repetitions are marked too.

    Returns
    -------
    list of dict
        ``{"start", "end", "label", "kind", "norm", "frame", "score"}`` in document order.
    """
    chosen = _resolve(cands, scores, threshold)
    kinds = _kinds(norm, chosen, model, lexicons)
    items = []
    for (c, score), kind in zip(chosen, kinds):
        body = norm[c["start"] : c["end"]]
        items.append(
            {
                "start": c["start"],
                "end": c["end"],
                "label": LABEL,
                "kind": kind,
                "norm": slogan_norm(body),
                "frame": find_frame(norm, c["end"], lexicons),
                "score": round(score, 4),
            }
        )
    # second pass: unquoted repetitions of slogans quoted here (or known to the corpus)
    seen: dict[str, tuple[str, float]] = {}
    for it, (c, score) in zip(items, chosen):
        if c["source"] == "quoted":
            seen.setdefault(norm[c["start"] : c["end"]], (it["kind"], it["score"]))
    for text, kind in (known or {}).items():
        seen.setdefault(text, (kind, 1.0))
    if seen:
        mask = _quoted_mask(norm, quoted_candidates(norm))
        taken = [(it["start"], it["end"]) for it in items]
        for c in repeat_candidates(norm, {t: k for t, (k, _) in seen.items()}):
            s, e = c["start"], c["end"]
            if any(mask[s:e]) or any(s < te and ts < e for ts, te in taken):
                continue
            if s > 0 and norm[s - 1 : s + 1] in lexicons.blocked:
                continue
            body = norm[s:e]
            kind, score = seen[body]
            if kind == "motto" or kind == "campaign":
                kind = kind  # a repetition keeps the kind of the quoted mention
            items.append(
                {"start": s, "end": e, "label": LABEL, "kind": kind, "norm": slogan_norm(body),
                 "frame": find_frame(norm, e, lexicons), "score": score}
            )
            taken.append((s, e))
        items.sort(key=lambda it: it["start"])
    return items


def _doc_counts(norm: str, cands: list[dict]) -> dict:
    bodies = Counter(norm[c["start"] : c["end"]] for c in cands)
    return {b: norm.count(b) for b in bodies}


def detect(
    text: str,
    *,
    model: Optional[SloganModel] = None,
    lexicons: Optional[Lexicons] = None,
    threshold: Optional[float] = None,
    use_model: bool = True,
    known: Optional[dict] = None,
) -> list[dict]:
    """Find the slogans of a text (no spaCy needed); the pure core of the component.

    Parameters
    ----------
    text : str
        Any text.
    model : SloganModel, optional
        Default: the packaged model.
    lexicons : Lexicons, optional
        Default: the packaged lexicons.
    threshold : float, optional
        Default: the model's threshold chosen on held-out folds.
    use_model : bool
        False judges by simple rules instead of the classifier.
    known : dict, optional
        Corpus-level slogans (surface → kind) to find unquoted too.

    Returns
    -------
    list of dict
        Gold-schema span dicts with ``kind``, ``norm``, ``frame``, ``score``.

    Examples
    --------
    >>> t = "围绕“1221”工作体系，聚焦“强富美优”城市愿景，实现人居环境“旧貌”换“新颜”。"
    >>> [(t[s["start"]:s["end"]], s["kind"], s["frame"]) for s in detect(t)]
    [('1221', 'numeric', '工作体系'), ('强富美优', 'motto', '城市愿景')]
    """
    lexicons = lexicons or load_lexicons()
    if use_model and model is None:
        model = load_model()
    norm = normalize(text)
    cands = find_candidates(norm, lexicons)
    feats = candidate_features(norm, cands, lexicons, doc_counts=_doc_counts(norm, cands))
    if use_model and model is not None:
        scores = judge(norm, cands, model.predict_proba(feats))
        thr = model.threshold if threshold is None else threshold
    else:
        scores = judge(norm, cands, _rule_scores(norm, cands, feats))
        thr = 0.5 if threshold is None else threshold
        model = None
    return decode(norm, cands, scores, threshold=thr, model=model, lexicons=lexicons, known=known)


# --- training -------------------------------------------------------------------------------


def _examples(records: Sequence[dict], lexicons: Lexicons) -> list[dict]:
    out = []
    for rec in records:
        norm = normalize(rec["text"])
        gold = {(s["start"], s["end"]): s.get("kind") for s in rec["spans"] if s["label"] == LABEL}
        cands = find_candidates(norm, lexicons)
        feats = candidate_features(norm, cands, lexicons, doc_counts=_doc_counts(norm, cands))
        y = [int((c["start"], c["end"]) in gold) for c in cands]
        kind_rows = []
        for c in cands:
            key = (c["start"], c["end"])
            if key in gold and rule_kind(norm[key[0] : key[1]], c, lexicons) is None and cue_kind(norm, c, lexicons) is None:
                kind_rows.append((kind_features(norm, c, lexicons), gold[key]))
        out.append({"id": str(rec["id"]), "record": rec, "norm": norm, "cands": cands, "feats": feats, "y": y, "kind_rows": kind_rows})
    return out


def _fit(examples: list[dict], seed: int):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

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
    from .evaluation import score

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

    The decision threshold is chosen on out-of-fold predictions (grouped k-fold by document),
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
    import numpy as np

    from . import baselines
    from .evaluation import load_gold

    lexicons = load_lexicons()
    records = [rec for path in gold_paths for rec in load_gold(path)]
    examples = _examples(records, lexicons)
    if len(examples) < 2:
        raise ValueError(
            f"training the slogan judge needs at least two documents for held-out folds, got {len(examples)}; "
            "pass more gold files"
        )
    n_splits = max(2, min(n_splits, len(examples)))
    # shuffle documents into folds reproducibly
    rng = np.random.RandomState(seed)
    order = rng.permutation(len(examples))
    fold_of = {examples[i]["id"]: k % n_splits for k, i in enumerate(order)}
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
    base = {ex["id"]: baselines.rules_baseline(ex["record"]["text"]) for ex in examples}
    metrics.update({"rules_" + k: v for k, v in _score_preds(examples, base).items()})
    metrics["documents"] = len(examples)
    metrics["gold_slogans"] = sum(1 for r in records for s in r["spans"] if s["label"] == LABEL)
    metrics["candidates"] = sum(len(ex["cands"]) for ex in examples)
    metrics["candidate_recall"] = round(sum(sum(ex["y"]) for ex in examples) / max(1, metrics["gold_slogans"]), 4)
    metrics["folds"] = n_splits
    metrics["seed"] = seed
    vec, clf, kvec, kclf = _fit(examples, seed)
    model = SloganModel(vec, clf, kvec, kclf, best, metrics)
    model.save(output)
    load_model.cache_clear()
    logger.info("slogan model written to %s: %s", output, metrics)
    return metrics


# --- corpus inventory -----------------------------------------------------------------------


def _mode(values) -> Optional[str]:
    vals = [v for v in values if isinstance(v, str) and v]
    return Counter(vals).most_common(1)[0][0] if vals else None


def inventory(docs_or_mentions) -> "pandas.DataFrame":  # noqa: F821
    """One row per slogan (variants merged by norm), most frequent first.

    Parameters
    ----------
    docs_or_mentions : iterable of Doc, or pandas.DataFrame
        Processed Docs, or a mention table with columns ``doc_id``, ``year``, ``label``,
        ``kind``, ``norm``, ``frame``, ``text``, ``sentence_text`` (as :mod:`qidu_nlp.mentions`
        writes it); only ``label == "SLOGAN"`` rows are used.

    Returns
    -------
    pandas.DataFrame
        Columns ``norm``, ``kind`` (most common), ``frames`` (seen, ``;``-joined),
        ``variants`` (surfaces, ``;``-joined), ``mentions``, ``documents``, ``first_year``,
        ``last_year``, ``example``.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame([
    ...     {"doc_id": "a", "year": 2023, "label": "SLOGAN", "kind": "motto", "norm": "文化齐都 品质小城",
    ...      "frame": "目标", "text": "文化齐都 品质小城", "sentence_text": "瞄定“文化齐都 品质小城”目标。"},
    ...     {"doc_id": "b", "year": 2024, "label": "SLOGAN", "kind": "motto", "norm": "文化齐都　品质小城",
    ...      "frame": None, "text": "文化齐都　品质小城", "sentence_text": "推进“文化齐都　品质小城”建设。"}])
    >>> inv = inventory(rows)
    >>> inv[["norm", "mentions", "documents", "first_year", "last_year"]].values.tolist()
    [['文化齐都 品质小城', 2, 2, 2023, 2024]]
    """
    import pandas as pd

    cols = ["norm", "kind", "frames", "variants", "mentions", "documents", "first_year", "last_year", "example"]
    if isinstance(docs_or_mentions, pd.DataFrame):
        table = docs_or_mentions
    else:
        from .mentions import from_docs

        table = from_docs(list(docs_or_mentions))
    if table is None or len(table) == 0:
        return pd.DataFrame(columns=cols)
    table = table[table["label"] == LABEL].copy()
    if table.empty:
        return pd.DataFrame(columns=cols)
    base = table["norm"].where(table["norm"].notna() & (table["norm"] != ""), table["text"])
    table["_key"] = [slogan_norm(str(x)) for x in base]
    rows = []
    for key, grp in table.groupby("_key", sort=False):
        years = pd.to_numeric(grp["year"], errors="coerce").dropna()
        frames = sorted({f for f in grp.get("frame", pd.Series(dtype=object)) if isinstance(f, str) and f})
        rows.append(
            {
                "norm": key,
                "kind": _mode(grp["kind"]),
                "frames": ";".join(frames),
                "variants": ";".join(sorted({str(t) for t in grp["text"]})),
                "mentions": int(len(grp)),
                "documents": int(grp["doc_id"].nunique()),
                "first_year": int(years.min()) if len(years) else None,
                "last_year": int(years.max()) if len(years) else None,
                "example": str(grp["sentence_text"].iloc[0]) if "sentence_text" in grp else "",
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    out["first_year"] = out["first_year"].astype("Int64")
    out["last_year"] = out["last_year"].astype("Int64")
    return out.sort_values(["mentions", "documents", "norm"], ascending=[False, False, True]).reset_index(drop=True)


# --- the component ----------------------------------------------------------------------------


@Language.factory(
    "qidu_slogans",
    assigns=["doc.spans"],
    default_config={"threshold": None, "use_model": True, "model": None, "known": []},
)
def make_slogans(
    nlp: Language,
    name: str,
    threshold: Optional[float] = None,
    use_model: bool = True,
    model: Optional[str] = None,
    known: Sequence[str] = (),
):
    """Build the ``qidu_slogans`` component.

    Parameters
    ----------
    threshold : float, optional
        Decision threshold; default the one chosen on held-out folds when the model was trained.
    use_model : bool
        False judges candidates by simple rules (no scikit-learn model).
    model : str, optional
        Path of a model trained by :func:`train`; default the packaged model.
    known : list of str
        Corpus-level slogans (``"TEXT"`` or ``"TEXT<TAB>KIND"``) also found unquoted.
    """
    return SloganDetector(nlp, name, threshold=threshold, use_model=use_model, model=model, known=known)


class SloganDetector:
    """The ``qidu_slogans`` component: writes ``doc.spans["slogans"]``.

    Examples
    --------
    >>> import spacy, qidu_nlp
    >>> nlp = spacy.blank("zh")
    >>> _ = nlp.add_pipe("qidu_slogans")
    >>> doc = nlp("落实“三提三争”活动部署，坚决捍卫“两个确立”。")
    >>> [(s.text, s._.kind, s._.frame) for s in doc.spans["slogans"]]
    [('三提三争', 'numeric', '活动'), ('两个确立', 'numeric', None)]
    """

    def __init__(self, nlp: Language, name: str = "qidu_slogans", *, threshold=None, use_model=True, model=None, known=()):
        self.name = name
        self.threshold = threshold
        self.use_model = use_model
        self.model_path = str(model) if model else None
        self.known = self._parse_known(known)
        self.lexicons = load_lexicons()
        self.model = load_model(self.model_path) if use_model else None

    @staticmethod
    def _parse_known(known) -> dict:
        out = {}
        for item in known or ():
            text, _, kind = str(item).partition("\t")
            text = text.strip()
            if text:
                out[text] = kind.strip() or (rule_kind(text, {"source": "quoted"}, load_lexicons()) or "motto")
        return out

    def __call__(self, doc: Doc) -> Doc:
        items = self.match(doc)
        write_spans(doc, SPANS_KEY, items)
        return doc

    def match(self, doc: Doc) -> list[dict]:
        """The slogan span dicts of ``doc`` (sentence boundaries respected)."""
        items = detect(
            doc_text(doc), model=self.model, lexicons=self.lexicons, threshold=self.threshold,
            use_model=self.use_model and self.model is not None, known=self.known,
        )
        if doc.has_annotation("SENT_START"):
            ends = [e for _, e in sentence_offsets(doc)]  # sorted
            import bisect

            items = [it for it in items if ends[bisect.bisect_right(ends, it["start"])] >= it["end"]]
        return items

    # serialisation: the model file and the lexicons travel with the pipeline
    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        cfg = {"threshold": self.threshold, "use_model": self.use_model, "known": self.known}
        (path / "cfg.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=1), encoding="utf-8")
        (path / "lexicons.json").write_text(json.dumps(self.lexicons.to_dict(), ensure_ascii=False), encoding="utf-8")
        if self.model is not None:
            source = Path(self.model_path) if self.model_path else packaged_model_path()
            if source.is_file():
                shutil.copyfile(source, path / MODEL_FILE)
            else:
                self.model.save(path / MODEL_FILE)

    def from_disk(self, path, exclude=tuple()):
        path = Path(path)
        cfg = json.loads((path / "cfg.json").read_text(encoding="utf-8"))
        self.threshold = cfg.get("threshold")
        self.use_model = cfg.get("use_model", True)
        self.known = dict(cfg.get("known") or {})
        lex = path / "lexicons.json"
        if lex.is_file():
            self.lexicons = Lexicons.from_dict(json.loads(lex.read_text(encoding="utf-8")))
        model_file = path / MODEL_FILE
        if model_file.is_file():
            self.model_path = str(model_file)
            self.model = SloganModel.load(model_file)
        return self
