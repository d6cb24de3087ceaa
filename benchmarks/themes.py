"""Theme accuracy on the hand-labelled paragraphs: the shipped classifier vs the keyword baseline.

Usage::

    .venv/bin/python benchmarks/themes.py [--eval corpora/annotations/themes_eval.jsonl]
        [--shared ../shared] [--threshold 0.5] [--out benchmarks/results/themes.json]

Each line of the eval file names a paragraph by ``source`` (a path relative to the repository;
``../shared/...`` is resolved against ``--shared``), ``start``/``end`` character offsets and its
hand ``labels``; ``head`` (the first characters) guards against a changed source. Writes a JSON
record (commit, versions, config, scores) and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qidu_nlp.rules.themes.model import ThemeModel, load_model  # noqa: E402
from qidu_nlp.rules.themes.scores import classify  # noqa: E402
from qidu_nlp.rules.themes.taxonomy import load_taxonomy  # noqa: E402


def load_eval(path: Path, shared: Path) -> tuple[list[str], list[list[str]], list[str]]:
    texts, labels, ids = [], [], []
    cache: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        src = rec["source"]
        real = shared / src[len("../shared/"):] if src.startswith("../shared/") else ROOT / src
        if src not in cache:
            cache[src] = real.read_text(encoding="utf-8")
        text = cache[src][rec["start"]: rec["end"]]
        if not text.startswith(rec["head"]):
            raise ValueError(f"{src}@{rec['start']}: text does not start with {rec['head']!r}; the source changed")
        texts.append(text)
        labels.append(rec["labels"])
        ids.append(f"{rec['doc_id']}@{rec['start']}")
    return texts, labels, ids


def score(gold: list[list[str]], pred: list[list[str]], names: list[str]) -> dict:
    Y = np.array([[n in g for n in names] for g in gold], dtype=int)
    P = np.array([[n in p for n in names] for p in pred], dtype=int)
    out = {}
    for avg in ("micro", "macro"):
        out[f"p_{avg}"] = round(float(precision_score(Y, P, average=avg, zero_division=0)), 3)
        out[f"r_{avg}"] = round(float(recall_score(Y, P, average=avg, zero_division=0)), 3)
        out[f"f1_{avg}"] = round(float(f1_score(Y, P, average=avg, zero_division=0)), 3)
    out["per_theme_f1"] = {
        n: round(float(f1_score(Y[:, j], P[:, j], zero_division=0)), 3) for j, n in enumerate(names)
    }
    out["support"] = {n: int(Y[:, j].sum()) for j, n in enumerate(names)}
    return out


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=ROOT / "corpora" / "annotations" / "themes_eval.jsonl")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--model", type=Path, default=None, help="a themes_model.npz (default: the packaged one)")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "themes.json")
    args = ap.parse_args(argv)

    texts, gold, _ = load_eval(args.eval, args.shared)
    taxonomy = load_taxonomy()
    names = [t.name for t in taxonomy]
    model = ThemeModel.load(args.model) if args.model else load_model()
    results = {}
    t0 = time.perf_counter()
    pred_kw = [[n for n, _ in row] for row in classify(texts, model=None, taxonomy=taxonomy, threshold=args.threshold)]
    results["keywords"] = score(gold, pred_kw, names)
    t1 = time.perf_counter()
    pred_model = [[n for n, _ in row] for row in classify(texts, model=model, taxonomy=taxonomy, threshold=args.threshold, keywords=False)]
    results["model"] = score(gold, pred_model, names)
    t2 = time.perf_counter()
    pred_union = [[n for n, _ in row] for row in classify(texts, model=model, taxonomy=taxonomy, threshold=args.threshold)]
    results["model+keywords"] = score(gold, pred_union, names)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    import sklearn

    record = {
        "benchmark": "themes", "commit": commit, "eval_file": str(args.eval.relative_to(ROOT)),
        "paragraphs": len(texts), "threshold": args.threshold,
        "model": str(args.model or "qidu_nlp/data/themes_model.npz"),
        "model_config": model.config if model else None,
        "versions": {"python": sys.version.split()[0], "scikit-learn": sklearn.__version__, "numpy": np.__version__},
        "seconds": {"keywords": round(t1 - t0, 3), "model": round(t2 - t1, 3)},
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"| system | P micro | R micro | F1 micro | F1 macro |  ({len(texts)} paragraphs, threshold {args.threshold})")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['p_micro']} | {r['r_micro']} | {r['f1_micro']} | {r['f1_macro']} |")
    print("\nper-theme F1 (support): " + ", ".join(
        f"{n} {results['model']['per_theme_f1'][n]}/{results['keywords']['per_theme_f1'][n]} ({results['model']['support'][n]})" for n in names))
    return record


if __name__ == "__main__":
    main()
