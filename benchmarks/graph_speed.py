"""Graph building cost against pipeline cost over a corpus (default: national_reports.jsonl).

Usage::

    .venv/bin/python benchmarks/graph_speed.py [--corpus ../shared/corpora/national_reports.jsonl]
        [--limit N] [--repeat 3] [--out benchmarks/results/graph_speed.json]

Runs the full pipeline plus ``qidu_themes`` once over the corpus (timed), makes the mention
table (timed), then builds the graph for every window ``--repeat`` times (best time kept) and
reports graph time as a share of pipeline time. The issue's target: under 5 %.

Two ways per window: ``whole`` (``graph.build`` on the whole mention table, as a notebook does)
and ``batched`` (what a corpus run does: ``graph.Accumulator`` counts whole documents in
batches of about 10,000 rows, as ``qidu_nlp.corpus.run.run``'s default ``flush_rows``, then ``to_graph``);
both must give the same graph.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import qidu_nlp  # noqa: E402
from qidu_nlp import graph  # noqa: E402
from qidu_nlp.pipeline import rows as mentions  # noqa: E402
from qidu_nlp.pipeline.loader import COMPONENTS  # noqa: E402


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "national_reports.jsonl")
    ap.add_argument("--limit", type=int, default=None, help="first N documents only")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "graph_speed.json")
    args = ap.parse_args(argv)

    records = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = records[: args.limit] if args.limit else records
    chars = sum(len(r["text"]) for r in records)
    nlp = qidu_nlp.load(components=[*COMPONENTS, *([] if "qidu_themes" in COMPONENTS else ["qidu_themes"])])
    nlp("预热。")  # warm-up
    t0 = time.perf_counter()
    docs = []
    for doc, rec in nlp.pipe(((r["text"], r) for r in records), as_tuples=True, batch_size=4):
        doc._.qidu.meta = {"id": rec["id"], "year": rec.get("year")}
        docs.append(doc)
    t_pipe = time.perf_counter() - t0
    t0 = time.perf_counter()
    table = mentions.from_docs(docs)
    t_table = time.perf_counter() - t0
    batches, current = [], []
    for _, part in table.groupby("doc_id", sort=False):  # whole documents, ~10,000 rows a batch
        current.append(part)
        if sum(map(len, current)) >= 10_000:
            batches.append(current)
            current = []
    batches += [current] if current else []
    seq = {d: i for i, d in enumerate(table["doc_id"].unique())}
    windows = {}
    for window in ("sentence", "paragraph", "section"):
        best, G = float("inf"), None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            G = graph.build(table, window=window)
            best = min(best, time.perf_counter() - t0)
        best_b, H = float("inf"), None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            acc = graph.Accumulator(window=window)
            for parts in batches:
                acc.add_rows(pd.concat(parts, ignore_index=True), doc_seq=seq)
            H = acc.result().to_graph()
            best_b = min(best_b, time.perf_counter() - t0)
        same = list(G.nodes(data=True)) == list(H.nodes(data=True)) and list(G.edges(data=True)) == list(H.edges(data=True))
        windows[window] = {"seconds": round(best, 3), "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                           "share_of_pipeline": round(best / t_pipe, 4), "batched_seconds": round(best_b, 3),
                           "batched_share_of_pipeline": round(best_b / t_pipe, 4), "batches": len(batches),
                           "batched_equals_whole": same}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    record = {
        "benchmark": "graph_speed", "commit": commit, "corpus": args.corpus.name, "documents": len(records),
        "characters": chars, "pipeline": nlp.pipe_names, "pipeline_seconds": round(t_pipe, 2),
        "chars_per_second": round(chars / t_pipe), "mention_table_seconds": round(t_table, 3),
        "mentions": len(table), "mention_labels": table["label"].value_counts().to_dict(), "graph": windows,
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"pipeline {t_pipe:.1f} s for {len(records)} docs / {chars} chars; mention table {t_table:.2f} s; {len(table)} mentions")
    for window, w in windows.items():
        print(f"graph[{window}] whole {w['seconds']:.3f} s = {100 * w['share_of_pipeline']:.2f} % of pipeline, "
              f"batched ({w['batches']} batches) {w['batched_seconds']:.3f} s = {100 * w['batched_share_of_pipeline']:.2f} %, "
              f"same graph: {w['batched_equals_whole']}; {w['nodes']} nodes, {w['edges']} edges")
    return record


if __name__ == "__main__":
    main()
