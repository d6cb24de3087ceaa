"""Memory of a corpus run as the corpus grows (issue 6: "memory stays flat as the corpus grows").

    .venv/bin/python benchmarks/memory.py [--copies 1 2 4] [--segmenter char|pkuseg]

The corpus is ../shared/corpora/national_reports.jsonl written ``k`` times into one JSONL file
(ids made distinct), for each ``k`` of ``--copies``. Each size runs in its own process, the
way ``qidu analyze CORPUS -o OUT`` runs it (``Corpus.from_paths(...).analyze(output_dir=OUT)``
then ``Result.to_dir(OUT)``, report included), and reports

* the process's resident memory after loading the pipeline, and its peak (``ru_maxrss``);
* the run's own memory: peak minus after-load (what grows with the corpus, if anything);
* for contrast, the size the mention table would take in memory as a pandas DataFrame
  (``DataFrame.memory_usage(deep=True)``), which a run that held its rows would need.

The default segmenter is ``char`` (no model: the same components, 3× faster, so the largest
corpus stays affordable); the pkuseg model adds a constant of about 1 GB per process.
Writes benchmarks/results/memory.md and memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QIDU_SHARED", ROOT.parent / "shared")) / "corpora"
RESULTS = ROOT / "benchmarks" / "results"


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def make_corpus(copies: int, folder: Path) -> Path:
    path = folder / f"national_x{copies}.jsonl"
    with open(SHARED / "national_reports.jsonl", encoding="utf-8") as src:
        lines = [json.loads(line) for line in src if line.strip()]
    with open(path, "w", encoding="utf-8") as out:
        for k in range(copies):
            for obj in lines:
                out.write(json.dumps({**obj, "id": f"{obj.get('id')}-copy{k}"}, ensure_ascii=False) + "\n")
    return path


def child(corpus: Path, segmenter: str, out: Path) -> dict:
    import qidu_nlp
    from qidu_nlp.corpus import Corpus

    nlp = qidu_nlp.load(segmenter=segmenter)
    loaded = _rss_mb()
    t0 = time.perf_counter()
    result = Corpus.from_paths(corpus).analyze(nlp, output_dir=out)
    result.to_dir(out)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stats = dict(result.stats)
    del result
    # for contrast only, after the peak was read: the mention table as one DataFrame
    from qidu_nlp.corpus import Result

    frame_mb = Result.from_dir(out).mentions.memory_usage(deep=True).sum() / 2**20
    return {"chars": stats["chars"], "documents": stats["documents"], "mentions": stats["mentions"],
            "seconds": seconds, "loaded_mb": loaded, "peak_mb": peak, "run_mb": peak - loaded,
            "mention_frame_mb": frame_mb}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--segmenter", default="char")
    ap.add_argument("--child", nargs=2)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), args.segmenter, Path(args.child[1]))))
        return
    if not (SHARED / "national_reports.jsonl").exists():
        sys.exit(f"{SHARED / 'national_reports.jsonl'} not present: this benchmark needs the shared corpora")
    started = datetime.now(timezone.utc)
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in args.copies:
            corpus = make_corpus(k, Path(tmp))
            cmd = [sys.executable, __file__, "--segmenter", args.segmenter, "--child", str(corpus), str(Path(tmp) / f"out{k}")]
            runs[k] = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
            print(k, runs[k], flush=True)
    base = runs[min(runs)]
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    meta = {"date": started.isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, nproc={os.cpu_count()}, memory={mem_gb:.0f} GB, Python {platform.python_version()}",
            "command": f".venv/bin/python benchmarks/memory.py --copies {' '.join(map(str, args.copies))} --segmenter {args.segmenter}"}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps({"meta": meta, "runs": runs}, indent=1), encoding="utf-8")
    lines = [
        "# Memory as the corpus grows", "",
        f"- Date: {meta['date']}", f"- Machine: {meta['machine']}", f"- Command: `{meta['command']}`",
        f"- Corpus: national_reports.jsonl written k times (segmenter `{args.segmenter}`), "
        "`analyze(output_dir=OUT)` + `to_dir(OUT)` in a fresh process per size", "",
        "| copies | characters | mentions | seconds | after load MB | peak MB | run's own MB | vs 1 copy | mention table as a DataFrame MB |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        *[f"| {k} | {r['chars']:,} | {r['mentions']:,} | {r['seconds']:.0f} | {r['loaded_mb']:,.0f} | {r['peak_mb']:,.0f} | "
          f"{r['run_mb']:,.0f} | {r['run_mb'] / base['run_mb']:.2f}× | {r['mention_frame_mb']:,.0f} |" for k, r in sorted(runs.items())],
        "",
    ]
    (RESULTS / "memory.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
