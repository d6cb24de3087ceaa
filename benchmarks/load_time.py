"""Where ``qidu_nlp.load()`` spends its time, warm (files in the page cache), in fresh processes.

    .venv/bin/python benchmarks/load_time.py [--repeat 5]

Each round starts a new interpreter that times, in order: ``import qidu_nlp``; the language
object; the segmenter (qidu_nlp's :class:`~qidu_nlp.pipeline.segmenter.FastPkuseg`, and, for
comparison, spacy-pkuseg's own, which reads the 2.6-million-entry feature dict); the user
dictionary; each component's ``initialize`` (gazetteer, lexicons, models); the first
document. ``load()`` itself is timed in a separate interpreter. Medians of the rounds.

Writes benchmarks/results/load_time.json and load_time.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"

STAGES = r'''
import json, time
t0 = time.perf_counter()
import qidu_nlp
from qidu_nlp.pipeline.language import QiduChinese
from qidu_nlp.pipeline.download import model_dir
from qidu_nlp.pipeline.loader import COMPONENTS, user_dict_words
from qidu_nlp.pipeline.segmenter import FastPkuseg
out = {"import qidu_nlp": time.perf_counter() - t0}
t = time.perf_counter()
nlp = QiduChinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
out["language object"] = time.perf_counter() - t
t = time.perf_counter()
nlp.tokenizer.pkuseg_seg = FastPkuseg(model_dir())
out["segmenter (qidu, feature index memory-mapped)"] = time.perf_counter() - t
t = time.perf_counter()
nlp.tokenizer.pkuseg_update_user_dict(user_dict_words())
out["user dictionary"] = time.perf_counter() - t
for name in COMPONENTS:
    t = time.perf_counter()
    component = nlp.add_pipe(name)
    if hasattr(component, "initialize"):  # as load() does: a component without data has none
        component.initialize(nlp=nlp)
    out[f"{name} (initialize)"] = time.perf_counter() - t
t = time.perf_counter()
nlp("各位代表：全年完成一般公共预算收入1.43亿元，同比增长34%。")
out["first document"] = time.perf_counter() - t
import spacy_pkuseg
t = time.perf_counter()
spacy_pkuseg.pkuseg(str(model_dir()), user_dict="default")
out["for comparison: spacy-pkuseg's segmenter (feature dict)"] = time.perf_counter() - t
print(json.dumps(out))
'''

LOAD = r'''
import json, time
import qidu_nlp
t = time.perf_counter()
qidu_nlp.load()
print(json.dumps({"qidu_nlp.load()": time.perf_counter() - t}))
'''


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    started = datetime.now(timezone.utc)
    rounds: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for code in (LOAD, STAGES):
            got = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                            text=True).stdout.strip().splitlines()[-1])
            for k, v in got.items():
                rounds.setdefault(k, []).append(v)
    med = {k: statistics.median(v) for k, v in rounds.items()}
    meta = {"date": started.isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, nproc={os.cpu_count()}, Python {platform.python_version()}",
            "command": f".venv/bin/python benchmarks/load_time.py --repeat {args.repeat}"}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load_time.json").write_text(json.dumps({"meta": meta, "rounds": rounds, "median_s": med}, indent=1),
                                            encoding="utf-8")
    lines = ["# Load time (warm)", "", f"- Date: {meta['date']}", f"- Machine: {meta['machine']} (shared)",
             f"- Command: `{meta['command']}`", "", "| stage | median s | all rounds |", "|---|--:|---|",
             *[f"| {k} | {v:.2f} | {', '.join(f'{x:.2f}' for x in rounds[k])} |" for k, v in med.items()]]
    (RESULTS / "load_time.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
