"""The blind documents through the pipeline as it was before the generalisation work: what the
work changed on text nobody tuned on.

Usage::

    git worktree add /tmp/qidu-before 6707d35      # the last commit before any rule changed
    .venv/bin/python benchmarks/blind_before.py /tmp/qidu-before

The old checkout's own ``qidu predict`` runs in a subprocess (its package first on the path, this
environment's libraries), on the texts of the blind records (``accuracy.blind_sets``); this
checkout's scorer scores it. Writes ``benchmarks/results/accuracy_blind_before.json``, which
``benchmarks/accuracy.py --summary`` shows beside the blind scores of today's pipeline.

The second blind set, against the pipeline as it was when that set was frozen::

    git worktree add /tmp/qidu-1cdf4e7 1cdf4e7
    .venv/bin/python benchmarks/blind_before.py /tmp/qidu-1cdf4e7 --set "blind3: local_gov_blind3" \
        --out benchmarks/results/accuracy_blind3_before.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import blind_sets  # noqa: E402
from qidu_nlp.evaluation.scorer import score  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "accuracy_blind_before.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path, help="a checkout of the commit to compare (e.g. 6707d35)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--set", default="blind: all",
                    help="which blind set of accuracy.blind_sets() (default: the first split, all of it)")
    args = ap.parse_args(argv)
    if not (args.old / "qidu_nlp" / "cli.py").is_file():
        print(f"{args.old}: no qidu_nlp checkout there", file=sys.stderr)
        return 1
    commit = subprocess.run(["git", "-C", str(args.old), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    sets = dict(blind_sets())
    if args.set not in sets:
        print(f"no blind set {args.set!r}; there are {sorted(sets)}", file=sys.stderr)
        return 1
    gold = sets[args.set]
    with tempfile.TemporaryDirectory() as tmp:
        texts, pred = Path(tmp) / "blind.jsonl", Path(tmp) / "pred.jsonl"
        texts.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n"
                                 for r in gold), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(args.old)}
        code = "import sys; from qidu_nlp.cli import app; sys.argv = ['qidu', 'predict', sys.argv[1], '-o', sys.argv[2]]; app()"
        subprocess.run([sys.executable, "-c", code, str(texts), str(pred)], env=env, cwd=tmp, check=True)
        predictions = [json.loads(line) for line in pred.open(encoding="utf-8")]
    s = score(gold, predictions)
    result = {"commit": commit, "set": args.set, "documents": len(gold),
              "what": "the pipeline of this commit on the blind documents, scored by today's scorer",
              "strict_f1": {lab: v["strict"]["f1"] for lab, v in s["labels"].items()},
              "micro_strict_f1": s["micro"]["strict"]["f1"], "labels": s["labels"]}
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(" ".join(f"{lab} {f:.3f}" for lab, f in result["strict_f1"].items()), f"micro {result['micro_strict_f1']:.3f}")
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
