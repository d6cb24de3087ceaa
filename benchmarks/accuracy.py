"""Every accuracy table of the README, held-out figures first: blind documents, then provinces held
out by cross-validation, then (last, labelled as such) the fit on the training documents.

Usage::

    .venv/bin/python benchmarks/accuracy.py [--shared ../shared]
        [--out benchmarks/results/accuracy.json] [--readme benchmarks/README.md] [--summary README.md]

1. **Blind.** The documents of ``meta.split == "blind"`` in ``corpora/annotations/local_train.jsonl``
   (13 town openings) and ``local_gov_paragraphs.jsonl`` (8 city and county paragraphs): four
   provinces frozen before the generalisation work, never read for rules, never trained on.
   The shipped pipeline, the same pipeline with the rules alone (no trained judge) and every
   baseline run on them in one process. Their errors are written to the JSON only (not
   printed), so that no one tunes on them by accident.
2. **Held-out provinces.** The entity judge's leave-one-province-out scores and the slogan
   judge's province-grouped cross-validation, as measured when they were trained (stored in
   ``qidu_nlp/data/entities/judge.joblib`` and ``qidu_nlp/data/slogans/model.joblib``).
3. **Training fit.** The training documents (the bundled report, local_dev, the training
   splits): the rules were written on them and the judges trained on them, so these are
   in-sample figures, optimistic by construction.

Writes everything (scores, error lists, machine, commit) to ``--out`` and, with ``--readme``,
replaces the block between ``<!-- accuracy:start -->`` and ``<!-- accuracy:end -->``.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qidu_nlp.evaluation.baselines import Baseline  # noqa: E402
from qidu_nlp.evaluation.bench import bench  # noqa: E402
from qidu_nlp.evaluation.gold import load_gold, sample_gold_path  # noqa: E402
from qidu_nlp.evaluation.heldout import held_out_markdown, held_out_scores  # noqa: E402
from qidu_nlp.pipeline.loader import load  # noqa: E402
from qidu_nlp.schema import LABELS  # noqa: E402

START, END = "<!-- accuracy:start -->", "<!-- accuracy:end -->"
SUMMARY_START, SUMMARY_END = "<!-- accuracy-summary:start -->", "<!-- accuracy-summary:end -->"
ANNOTATIONS = ROOT / "corpora" / "annotations"
SPLIT_FILES = (ANNOTATIONS / "local_train.jsonl", ANNOTATIONS / "local_gov_paragraphs.jsonl")
# the second blind set, made when the first had been read three times: scored as a set of its own
BLIND3_FILE = ANNOTATIONS / "local_gov_blind3.jsonl"
BLIND3 = "blind3: local_gov_blind3"


def blind_sets() -> list[tuple[str, list[dict]]]:
    """The blind documents: the first blind split all together and file by file, then the
    second blind set (``BLIND3``)."""
    parts = [(f"blind: {p.stem}", load_gold(p, split="blind")) for p in SPLIT_FILES]
    together = [r for _name, recs in parts for r in recs]
    return [("blind: all", together), *parts, (BLIND3, load_gold(BLIND3_FILE, split="blind"))]


def training_sets(shared: Path) -> list[tuple[str, list[dict]]]:
    """The training documents, file by file (local_dev skipped with a note when absent)."""
    out = [("train: bundled report (qidu_2024)", load_gold(sample_gold_path()))]
    local_dev = shared / "corpora" / "local_dev" / "gold.jsonl"
    if local_dev.is_file():
        out.append(("train: local_dev", load_gold(local_dev)))
    else:
        print(f"note: {local_dev} not found; its training-fit table is left out", file=sys.stderr)
    out += [(f"train: {p.stem}", load_gold(p, split="train")) for p in SPLIT_FILES]
    return [("train: all", [r for _name, recs in out for r in recs]), *out]


def rules_alone() -> Baseline:
    """The shipped pipeline without its trained judges: what the rules give by themselves."""
    nlp = load(config={"qidu_entities": {"use_model": False}, "qidu_slogans": {"use_model": False}})
    return Baseline("qidu rules alone", "the pipeline with use_model = false for slogans and entities",
                    LABELS, nlp)


def _commit() -> str:
    """The checkout's commit, marked ``+dirty`` when the library has uncommitted changes."""
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "qidu_nlp"], capture_output=True, text=True).stdout.strip()
    return f"{commit}+dirty" if dirty else commit


def readme_block(blind, cv: dict, train, command: str) -> str:
    res = blind.results
    m = res["machine"]
    head = (
        f"Measured {res['date'][:10]} at commit `{_commit()}` on {m.get('cpus')} CPUs, "
        f"{m.get('memory_gb')} GB RAM ({m.get('platform')}, Python {m.get('python')}); "
        f"command: `{command}`. Full results, with every false positive and false negative: "
        "`benchmarks/results/accuracy.json`."
    )
    parts = [
        head,
        "## 1. Blind: four provinces never looked at (the first split, and blind3)",
        blind.markdown(errors=False).rstrip(),
        "## 2. Held-out provinces (cross-validation)",
        held_out_markdown(cv).rstrip(),
        "## 3. Training fit (in-sample: rules written and judges trained on these documents)",
        train.markdown(errors=False, systems=["qidu", "qidu rules alone", "rules", "jieba"]).rstrip(),
    ]
    return START + "\n" + "\n\n".join(parts) + "\n" + END


def summary_block(blind, cv: dict, train) -> str:
    """One table for the project README: per label, blind, held-out provinces, training fit and
    the best baseline on the blind documents, all strict F1."""
    def system(report, name, systems):
        entry = next(g for g in report.results["gold"] if g["name"] == name)
        return {s["name"]: s["scores"] for s in entry["systems"] if s["name"] in systems}

    b = system(blind, "blind: all", _names(blind))
    b3 = system(blind, BLIND3, {"qidu"})["qidu"]["labels"]
    t = system(train, "train: all", _names(train))
    ent, slo = cv["entities"]["cv"], cv["slogans"]
    before = _before("accuracy_blind_before.json")
    before3 = _before("accuracy_blind3_before.json")
    rows = ["| label | **blind** (gold spans) | blind, rules alone | "
            + (f"blind, before this work ({before['commit']}) | " if before else "")
            + "**blind3** (gold spans) | "
            + (f"blind3, before this round ({before3['commit']}) | " if before3 else "")
            + "held-out provinces (CV) | training fit (in-sample) | best baseline, blind |",
            "|---|--:|--:|--:|--:|--:|--:|" + ("--:|" if before else "") + ("--:|" if before3 else "")]
    for lab in LABELS:
        q = b["qidu"]["labels"].get(lab)
        if not q:
            continue
        q3 = b3.get(lab)
        new = f"**{q3['strict']['f1']:.2f}** ({q3['gold']}) | " if q3 and q3["gold"] else "– | "
        if before3:
            new += f"{before3['strict_f1'][lab]:.2f} | " if lab in before3["strict_f1"] and q3 and q3["gold"] else "– | "
        rules = b.get("qidu rules alone", {}).get("labels", {}).get(lab)
        held = slo["strict_f1"] if lab == "SLOGAN" else (ent.get(lab, {}).get("f1") if lab in ent else None)
        fit = t["qidu"]["labels"].get(lab)
        base = max(((n, s["labels"][lab]["strict"]["f1"]) for n, s in b.items()
                    if n not in ("qidu", "qidu rules alone", "jionlp") and lab in s["labels"] and "scope" not in n),
                   key=lambda x: x[1], default=None)
        extra = ""
        if lab == "SLOGAN":
            extra = f"; kind acc {b['qidu']['slogan_kind']['accuracy']:.2f}"
        if lab == "QUANTITY":
            extra = f"; value acc {b['qidu']['quantity_value']['accuracy']:.2f}"
        was = ""
        if before:
            was = f"{before['strict_f1'][lab]:.2f} | " if lab in before["strict_f1"] else "– | "
        rows.append(f"| {lab} | **{q['strict']['f1']:.2f}** ({q['gold']}{extra}) | "
                    f"{'–' if not rules else format(rules['strict']['f1'], '.2f')} | {was}{new}"
                    f"{'–' if held is None else format(held, '.2f')} | {fit['strict']['f1']:.2f} | "
                    f"{'–' if not base else f'{base[0]} {base[1]:.2f}'} |")
    blind_docs = next(g for g in blind.results["gold"] if g["name"] == "blind: all")["n_docs"]
    blind3_docs = next(g for g in blind.results["gold"] if g["name"] == BLIND3)["n_docs"]
    note = (f"Blind: {blind_docs} documents of four provinces never read or trained on"
            + (f" (before this work: the pipeline of {before['commit']}, `benchmarks/blind_before.py`)" if before else "")
            + f"; blind3: {blind3_docs} new paragraphs of city reports of the same provinces, frozen before this round"
            + (f" (before it: the pipeline of {before3['commit']})" if before3 else "")
            + "; held-out provinces: "
            f"the judges' cross-validation ({cv['entities']['documents']} documents, whole provinces held out; "
            "rules-only labels QUANTITY and the rules' share of the others have no such figure); training fit: the "
            "documents the rules were written and the judges trained on. Made by `benchmarks/accuracy.py`; full tables "
            "in `benchmarks/README.md`.")
    return SUMMARY_START + "\n" + "\n".join(rows) + "\n\n" + note + "\n" + SUMMARY_END


def _before(name: str) -> dict | None:
    """A stored score of an older pipeline on the blind documents (``benchmarks/blind_before.py``)."""
    path = ROOT / "benchmarks" / "results" / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _names(report) -> set[str]:
    return {s["name"] for g in report.results["gold"] for s in g["systems"]}


def update_readme(path: Path, block: str, start: str = START, end: str = END) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "accuracy.json")
    ap.add_argument("--readme", type=Path, default=None, help="update the accuracy block of this file")
    ap.add_argument("--summary", type=Path, default=None, help="update the summary table of this file (README.md)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    rules = rules_alone()
    blind = bench(blind_sets(), baselines=True, systems=[rules])
    cv = held_out_scores()
    train = bench(training_sets(args.shared), baselines=True, systems=[rules])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = {"commit": _commit(), "blind": blind.results, "held_out": cv, "training_fit": train.results}
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    # the blind errors are in the JSON only: printing them invites tuning on them
    print(blind.markdown(errors=False))
    print(held_out_markdown(cv))
    print(train.markdown(errors=True))
    print(f"results -> {args.out}")
    if args.readme:
        update_readme(args.readme, readme_block(blind, cv, train,
                                                ".venv/bin/python benchmarks/accuracy.py --readme benchmarks/README.md"))
        print(f"tables -> {args.readme}")
    if args.summary:
        update_readme(args.summary, summary_block(blind, cv, train), SUMMARY_START, SUMMARY_END)
        print(f"summary -> {args.summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
