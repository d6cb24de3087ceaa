"""How each stage of the pipeline scales with the length of one document (issue 17).

    .venv/bin/python benchmarks/scaling.py [--source qidu|national] [--sizes 25000 50000 ...]

One document is built from real text: ``qidu`` repeats the bundled report (paragraphs of the
same names and slogans again and again, as in a yearbook of one town), ``national`` concatenates
the national reports in order (new names all the way, as in a concatenated corpus). For every
size (doubling from 25,000 to 1,600,000 characters, cut at a line end) the document goes
through the full pipeline stage by stage (the pkuseg tokenizer, each component, then the rows
of :func:`qidu_nlp.pipeline.rows.analyze_doc`), and through two bare segmenters: qidu_nlp's
(``qidu_nlp.load(components=[])``, :class:`~qidu_nlp.pipeline.segmenter.FastPkuseg`) and
spaCy's own ``zh`` with spacy-pkuseg (the same model and user dictionary, the same words: the
baseline the issue was measured against), in the same process, alternately, so that all see
the same machine. The table gives microseconds per character for each stage: a linear stage keeps the
same figure at every size.

A stage that grows by more than 2.3× when the document doubles is marked super-linear. The
ratios to read: time(400k) / time(100k) of the whole pipeline (4.0 when linear), and bare /
full at 400k characters for each bare segmenter.

Writes benchmarks/results/scaling_<source>.json and .md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QIDU_SHARED", ROOT.parent / "shared")) / "corpora"
RESULTS = ROOT / "benchmarks" / "results"
_clock = time.process_time  # CPU seconds of this process: steadier than wall time on a shared machine
SIZES = (25_000, 50_000, 100_000, 200_000, 400_000, 800_000, 1_600_000)


def base_text(source: str) -> str:
    if source == "qidu":
        return (ROOT / "corpora" / "qidu_2024.txt").read_text(encoding="utf-8").strip() + "\n"
    path = SHARED / "national_reports.jsonl"
    if not path.exists():
        raise SystemExit(f"{path} is missing (the national source needs ../shared/corpora)")
    with open(path, encoding="utf-8") as f:
        return "".join(json.loads(line)["text"].strip() + "\n" for line in f)


def document(base: str, size: int) -> str:
    """``base`` repeated until ``size`` characters, cut after the last line end before it."""
    text = base * (size // len(base) + 1)
    cut = text.rfind("\n", 0, size) + 1
    return text[:cut] if cut > size // 2 else text[:size]


def stages(nlp, text: str) -> dict[str, float]:
    """CPU seconds per stage of one document through the full pipeline, as ``nlp(text)`` runs
    it: the tokenizer, each component, the deferred token cuts (``finalize``), then the rows."""
    from qidu_nlp.pipeline.rows import analyze_doc
    from qidu_nlp.pipeline.spans import defer, finalize

    gc.collect()
    out = {}
    t = _clock()
    doc = nlp.make_doc(text)
    out["tokenizer"] = _clock() - t
    defer(doc)
    for name, proc in nlp.pipeline:
        t = _clock()
        doc = proc(doc)
        out[name] = _clock() - t
    t = _clock()
    doc = finalize(doc)
    out["cuts"] = _clock() - t
    doc._.qidu.meta = {"id": "scaling", "year": 2024}
    t = _clock()
    analyze_doc(doc)
    out["rows"] = _clock() - t
    return out


def bare(nlp, text: str) -> float:
    gc.collect()
    t = _clock()
    nlp.make_doc(text)
    return _clock() - t


def spacy_pkuseg():
    """spaCy's Chinese with spacy-pkuseg's own segmenter, the model and user dictionary qidu_nlp uses."""
    from spacy.lang.zh import Chinese

    from qidu_nlp.pipeline.download import model_dir
    from qidu_nlp.pipeline.loader import user_dict_words

    nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.initialize(pkuseg_model=str(model_dir()), pkuseg_user_dict="default")
    nlp.tokenizer.pkuseg_update_user_dict(user_dict_words())
    nlp.max_length = 20_000_000  # no parser or NER: spaCy's 1M guard does not apply
    return nlp


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", choices=("qidu", "national"), default="qidu")
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--out", default=None, help="results name (default scaling_SOURCE)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds over all sizes; each figure is the median of the rounds, and the ratios the "
                         "medians of each round's ratio (a shared machine's speed drifts)")
    args = ap.parse_args()

    import qidu_nlp

    started = datetime.now(timezone.utc)
    t = _clock()
    full_nlp = qidu_nlp.load()
    load_s = _clock() - t
    bare_nlp = qidu_nlp.load(components=[])
    spacy_nlp = spacy_pkuseg()
    base = base_text(args.source)
    stages(full_nlp, base[:5000])  # warm-up: the first call of each component
    rounds: list[list[dict]] = []
    for r in range(args.repeat):
        rounds.append([])
        for size in sorted(args.sizes):
            text = document(base, size)
            b = bare(bare_nlp, text)
            s = stages(full_nlp, text)
            sp = bare(spacy_nlp, text)
            full = sum(s.values())
            rounds[-1].append({"chars": len(text), "bare_s": b, "spacy_pkuseg_s": sp, "full_s": full, "stages_s": s})
            per = "  ".join(f"{k} {v / len(text) * 1e6:.1f}" for k, v in s.items())
            print(f"round {r + 1}  {len(text):>9,} chars  bare {b:7.2f} s  spacy-pkuseg {sp:7.2f} s  full {full:7.2f} s  "
                  f"bare/full {b / full:.2f}  us/char: {per}", flush=True)
    med = statistics.median
    rows = [{"chars": rs[0]["chars"], **{k: med(x[k] for x in rs) for k in ("bare_s", "spacy_pkuseg_s", "full_s")},
             "stages_s": {n: med(x["stages_s"][n] for x in rs) for n in rs[0]["stages_s"]}}
            for rs in zip(*rounds)]
    names = list(rows[0]["stages_s"])
    ratio_400_100 = None
    by_size = {r["chars"] // 1000 * 1000: r for r in rows}
    at = {k: min(range(len(rows)), key=lambda i: abs(rows[i]["chars"] - k)) for k in (100_000, 400_000)}
    near = {k: rows[i] for k, i in at.items()}
    if all(abs(near[k]["chars"] - k) < k * 0.05 for k in near):
        per_round = [rs[at[400_000]]["full_s"] / rs[at[100_000]]["full_s"] for rs in rounds]
        ratio_400_100 = med(per_round)
    meta = {"date": started.isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, nproc={os.cpu_count()}, Python {platform.python_version()}",
            "command": f".venv/bin/python benchmarks/scaling.py --source {args.source} --sizes {' '.join(map(str, args.sizes))}"
                       + (f" --repeat {args.repeat}" if args.repeat > 1 else "") + (f" --out {args.out}" if args.out else ""),
            "source": args.source, "load_cpu_s": load_s, "clock": "process CPU time"}
    growth = {}
    for a, b in zip(rows, rows[1:]):
        k = b["chars"] / a["chars"]
        growth[f"{a['chars']}->{b['chars']}"] = {n: (b["stages_s"][n] / a["stages_s"][n]) / k * 2 if a["stages_s"][n] > 0 else None
                                                  for n in names}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"meta": meta, "rows": rows, "rounds": rounds, "full_400k_over_100k": ratio_400_100,
           "full_400k_over_100k_per_round": per_round if ratio_400_100 else None,
           "bare_over_full_400k": near[400_000]["bare_s"] / near[400_000]["full_s"] if ratio_400_100 else None,
           "spacy_pkuseg_over_full_400k": near[400_000]["spacy_pkuseg_s"] / near[400_000]["full_s"] if ratio_400_100 else None,
           "growth_per_doubling": growth}
    (RESULTS / f"{args.out or 'scaling_' + args.source}.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    head = ("| characters | bare (qidu segmenter) s | bare (spacy-pkuseg) s | full s | qidu bare / full | "
            "spacy-pkuseg bare / full | " + " | ".join(names) + " |")
    lines = [f"# Scaling with document length ({args.source})", "", f"- Date: {meta['date']}",
             f"- Machine: {meta['machine']} (shared with other jobs)", f"- Command: `{meta['command']}`", "",
             "Microseconds per character for each stage (a linear stage keeps its figure as the document doubles)"
             + (f", medians of {args.repeat} rounds" if args.repeat > 1 else "") + ":", "",
             head, "|" + "--:|" * (6 + len(names)),
             *[f"| {r['chars']:,} | {r['bare_s']:.2f} | {r['spacy_pkuseg_s']:.2f} | {r['full_s']:.2f} | "
               f"{r['bare_s'] / r['full_s']:.2f} | {r['spacy_pkuseg_s'] / r['full_s']:.2f} | "
               + " | ".join(f"{r['stages_s'][n] / r['chars'] * 1e6:.1f}" for n in names) + " |" for r in rows], ""]
    if ratio_400_100:
        lines.append(f"- full pipeline, time(400k) / time(100k): **{ratio_400_100:.2f}** (4.0 when linear; target ≤ 4.6)"
                     + (f"; each round: {', '.join(f'{x:.2f}' for x in per_round)}" if len(per_round) > 1 else ""))
        lines.append(f"- bare / full at 400k: **{out['bare_over_full_400k']:.2f}** against qidu's segmenter, "
                     f"**{out['spacy_pkuseg_over_full_400k']:.2f}** against spacy-pkuseg (target ≥ 0.65)")
    worst = {n: max((g[n] for g in growth.values() if g[n] is not None), default=None) for n in names}
    lines.append("- largest growth per doubling (2.0 = linear): "
                 + ", ".join(f"{n} {w:.2f}" for n, w in worst.items() if w is not None))
    (RESULTS / f"{args.out or 'scaling_' + args.source}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    del by_size


if __name__ == "__main__":
    main()
