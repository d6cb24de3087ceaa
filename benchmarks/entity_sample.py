"""Entities at corpus scale, on reports no rule was written on: what the pipeline finds most, and a
seeded sample of mentions per label for judging precision by hand.

Usage::

    # 1. run the pipeline over the corpus (or --docs N of it, seeded); write the most frequent
    #    names per label and a seeded sample of mentions per label (with their context) to judge
    .venv/bin/python benchmarks/entity_sample.py sample --workers 2 --per-label 100

    # 2. after each sampled mention has a judgement ("ok", "boundary" or "wrong"), the precision
    #    per label with a 95 % Wilson interval
    .venv/bin/python benchmarks/entity_sample.py precision benchmarks/results/entity_sample_judged.jsonl

    # 3. once measured, a judged sample may become training material of the entity judge
    #    (corpora/annotations/corpus_judgements.jsonl, with offsets; then `make models`); the
    #    precision to cite comes from a later sample, drawn with another seed after retraining
    .venv/bin/python benchmarks/entity_sample.py collect JUDGED.jsonl --sample seed20261210

The documents come from ``../shared/corpora/local_gov_reports.jsonl`` (city, county and provincial
reports, 2000–2026), leaving out the provinces of the blind split (浙江, 江西, 海南, 内蒙古), whose
output no one reads before the blind scores are taken. Strict precision counts ``ok`` only; the
lenient one counts ``boundary`` (a name with wrong edges) too.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import blind_sets  # noqa: E402
from qidu_nlp.evaluation.gold import group_of  # noqa: E402
from qidu_nlp.schema import ENTITY_LABELS as LABELS  # noqa: E402

# the provinces of the blind gold documents (浙江, 江西, 海南, 内蒙古): their reports are not read here
BLIND_PROVINCES = tuple(sorted({group_of(r) for r in blind_sets()[0][1]}))
RESULTS = ROOT / "benchmarks" / "results"


def read_documents(path: Path, n: int, seed: int) -> list[dict]:
    """A seeded sample of ``n`` documents outside the blind provinces."""
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    docs = [d for d in docs if not str(d.get("province", "")).startswith(BLIND_PROVINCES)]
    return random.Random(seed).sample(docs, n) if 0 < n < len(docs) else docs


def sentence_of(text: str, start: int, end: int, width: int = 40) -> str:
    """The mention in brackets inside up to ``width`` characters either side (one line)."""
    a, b = max(0, start - width), min(len(text), end + width)
    return (text[a:start] + "[" + text[start:end] + "]" + text[end:b]).replace("\n", "⏎")


def sample(args) -> int:
    import qidu_nlp

    docs = read_documents(args.corpus, args.docs, args.seed)
    nlp = qidu_nlp.load(components=["qidu_structure", "qidu_slogans", "qidu_entities"])
    mentions: dict[str, list[dict]] = defaultdict(list)
    norms: dict[str, Counter] = defaultdict(Counter)
    chars = 0
    for d, doc in zip(docs, nlp.pipe((d["text"] for d in docs), n_process=args.workers, batch_size=4)):
        chars += len(d["text"])
        for e in doc.ents:
            norms[e.label_][e._.qidu.norm or e.text] += 1
            mentions[e.label_].append({"doc": d["id"], "place": d.get("place"), "year": d.get("year"),
                                       "label": e.label_, "text": e.text, "start": e.start_char, "end": e.end_char,
                                       "context": sentence_of(d["text"], e.start_char, e.end_char)})
    rng = random.Random(args.seed)
    out = args.out or RESULTS / "entity_sample.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for label in args.labels or LABELS:
            chosen = rng.sample(mentions[label], min(args.per_label, len(mentions[label])))
            for m in chosen:
                fh.write(json.dumps({**m, "judgement": None}, ensure_ascii=False) + "\n")
    top = RESULTS / "entity_top_names.md"
    lines = [f"# Most frequent names per label: {len(docs)} reports of local_gov_reports.jsonl "
             f"({chars:,} characters, seed {args.seed}, blind provinces left out)", ""]
    for label in LABELS:
        total = sum(norms[label].values())
        lines.append(f"## {label}: {total:,} mentions, {len(norms[label]):,} distinct names")
        lines.append("")
        lines.append(", ".join(f"{name} {n}" for name, n in norms[label].most_common(args.top)))
        lines.append("")
    top.write_text("\n".join(lines), encoding="utf-8")
    print(f"{sum(map(len, mentions.values())):,} mentions in {len(docs)} documents; sample -> {out}; top names -> {top}")
    return 0


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion k/n.

    Examples
    --------
    >>> [round(x, 3) for x in wilson(90, 100)]
    [0.826, 0.945]
    """
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def precision(args) -> int:
    rows = [json.loads(line) for line in args.judged.open(encoding="utf-8")]
    missing = [i + 1 for i, r in enumerate(rows) if r.get("judgement") not in ("ok", "boundary", "wrong")]
    if missing:
        print(f"{args.judged}: lines {missing[:10]} have no judgement (ok, boundary or wrong)", file=sys.stderr)
        return 1
    table = ["| label | judged | strict precision (95 % CI) | lenient precision (95 % CI) |", "|---|--:|--:|--:|"]
    summary = {}
    for label in LABELS:
        got = [r["judgement"] for r in rows if r["label"] == label]
        if not got:
            continue
        ok, bnd, n = got.count("ok"), got.count("boundary"), len(got)
        lo, hi = wilson(ok, n)
        llo, lhi = wilson(ok + bnd, n)
        summary[label] = {"n": n, "ok": ok, "boundary": bnd, "strict": ok / n, "strict_ci": [lo, hi],
                          "lenient": (ok + bnd) / n, "lenient_ci": [llo, lhi]}
        table.append(f"| {label} | {n} | {ok / n:.2f} ({lo:.2f}–{hi:.2f}) | {(ok + bnd) / n:.2f} ({llo:.2f}–{lhi:.2f}) |")
    print("\n".join(table))
    args.out.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
    return 0


def locate(row: dict, text: str) -> int | None:
    """Where a sampled mention starts in its document: its ``start`` when the sample kept it,
    else where its context (the mention in brackets, 40 characters either side) stands."""
    if isinstance(row.get("start"), int):
        return row["start"]
    context = row["context"].replace("⏎", "\n")
    left = context[:context.index("[")]
    right = context[len(left) + len(row["text"]) + 2:]
    at = text.find(left + row["text"] + right)
    return None if at < 0 else at + len(left)


def collect(args) -> int:
    """Append judged samples to the judgement file the entity judge is trained on."""
    need = {}
    for path in args.judged:
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            need.setdefault(row["doc"], []).append((path, row))
    texts = {}
    with args.corpus.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["id"] in need:
                texts[d["id"]] = (d["text"], d.get("province"))
    kept = lost = 0
    with args.out.open("a", encoding="utf-8") as out:
        for path in args.judged:
            sample_name = path.name.split("_judged")[0].replace("entity_sample_", "") or "sample"
            for line in path.open(encoding="utf-8"):
                row = json.loads(line)
                text, province = texts[row["doc"]]
                start = locate(row, text)
                if start is None or row.get("judgement") not in ("ok", "boundary", "wrong"):
                    lost += 1
                    continue
                keep = {"sample": args.sample or sample_name, "doc": row["doc"], "province": province,
                        "start": start, "end": start + len(row["text"]), "label": row["label"], "text": row["text"],
                        "judgement": row["judgement"], "context": row["context"], "note": row.get("note") or ""}
                out.write(json.dumps(keep, ensure_ascii=False) + "\n")
                kept += 1
    print(f"{kept} judgements appended to {args.out}; {lost} not located or not judged")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="run the pipeline and write the sample to judge")
    s.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "local_gov_reports.jsonl")
    s.add_argument("--docs", type=int, default=0, help="how many documents (0: all outside the blind provinces)")
    s.add_argument("--workers", type=int, default=1)
    s.add_argument("--per-label", type=int, default=100)
    s.add_argument("--top", type=int, default=50)
    s.add_argument("--seed", type=int, default=20261203)
    s.add_argument("--labels", nargs="+", choices=LABELS, help="sample these labels only (default: all)")
    s.add_argument("--out", type=Path, help="the sample file (default: results/entity_sample.jsonl)")
    p = sub.add_parser("precision", help="precision per label from the judged sample")
    p.add_argument("judged", type=Path)
    p.add_argument("--out", type=Path, default=RESULTS / "entity_precision.json")
    c = sub.add_parser("collect", help="append judged samples (with offsets) to the judge's training judgements")
    c.add_argument("judged", type=Path, nargs="+")
    c.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "local_gov_reports.jsonl")
    c.add_argument("--sample", help="the sample's name (default: from the file name)")
    c.add_argument("--out", type=Path, default=ROOT / "corpora" / "annotations" / "corpus_judgements.jsonl")
    args = ap.parse_args(argv)
    if args.command == "collect":
        return collect(args)
    if args.command == "sample":
        if not args.corpus.is_file():
            print(f"{args.corpus} not found (the shared corpora); nothing to sample", file=sys.stderr)
            return 1
        return sample(args)
    return precision(args)


if __name__ == "__main__":
    sys.exit(main())
