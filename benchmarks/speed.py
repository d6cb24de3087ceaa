"""Speed and memory of the qidu pipeline, measured side by side in one run (issue 6).

    .venv/bin/python benchmarks/speed.py [--docs N] [--max-chars C]

Corpus: the bundled report plus the first N documents of ../shared/corpora/national_reports.jsonl
(each cut to C characters; a fixed sample, because the full pipeline is slow). Every measurement
runs in its own process so that peak memory (ru_maxrss) is that of one worker:

* ``bare``: spaCy ``zh`` with the pkuseg segmenter and no components (the baseline);
* ``full-1``: the full pipeline, one process (``Corpus.analyze(workers=1)``);
* ``full-2``: the full pipeline, two worker processes: the runner's pool (loaded and warmed up
  before the clock starts) fed one document per task, the parent writing the spools and the
  co-occurrence counts as ``Corpus.analyze(workers=2, batch_size=1)`` does;
* ``interleaved``: bare and full document by document in one process (a steadier ratio);
* a cProfile of the full pipeline over the sample (top cumulative costs, per component).

``bare`` and ``full-1`` run ``--repeat`` times each, alternately (bare, full, bare, full …), and
the fastest run of each is kept: on a shared machine the load changes from minute to minute,
and alternating exposes both to the same conditions. Every run's figure is kept in the JSON.

Writes benchmarks/results/speed.md and speed.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QIDU_SHARED", ROOT.parent / "shared")) / "corpora"
RESULTS = ROOT / "benchmarks" / "results"


def sample(n_docs: int, max_chars: int) -> list[dict]:
    docs = [{"id": "qidu-2024", "text": (ROOT / "corpora" / "qidu_2024.txt").read_text(encoding="utf-8")}]
    path = SHARED / "national_reports.jsonl"
    if path.exists():
        with open(path, encoding="utf-8") as f:
            for line in f:
                if len(docs) > n_docs:
                    break
                obj = json.loads(line)
                docs.append({"id": str(obj.get("id")), "text": obj["text"][:max_chars]})
    return docs


def _peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def child(mode: str, docs: list[dict]) -> dict:
    import qidu_nlp
    from qidu_nlp.corpus import Corpus

    chars = sum(len(d["text"]) for d in docs)
    t0 = time.perf_counter()
    if mode == "bare":
        nlp = qidu_nlp.load(components=[])
        load_s = time.perf_counter() - t0
        load_mb = _peak_mb()
        t1, c1 = time.perf_counter(), time.process_time()
        for d in docs:
            nlp(d["text"])
        run_s, cpu_s = time.perf_counter() - t1, time.process_time() - c1
        return {"mode": mode, "chars": chars, "load_s": load_s, "load_peak_mb": load_mb, "run_s": run_s,
                "chars_per_s": chars / run_s, "cpu_s": cpu_s, "chars_per_cpu_s": chars / cpu_s, "peak_mb": _peak_mb()}
    if mode == "full-1":
        nlp = qidu_nlp.load()
        load_s = time.perf_counter() - t0
        load_mb = _peak_mb()
        t1, c1 = time.perf_counter(), time.process_time()
        result = Corpus.from_records(docs).analyze(nlp)
        run_s, cpu_s = time.perf_counter() - t1, time.process_time() - c1
        return {"mode": mode, "chars": chars, "load_s": load_s, "load_peak_mb": load_mb, "run_s": run_s,
                "chars_per_s": chars / run_s, "cpu_s": cpu_s, "chars_per_cpu_s": chars / cpu_s,
                "peak_mb": _peak_mb(), "mentions": int(result.stats["mentions"]),
                "failed": int(result.stats["failed"])}
    if mode == "full-2":
        # the runner's own pool; both workers are warmed up (pipeline loaded) before the clock starts
        from qidu_nlp.corpus import run as runner
        from qidu_nlp.corpus.analyze import Options
        from qidu_nlp.corpus.engines.local import Pool, run_processes
        from qidu_nlp.corpus.ingest import from_records
        from qidu_nlp.corpus.tables import temporary_folder

        pool = Pool(2, {}, Options())
        warm = [pool.submit(list(from_records([{"id": f"w{i}", "text": "各位代表：全年完成投资1亿元。"}]))) for i in range(4)]
        [f.result() for f in warm]
        load_s = time.perf_counter() - t0
        recs = list(from_records(docs))
        # the runner's path after loading: batches of one document, two in flight per worker, the
        # parent writing the rows to its spools and counting co-occurrences as they arrive
        sink = runner._Sink(temporary_folder(None), "sentence", 10_000)
        t1 = time.perf_counter()
        failed = 0
        seqs = {id(r): i for i, r in enumerate(recs)}
        for batch, outcomes, _ in run_processes(([r] for r in recs), 2, {}, Options(), pool=pool):
            for rec, (_, rows, err) in zip(batch, outcomes):
                if err is None:
                    sink.document(seqs[id(rec)], rows, counted=False)
                else:
                    failed += 1
        store, counts = sink.close()
        run_s = time.perf_counter() - t1
        pool.shutdown()
        mentions = sink.n_mentions
        store.discard()
        return {"mode": mode, "chars": chars, "load_s": load_s, "run_s": run_s, "chars_per_s": chars / run_s,
                "peak_mb": _peak_mb(), "peak_worker_mb": _peak_mb(resource.RUSAGE_CHILDREN),
                "mentions": mentions, "failed": failed}
    if mode == "interleaved":
        # one process, document by document: the bare segmentation of a document (the
        # pipeline's own tokenizer, nothing else), then the document through the runner's path
        # (analyze_record + the spool and counts of runner._Sink). Both see the same moment of a
        # shared machine, so their ratio is steadier than that of separate processes.
        from qidu_nlp.corpus import analyze
        from qidu_nlp.corpus import run as runner
        from qidu_nlp.corpus.ingest import from_records
        from qidu_nlp.corpus.tables import temporary_folder

        nlp = qidu_nlp.load()
        stages = {name: 0.0 for name in nlp.pipe_names}

        class Timed:
            def __init__(self, name, proc):
                self.name, self.proc = name, proc

            def __call__(self, doc):
                t = time.perf_counter()
                doc = self.proc(doc)
                stages[self.name] += time.perf_counter() - t
                return doc

        nlp._components = [(name, Timed(name, proc)) for name, proc in nlp._components]  # benchmark only
        real_rows = analyze.analyze_doc
        rows_s = [0.0]

        def timed_rows(doc):
            t = time.perf_counter()
            out = real_rows(doc)
            rows_s[0] += time.perf_counter() - t
            return out

        analyze.analyze_doc = timed_rows
        nlp("预热。")

        def interleave(records) -> tuple[float, float, list]:
            sink = runner._Sink(temporary_folder(None), "sentence", 10_000)
            bare_s = full_s = 0.0
            each = []
            for seq, rec in enumerate(records):
                t = time.perf_counter()
                nlp.make_doc(rec.text)
                b = time.perf_counter() - t
                t = time.perf_counter()
                _, rows, err = analyze.analyze_record(nlp, rec)
                sink.document(seq, rows, counted=False)
                f = time.perf_counter() - t
                bare_s, full_s = bare_s + b, full_s + f
                each.append((rec.id, len(rec.text), b, f))
            t = time.perf_counter()
            sink.close()
            full_s += time.perf_counter() - t
            sink.abort()  # removes the spool folder
            return bare_s, full_s, each

        bare_s, full_s, each = interleave(from_records(docs))
        comp = sum(stages.values())
        per = {"tokenizer (bare segmentation)": bare_s, **stages, "rows (mentions+indicators)": rows_s[0],
               "the rest (script detection, spool, co-occurrence counts)": max(full_s - bare_s - comp - rows_s[0], 0.0)}

        def summary(rows) -> dict:
            n, b, f = sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)
            return {"documents": len(rows), "chars": n, "bare_chars_per_s": n / b, "full_chars_per_s": n / f,
                    "ratio": b / f}

        # per corpus: the national reports of the sample, and the bundled report (6,108
        # characters, a tenth of a second) run 20 times over for a figure that means something
        by_corpus = {"national reports": summary([r for r in each if r[0] != "qidu-2024"])}
        repeats = [{"id": f"qidu-2024~{i}", "text": docs[0]["text"]} for i in range(20)]
        by_corpus["bundled report (20 times)"] = summary(interleave(from_records(repeats))[2])
        return {"mode": mode, "chars": chars, "bare_s": bare_s, "full_s": full_s, "bare_chars_per_s": chars / bare_s,
                "full_chars_per_s": chars / full_s, "ratio": bare_s / full_s, "seconds_per_stage": per,
                "by_corpus": by_corpus}
    if mode == "profile":
        nlp = qidu_nlp.load()
        per = {name: 0.0 for name in ["tokenizer", *nlp.pipe_names, "rows (mentions+indicators)"]}
        from qidu_nlp.pipeline.rows import analyze_doc

        prof = cProfile.Profile()
        prof.enable()
        for d in docs:
            t = time.perf_counter()
            doc = nlp.make_doc(d["text"])
            per["tokenizer"] += time.perf_counter() - t
            for name, proc in nlp.pipeline:
                t = time.perf_counter()
                doc = proc(doc)
                per[name] += time.perf_counter() - t
            doc._.qidu.meta = {"id": d["id"]}
            t = time.perf_counter()
            analyze_doc(doc)
            per["rows (mentions+indicators)"] += time.perf_counter() - t
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
        return {"mode": mode, "chars": chars, "seconds_per_stage": per, "profile": out.getvalue()}
    raise ValueError(mode)


def run_child(mode: str, args) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--docs", str(args.docs), "--max-chars", str(args.max_chars)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=7)
    ap.add_argument("--max-chars", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child")
    args = ap.parse_args()
    docs = sample(args.docs, args.max_chars)
    if args.child:
        print(json.dumps(child(args.child, docs), ensure_ascii=False))
        return
    started = datetime.now(timezone.utc)
    tries = {"bare": [], "full-1": []}
    for _ in range(args.repeat):
        for mode in tries:
            tries[mode].append(run_child(mode, args))
    res = {mode: max(runs, key=lambda r: r["chars_per_s"]) for mode, runs in tries.items()}
    res["full-2"] = run_child("full-2", args)
    res["interleaved"] = run_child("interleaved", args)
    res["profile"] = run_child("profile", args)
    res["all_runs"] = {mode: [round(r["chars_per_s"]) for r in runs] for mode, runs in tries.items()}
    res["all_runs_cpu"] = {mode: [round(r["chars_per_cpu_s"]) for r in runs] for mode, runs in tries.items()}
    cpu_best = {mode: max(r["chars_per_cpu_s"] for r in runs) for mode, runs in tries.items()}
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    ratios = {
        "full_vs_bare_per_process": res["full-1"]["chars_per_s"] / res["bare"]["chars_per_s"],
        "full_vs_bare_per_cpu_second": cpu_best["full-1"] / cpu_best["bare"],
        "full_vs_bare_interleaved": res["interleaved"]["ratio"],
        # each full run against the bare run just before it: less exposed to one lucky run
        "full_vs_bare_pairwise_median": float(sorted(f["chars_per_s"] / b["chars_per_s"]
                                                     for b, f in zip(tries["bare"], tries["full-1"]))[len(tries["bare"]) // 2]),
        "two_workers_vs_one": res["full-2"]["chars_per_s"] / res["full-1"]["chars_per_s"],
    }
    meta = {"date": started.isoformat(timespec="seconds"), "machine": f"{platform.machine()}, nproc={os.cpu_count()}, "
            f"memory={mem_gb:.0f} GB, Python {platform.python_version()}",
            "command": f".venv/bin/python benchmarks/speed.py --docs {args.docs} --max-chars {args.max_chars} --repeat {args.repeat}",
            "corpus": f"bundled report + first {args.docs} national_reports.jsonl documents cut to {args.max_chars} chars",
            "documents": len(docs), "chars": sum(len(d['text']) for d in docs)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "speed.json").write_text(json.dumps({"meta": meta, "results": res, "ratios": ratios}, ensure_ascii=False, indent=1), encoding="utf-8")
    stages = res["interleaved"]["seconds_per_stage"]
    total = sum(stages.values())
    il = res["interleaved"]
    lines = [
        "# Speed and memory", "",
        f"- Date: {meta['date']}", f"- Machine: {meta['machine']} (shared with other jobs while measured)",
        f"- Command: `{meta['command']}`", f"- Corpus: {meta['corpus']} ({meta['documents']} documents, {meta['chars']:,} chars)", "",
        "| run | chars/s | load s | peak MB / process |", "|---|---:|---:|---:|",
        f"| bare pkuseg segmentation | {res['bare']['chars_per_s']:,.0f} | {res['bare']['load_s']:.1f} | {res['bare']['peak_mb']:,.0f} |",
        f"| full pipeline, 1 worker | {res['full-1']['chars_per_s']:,.0f} | {res['full-1']['load_s']:.1f} | {res['full-1']['peak_mb']:,.0f} |",
        f"| full pipeline, 2 workers (one document per task, the parent writing spools and counts) | {res['full-2']['chars_per_s']:,.0f} | {res['full-2']['load_s']:.1f} (both, in parallel) | {res['full-2']['peak_worker_mb']:,.0f} (largest worker) |",
        "", f"Best of {args.repeat} alternating runs each for bare and full-1 (every run, chars/s: bare "
        f"{res['all_runs']['bare']}, full-1 {res['all_runs']['full-1']}). full-1 is `Corpus.analyze`: the pipeline, "
        "the mention rows, the Parquet spools and the co-occurrence counts.",
        f"Interleaved in one process, document by document (the bare segmentation of a document, then "
        f"the document through the runner's path): bare {il['bare_chars_per_s']:,.0f} chars/s, full "
        f"{il['full_chars_per_s']:,.0f} chars/s.", "",
        "Interleaved, per corpus:", "", "| corpus | documents | chars | bare chars/s | full chars/s | full / bare |",
        "|---|--:|--:|--:|--:|--:|",
        *[f"| {k} | {v['documents']} | {v['chars']:,} | {v['bare_chars_per_s']:,.0f} | {v['full_chars_per_s']:,.0f} | {v['ratio']:.3f} |"
          for k, v in il["by_corpus"].items()],
        "", f"- full / bare per process: **{ratios['full_vs_bare_per_process']:.3f}×** in separate processes (best of "
        f"{args.repeat}), **{ratios['full_vs_bare_pairwise_median']:.3f}×** as the median of the {args.repeat} "
        f"alternating pairs, **{ratios['full_vs_bare_interleaved']:.3f}×** interleaved (target ≥ 0.75)",
        f"- 2 workers / 1 worker: **{ratios['two_workers_vs_one']:.2f}×** (target ≥ 1.6)", "",
        "## Where the time goes (full pipeline, one process)", "",
        "From the interleaved run, no profiler attached.", "", "| stage | seconds | share |", "|---|---:|---:|",
        *[f"| {k} | {v:.2f} | {v / total:.0%} |" for k, v in sorted(stages.items(), key=lambda kv: -kv[1])],
        "", "## cProfile (top cumulative)", "", "The same documents under cProfile (which slows Python code more than pkuseg's).", "", "```", res["profile"]["profile"].strip()[:6000], "```", "",
    ]
    (RESULTS / "speed.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[:20]))


if __name__ == "__main__":
    main()
