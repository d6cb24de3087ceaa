"""Every accuracy table of the README: the qidu pipeline and the baselines on the gold files.

Usage::

    .venv/bin/python benchmarks/accuracy.py [--gold PATH ...] [--shared ../shared]
        [--out benchmarks/results/accuracy.json] [--readme benchmarks/README.md]

By default it scores the bundled report's gold (``corpora/annotations/qidu_2024.jsonl``) and the
shared development set (``<shared>/corpora/local_dev/gold.jsonl``, skipped with a note when
absent), runs every baseline in the same process (:func:`qidu_nlp.evaluation.bench` with
``baselines=True``), writes the full results (scores, error lists, machine, commit) as JSON and
prints the markdown tables. With ``--readme`` it also replaces the generated block between
``<!-- accuracy:start -->`` and ``<!-- accuracy:end -->`` in that file.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import subprocess  # noqa: E402

from qidu_nlp.evaluation.bench import bench  # noqa: E402
from qidu_nlp.evaluation.gold import sample_gold_path  # noqa: E402

START, END = "<!-- accuracy:start -->", "<!-- accuracy:end -->"


def gold_paths(extra: list[Path], shared: Path) -> list[Path]:
    if extra:
        return extra
    paths = [sample_gold_path()]
    local_dev = shared / "corpora" / "local_dev" / "gold.jsonl"
    if local_dev.is_file():
        paths.append(local_dev)
    else:
        print(f"note: {local_dev} not found; scoring the bundled gold only", file=sys.stderr)
    return paths


def slogan_cv() -> dict | None:
    """The slogan judge's cross-validated scores, stored with the shipped model (if any).

    The judge is trained on both gold files, so its scores in the bench tables are training-set
    scores; the cross-validated ones are the honest estimate on these files.
    """
    path = ROOT / "qidu_nlp" / "data" / "slogans" / "model.joblib"
    if not path.exists():
        return None
    try:
        import joblib

        metrics = joblib.load(path).get("metrics") or {}
    except Exception:  # noqa: BLE001 - an unreadable model only loses the note
        return None
    keep = ("strict_precision", "strict_recall", "strict_f1", "overlap_f1", "kind_accuracy")
    by_file = metrics.get("by_file") or {}
    if not by_file:
        return None
    return {
        "folds": metrics.get("folds"),
        "documents": metrics.get("documents"),
        "by_file": {name: {k: v for k, v in m.items() if k in keep} for name, m in by_file.items()},
    }


def cv_note(cv: dict | None) -> str:
    if not cv:
        return ""
    rows = "; ".join(
        f"{name}: strict F1 {m.get('strict_f1', float('nan')):.3f}, kind acc {m.get('kind_accuracy', float('nan')):.3f}"
        for name, m in cv["by_file"].items()
    )
    return (
        "\n\n**Caution:** the slogan judge (`qidu_nlp/data/slogans/model.joblib`) is trained on both gold "
        "files, so the `qidu` SLOGAN rows above are training-set scores. Its "
        f"{cv['folds']}-fold cross-validated scores ({cv['documents']} documents), stored with "
        f"the model, are the honest estimate: {rows}. The entity and quantity rules were also "
        "developed on these files; only a held-out set measures generalisation."
    )


def _commit() -> str:
    """The checkout's commit, marked ``+dirty`` when the library has uncommitted changes."""
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "qidu_nlp"], capture_output=True, text=True).stdout.strip()
    return f"{commit}+dirty" if dirty else commit


def readme_block(report, command: str) -> str:
    res = report.results
    m = res["machine"]
    head = (
        f"Measured {res['date'][:10]} at commit `{_commit()}` on {m.get('cpus')} CPUs, "
        f"{m.get('memory_gb')} GB RAM ({m.get('platform')}, Python {m.get('python')}); "
        f"command: `{command}`. Pipeline load time {res['load_seconds']:.1f} s (not in chars/s). "
        "Full results, with every false positive and false negative: "
        "`benchmarks/results/accuracy.json`."
    )
    note = cv_note(res.get("slogan_cross_validation"))
    return f"{START}\n{head}\n\n{report.markdown(errors=False).rstrip()}{note}\n{END}"


def update_readme(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, action="append", default=[], help="gold JSONL (repeatable)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "accuracy.json")
    ap.add_argument("--readme", type=Path, default=None, help="update the accuracy block of this file")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    report = bench(gold_paths(args.gold, args.shared), baselines=True)
    report.results["slogan_cross_validation"] = slogan_cv()
    report.to_json(args.out)
    print(report.markdown() + cv_note(report.results["slogan_cross_validation"]).strip())
    print(f"results -> {args.out}")
    if args.readme:
        update_readme(args.readme, readme_block(report, ".venv/bin/python benchmarks/accuracy.py --readme benchmarks/README.md"))
        print(f"tables -> {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
