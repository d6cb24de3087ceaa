"""The segmenter of qidu_nlp against spacy-pkuseg's own, word for word, on every shared corpus.

    .venv/bin/python benchmarks/segmenter_check.py [CORPUS ...]

:class:`qidu_nlp.pipeline.segmenter.FastPkuseg` finds pkuseg's features by fingerprints instead
of reading pkuseg's feature dict; it must give exactly pkuseg's words. This script segments
every document of the shared corpora (default: all ``../shared/corpora/*.jsonl``, the
``local_dev`` gold and the bundled report) with both, with the library's user dictionary
pushed into both, and counts the documents whose words differ (printing the first
difference). It also times both, in CPU seconds of this process, document by document.

Writes benchmarks/results/segmenter_check.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QIDU_SHARED", ROOT.parent / "shared")) / "corpora"
RESULTS = ROOT / "benchmarks" / "results"


def texts(path: Path):
    if path.suffix == ".jsonl":
        with open(path, encoding="utf-8") as f:
            for line in f:
                obj = json.loads(line)
                for key in ("text", "zh"):
                    if isinstance(obj.get(key), str):
                        yield obj[key]
                        break
    else:
        yield path.read_text(encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpora", nargs="*", type=Path)
    args = ap.parse_args()
    import spacy_pkuseg

    from qidu_nlp.pipeline.download import model_dir
    from qidu_nlp.pipeline.loader import user_dict_words
    from qidu_nlp.pipeline.segmenter import FastPkuseg

    corpora = args.corpora or [*sorted(SHARED.glob("*.jsonl")), SHARED / "local_dev" / "gold.jsonl",
                               ROOT / "corpora" / "qidu_2024.txt"]
    t = time.perf_counter()
    original = spacy_pkuseg.pkuseg(str(model_dir()), user_dict="default")
    load_original = time.perf_counter() - t
    t = time.perf_counter()
    fast = FastPkuseg(model_dir())
    load_fast = time.perf_counter() - t
    for word in user_dict_words():
        original.preprocesser.insert(word.strip(), "")
        fast.preprocesser.insert(word.strip(), "")
    report = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "load_s": {"spacy-pkuseg": load_original, "qidu": load_fast}, "corpora": {}}
    for path in corpora:
        if not path.exists():
            print(f"{path}: missing, skipped")
            continue
        docs = chars = differ = 0
        cpu_o = cpu_f = 0.0
        first = None
        for text in texts(path):
            c = time.process_time()
            a = original.cut(text)
            cpu_o += time.process_time() - c
            c = time.process_time()
            b = fast.cut(text)
            cpu_f += time.process_time() - c
            docs += 1
            chars += len(text)
            if a != b:
                differ += 1
                if first is None:
                    i = next(k for k, (x, y) in enumerate(zip(a + [None], b + [None])) if x != y)
                    first = {"doc": docs - 1, "word": i, "spacy-pkuseg": a[max(0, i - 3):i + 3],
                             "qidu": b[max(0, i - 3):i + 3]}
        row = {"documents": docs, "chars": chars, "differ": differ, "first_difference": first,
               "us_per_char_spacy_pkuseg": cpu_o / max(chars, 1) * 1e6, "us_per_char_qidu": cpu_f / max(chars, 1) * 1e6}
        report["corpora"][path.name] = row
        print(f"{path.name}: {docs} documents, {chars:,} characters, {differ} differ; "
              f"µs/char spacy-pkuseg {row['us_per_char_spacy_pkuseg']:.1f}, qidu {row['us_per_char_qidu']:.1f}"
              + (f"; first difference {first}" if first else ""), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "segmenter_check.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
