"""The slogan glossary against the translator's checked list (precision, coverage, recall).

Usage::

    .venv/bin/python benchmarks/glossary.py [--shared ../shared] [--write-shipped]
        [--out benchmarks/results/glossary.json]
    .venv/bin/python benchmarks/glossary.py --split dev [--rows]
    .venv/bin/python benchmarks/glossary.py --split heldout2

Builds the glossary from ``national_parallel.jsonl`` exactly as ``qidu glossary build`` does
(slogans also taken from the national, congress, local and policy corpora), scores it on the
rows of ``corpora/annotations/glossary/glossary_checked.tsv`` with 3+ occurrences, per split
(``dev`` was read while the builder was developed; ``heldout`` was not, but its aggregate has been
read after each round of changes; ``heldout2`` was added and frozen before the last round: its
figures are the ones to cite), for every rendering and for term-like renderings only. ``--write-shipped`` also
writes ``qidu_nlp/data/slogans/glossary.tsv`` (every rendering, with its ``form``).

``--split dev`` scores the development rows only (``dev`` and ``dev2``, the 23 added after heldout2
was frozen; the held-out ones are neither scored nor written: the figures to use while the builder
is worked on), writes
``benchmarks/results/glossary_dev.json`` unless ``--out`` says otherwise, and with ``--rows``
prints each development slogan's learned and checked rendering. ``--split heldout2`` scores the
heldout2 rows only and writes their aggregates (no rows) to ``benchmarks/results/glossary_heldout2.json``:
a read of that split, to be counted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qidu_nlp.evaluation.glossary import evaluate, read_checked  # noqa: E402
from qidu_nlp.training.glossary import build, find_slogans, read_pairs, write  # noqa: E402

CHECKED = ROOT / "corpora" / "annotations" / "glossary" / "glossary_checked.tsv"
SOURCES = ("national_reports.jsonl", "cpc_congress_reports.jsonl", "local_gov_reports.jsonl", "policies.jsonl")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--write-shipped", action="store_true")
    ap.add_argument("--split", choices=("all", "dev", "heldout2"), default="all",
                    help="dev: score (and write, and print) the development rows only; heldout2: its aggregates only")
    ap.add_argument("--rows", action="store_true", help="with --split dev: print each development slogan")
    args = ap.parse_args()
    if args.rows and args.split != "dev":
        ap.error("--rows prints development rows only: use it with --split dev")
    if args.write_shipped and args.split != "all":
        ap.error("--write-shipped goes with the full run (--split all)")
    args.out = args.out or ROOT / "benchmarks" / "results" / (
        "glossary.json" if args.split == "all" else f"glossary_{args.split}.json")
    corpora = args.shared / "corpora"
    t0 = time.perf_counter()
    pairs = read_pairs(corpora / "national_parallel.jsonl")
    slogans = find_slogans(pairs, slogans_from=[corpora / name for name in SOURCES])
    table = build(pairs, slogans)
    seconds = time.perf_counter() - t0
    if args.write_shipped:
        write(table, ROOT / "qidu_nlp" / "data" / "slogans" / "glossary.tsv")
    checked = read_checked(CHECKED)
    scores = {}
    wanted = {"all": ("heldout2", "heldout", "dev", "dev2", None), "dev": ("dev", "dev2"), "heldout2": ("heldout2",)}
    for split in wanted[args.split]:
        for forms in (None, ("term",)):
            r = evaluate(table, checked, split=split, forms=forms)
            scores[f"{split or 'all'}/{'term' if forms else 'any'}"] = r
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    record = {"commit": commit, "seconds": round(seconds, 1), "slogans_with_pairs": int(len(table)),
              "renderings": int(table["english"].astype(bool).sum()),
              "scores": {k: {m: v for m, v in r.items() if m != "rows"} for k, r in scores.items()},
              "rows": {k: r["rows"] for k, r in scores.items()
                       if k.endswith("/any") and not k.startswith("all") and args.split != "heldout2"}}
    if args.rows:
        for r in scores["dev/any"]["rows"] + scores["dev2/any"]["rows"]:
            mark = "ok" if r["correct"] else "boundary" if r["boundary"] else "wrong" if r["learned"] else "-"
            print(f"{mark:8} {r['zh']}\t{r['learned'] or ''}\t[{r['gold']}]")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    print("| split / renderings | slogans | given | correct | boundary errors | precision | coverage | recall |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for key, r in scores.items():
        print(f"| {key} | {r['slogans']} | {r['given']} | {r['correct']} | {r['boundary']} | {r['precision']:.3f} | "
              f"{r['coverage']:.3f} | {r['recall']:.3f} |")
    print(f"built in {seconds:.1f} s; {record['renderings']} renderings for {record['slogans_with_pairs']} slogans")


if __name__ == "__main__":
    main()
