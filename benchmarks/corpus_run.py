"""A corpus-scale run on this machine: the local engine and a local Dask cluster, same outputs (issue 17).

    .venv/bin/python benchmarks/corpus_run.py [CORPUS] [--engines local dask] [--workers 2]

Runs ``qidu analyze CORPUS --workers 2`` and ``qidu analyze CORPUS --engine dask`` against a
local cluster started here (``dask scheduler`` and ``dask worker --nworkers 2 --nthreads 1``),
each under the whole-run memory sampler of :mod:`run_memory` (for Dask, the scheduler and
the workers are sampled with the client). For each engine it reports the wall time, the
seconds until the last document was written and until the outputs were, characters per
second, and the peak summed PSS; then it compares the two output folders table by table
(:mod:`compare_runs`).

Default corpus: ../shared/corpora/local_gov_reports.jsonl (1,195 reports, 18.5 M characters).
Writes benchmarks/results/corpus_run.json and corpus_run.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_memory  # noqa: E402
from compare_runs import compare  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QIDU_SHARED", ROOT.parent / "shared")) / "corpora"
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent
SUMMARY = re.compile(r"in ([\d.]+) s \(last document ([\d.]+) s, outputs written ([\d.]+) s\)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _measure_with(extra: list[subprocess.Popen], cmd: list[str]) -> dict:
    """run_memory.measure, with the processes of ``extra`` (a cluster) sampled with the command's."""
    tree = run_memory._tree
    run_memory._tree = lambda root: [p for r in (root, *(e.pid for e in extra)) for p in tree(r)]
    try:
        return run_memory.measure(cmd)
    finally:
        run_memory._tree = tree


def run_engine(engine: str, corpus: Path, out: Path, workers: int) -> dict:
    cmd = [str(BIN / "qidu"), "analyze", str(corpus), "-o", str(out), "-q"]
    if engine == "local":
        res = run_memory.measure([*cmd, "--workers", str(workers)])
    else:
        port = _free_port()
        env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
        log = tempfile.TemporaryFile()
        scheduler = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                      "--no-dashboard"], stdout=log, stderr=log, env=env)
        workers_proc = subprocess.Popen([str(BIN / "dask"), "worker", f"tcp://127.0.0.1:{port}", "--nworkers",
                                         str(workers), "--nthreads", "1", "--memory-limit", "2GB", "--no-dashboard"],
                                        stdout=log, stderr=log, env=env)
        try:
            time.sleep(5)  # the cluster comes up before the client is timed
            res = _measure_with([scheduler, workers_proc],
                                [*cmd, "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"])
        finally:
            for proc in (workers_proc, scheduler):
                proc.terminate()
                proc.wait(timeout=60)
    match = SUMMARY.search(res["last_line"])
    if match:
        res["run_s"], res["last_document_s"], res["outputs_written_s"] = map(float, match.groups())
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", type=Path, default=SHARED / "local_gov_reports.jsonl")
    ap.add_argument("--engines", nargs="+", default=["local", "dask"])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="keep the output folders here")
    args = ap.parse_args()
    chars = docs = 0
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            docs += 1
            chars += len(json.loads(line)["text"])
    started = datetime.now(timezone.utc)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="qidu-corpus-run-"))
    results = {}
    for engine in args.engines:
        res = run_engine(engine, args.corpus, folder / engine, args.workers)
        res["chars_per_s"] = chars / res["wall_s"]
        results[engine] = res
        print(engine, json.dumps(res, ensure_ascii=False), flush=True)
    same = None
    if {"local", "dask"} <= set(results):
        print("comparing the outputs of the two engines:")
        same = compare(folder / "local", folder / "dask") == 0
    meta = {"date": started.isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, nproc={os.cpu_count()}, Python {platform.python_version()}",
            "command": f".venv/bin/python benchmarks/corpus_run.py {args.corpus} --engines {' '.join(args.engines)} "
                       f"--workers {args.workers}", "documents": docs, "chars": chars}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "corpus_run.json").write_text(json.dumps({"meta": meta, "results": results, "identical": same},
                                                        ensure_ascii=False, indent=1), encoding="utf-8")
    lines = [f"# Corpus-scale run: {args.corpus.name}", "", f"- Date: {meta['date']}",
             f"- Machine: {meta['machine']} (shared with other jobs)", f"- Command: `{meta['command']}`",
             f"- Corpus: {docs:,} documents, {chars:,} characters", "",
             "| engine | wall s | last document s | outputs written s | tail / last document | chars/s (wall) "
             "| peak PSS MB (whole run) | peak USS MB |", "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for engine, r in results.items():
        tail = (r["outputs_written_s"] / r["last_document_s"] - 1) if r.get("last_document_s") else float("nan")
        lines.append(f"| {engine} | {r['wall_s']:.1f} | {r.get('last_document_s', float('nan')):.1f} | "
                     f"{r.get('outputs_written_s', float('nan')):.1f} | {tail:.1%} | {r['chars_per_s']:,.0f} | "
                     f"{r['peak_pss_mb']:,.0f} | {r['peak_uss_mb']:,.0f} |")
    if same is not None:
        lines += ["", f"Outputs of the two engines (every CSV table, compared by `benchmarks/compare_runs.py`): "
                      f"**{'identical' if same else 'different'}**."]
    (RESULTS / "corpus_run.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
