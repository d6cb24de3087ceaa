"""What a user waits for: ``qidu analyze`` end to end, beside bare segmentation, in one run (issue 17).

    .venv/bin/python benchmarks/wait.py [--repeat 3] [--cases one twelve national]

Every measurement is a fresh process timed from the outside (interpreter start, imports,
pipeline load, the run, the output files, exit):

- ``spacy-pkuseg``: bare segmentation as spaCy gives it, spaCy's ``Chinese`` with the
  spacy-pkuseg segmenter (the same model and user dictionary), every document of the corpus
  through ``nlp.make_doc``, in one process: the baseline of the issue;
- ``qidu segmenter``: the same with qidu_nlp's own segmenter (``qidu_nlp.load(components=[])``,
  the same words, :mod:`qidu_nlp.pipeline.segmenter`);
- ``qidu analyze -w 1`` and ``qidu analyze -w 2``: the command, all outputs written.

The corpora: the bundled report (one document), the first twelve national reports, all 52.
The four runs of a case alternate, ``--repeat`` times, so that each ratio compares runs made
at the same moment of a shared machine; the ratios reported are the medians of the ratios of
each round. The whole-run memory of the ``qidu analyze`` runs (summed PSS of the process
tree, :mod:`run_memory`) is the peak over the rounds.

Writes benchmarks/results/wait.json and wait.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_memory import measure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QIDU_SHARED", ROOT.parent / "shared")) / "corpora"
RESULTS = ROOT / "benchmarks" / "results"
PY = sys.executable
QIDU = str(Path(PY).with_name("qidu"))

BARE = r'''
import sys, json
from pathlib import Path
texts = []
for path in sys.argv[2:]:
    p = Path(path)
    if p.suffix == ".jsonl":
        texts += [json.loads(line)["text"] for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        texts.append(p.read_text(encoding="utf-8"))
if sys.argv[1] == "spacy":
    from spacy.lang.zh import Chinese
    from qidu_nlp.pipeline.download import model_dir
    from qidu_nlp.pipeline.loader import user_dict_words
    nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.initialize(pkuseg_model=str(model_dir()), pkuseg_user_dict="default")
    nlp.tokenizer.pkuseg_update_user_dict(user_dict_words())
else:
    import qidu_nlp
    nlp = qidu_nlp.load(components=[])
for text in texts:
    nlp.make_doc(text)
'''


def cases(names: list[str], tmp: Path) -> dict[str, Path]:
    out = {}
    national = SHARED / "national_reports.jsonl"
    for name in names:
        if name == "one":
            out["1 document (the bundled report, 6,108 characters)"] = ROOT / "corpora" / "qidu_2024.txt"
        elif name == "twelve" and national.exists():
            path = tmp / "twelve.jsonl"
            path.write_text("".join(national.read_text(encoding="utf-8").splitlines(keepends=True)[:12]), encoding="utf-8")
            out["12 national reports"] = path
        elif name == "national" and national.exists():
            out["52 national reports"] = national
    return out


def chars(path: Path) -> tuple[int, int]:
    if path.suffix == ".jsonl":
        texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        texts = [path.read_text(encoding="utf-8")]
    return len(texts), sum(map(len, texts))


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cases", nargs="+", default=["one", "twelve", "national"])
    args = ap.parse_args()
    started = datetime.now(timezone.utc)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for label, path in cases(args.cases, tmp).items():
            runs: dict[str, list] = {"spacy-pkuseg": [], "qidu segmenter": [], "qidu analyze -w 1": [],
                                     "qidu analyze -w 2": []}
            memory = {"qidu analyze -w 1": 0.0, "qidu analyze -w 2": 0.0}
            for r in range(args.repeat):
                runs["spacy-pkuseg"].append(timed([PY, "-c", BARE, "spacy", str(path)]))
                for w in (1, 2):
                    m = measure([QIDU, "analyze", str(path), "-o", str(tmp / f"out{w}"), "-q", "--workers", str(w)])
                    if m["exit_code"] != 0:
                        raise SystemExit(f"qidu analyze failed: {m['last_line']}")
                    runs[f"qidu analyze -w {w}"].append(m["wall_s"])
                    memory[f"qidu analyze -w {w}"] = max(memory[f"qidu analyze -w {w}"], m["peak_pss_mb"])
                runs["qidu segmenter"].append(timed([PY, "-c", BARE, "qidu", str(path)]))
                print(label, r, {k: round(v[-1], 2) for k, v in runs.items()}, flush=True)
            rounds = range(args.repeat)
            ratio = lambda a, b: statistics.median(runs[a][i] / runs[b][i] for i in rounds)  # noqa: E731
            docs, n_chars = chars(path)
            results[label] = {
                "documents": docs, "chars": n_chars, "seconds": runs, "median_s": {k: statistics.median(v) for k, v in runs.items()},
                "peak_pss_mb": memory,
                "ratios": {"-w 2 / spacy-pkuseg": ratio("qidu analyze -w 2", "spacy-pkuseg"),
                           "-w 1 / spacy-pkuseg": ratio("qidu analyze -w 1", "spacy-pkuseg"),
                           "-w 2 / qidu segmenter": ratio("qidu analyze -w 2", "qidu segmenter"),
                           "-w 1 / -w 2 (speed-up)": ratio("qidu analyze -w 1", "qidu analyze -w 2")},
            }
    meta = {"date": started.isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, nproc={os.cpu_count()}, Python {platform.python_version()}",
            "command": f".venv/bin/python benchmarks/wait.py --repeat {args.repeat} --cases {' '.join(args.cases)}"}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "wait.json").write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    lines = ["# What a user waits for", "", f"- Date: {meta['date']}", f"- Machine: {meta['machine']} (shared)",
             f"- Command: `{meta['command']}`", "",
             "Seconds from the shell, median of the rounds (load and output files included):", "",
             "| corpus | characters | spacy-pkuseg (bare) | qidu segmenter (bare) | qidu analyze -w 1 | qidu analyze -w 2 "
             "| -w 2 / spacy-pkuseg | -w 2 / qidu segmenter | -w 1 / -w 2 | peak PSS -w 1 / -w 2 MB |",
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for label, r in results.items():
        m, q = r["median_s"], r["ratios"]
        lines.append(f"| {label} | {r['chars']:,} | {m['spacy-pkuseg']:.1f} | {m['qidu segmenter']:.1f} | "
                     f"{m['qidu analyze -w 1']:.1f} | {m['qidu analyze -w 2']:.1f} | {q['-w 2 / spacy-pkuseg']:.2f} | "
                     f"{q['-w 2 / qidu segmenter']:.2f} | {q['-w 1 / -w 2 (speed-up)']:.2f} | "
                     f"{r['peak_pss_mb']['qidu analyze -w 1']:,.0f} / {r['peak_pss_mb']['qidu analyze -w 2']:,.0f} |")
    lines += ["", "Every round, seconds:", ""]
    for label, r in results.items():
        lines.append(f"- {label}: " + "; ".join(f"{k} {', '.join(f'{x:.1f}' for x in v)}" for k, v in r["seconds"].items()))
    (RESULTS / "wait.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
