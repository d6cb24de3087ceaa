"""qidu_nlp.evaluation.bench: ``qidu bench``, the detector and the baselines scored side by side.

Every system runs in this process on the same records and is scored by :func:`score`;
throughput is characters of input per second of prediction, after a short warm-up.
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable, Iterable, Optional

from spacy.language import Language

from ..files import write_json
from ..pipeline.loader import load
from .baselines import Baseline, available_baselines
from .gold import PathLike, load_gold
from .predict import Detector, predict
from .scorer import score

__all__ = ["bench", "BenchReport"]

WARM_UP = 200  # characters run through each system before it is timed


def _machine() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kb = int(fh.readline().split()[1])
        info["memory_gb"] = round(kb / 1024**2, 1)
    except (OSError, ValueError, IndexError):
        pass
    return info



def _scoped(records: list[dict], scope: Optional[Callable[[dict], bool]]) -> list[dict]:
    if scope is None:
        return records
    return [{**r, "spans": [sp for sp in r.get("spans", []) if scope(sp)]} for r in records]


@dataclass
class BenchReport:
    """The results of :func:`bench`.

    Attributes
    ----------
    results : dict
        Plain JSON-able data: ``date``, ``machine``, ``versions``, ``skipped`` (systems
        not run, with the reason) and ``gold``: per gold file its ``name``, ``n_docs``, ``chars``,
        ``n_spans`` and ``systems``, each with ``name``, ``description``, ``labels``,
        ``seconds``, ``chars_per_second`` and ``scores`` (:func:`score`).
    """

    results: dict = field(default_factory=dict)

    def markdown(
        self, *, max_errors: int = 12, errors: bool = True, systems: Optional[Iterable[str]] = None
    ) -> str:
        """A table per gold file (system × label: gold and predicted counts, strict P/R/F1,
        overlap F1, kind accuracy, value accuracy, chars/s), then a shortened list of the
        false positives and false negatives of the first system, per document.

        Parameters
        ----------
        max_errors : int
            Errors listed per document and per kind of error (the rest is counted).
        errors : bool
            List the errors at all (False: the tables only).
        systems : iterable of str, optional
            Only these systems in the tables.
        """
        only = set(systems) if systems else None
        lines = []
        for gold in self.results.get("gold", []):
            lines.append(
                f"### {gold['name']} ({gold['n_docs']} documents, {gold['chars']:,} characters, "
                f"{gold['n_spans']} gold spans)"
            )
            lines.append("")
            lines.append(
                "| system | label | gold | pred | strict P | strict R | strict F1 | overlap F1 "
                "| kind acc | value acc | chars/s |"
            )
            lines.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
            for sysres in gold["systems"]:
                if only is not None and sysres["name"] not in only:
                    continue
                sc = sysres["scores"]
                rows = list(sc["labels"].items())
                if len(rows) > 1:
                    rows.append(("all (micro)", sc["micro"]))
                for i, (lab, r) in enumerate(rows):
                    kind_acc = sc["slogan_kind"]["accuracy"] if lab == "SLOGAN" else None
                    value_acc = sc["quantity_value"]["accuracy"] if lab == "QUANTITY" else None
                    lines.append(
                        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                            f"**{sysres['name']}**" if i == 0 else "",
                            lab,
                            r["gold"],
                            r["pred"],
                            _f(r["strict"]["precision"]),
                            _f(r["strict"]["recall"]),
                            _f(r["strict"]["f1"]),
                            _f(r["overlap"]["f1"]),
                            _f(kind_acc),
                            _f(value_acc),
                            f"{sysres['chars_per_second']:,.0f}" if i == 0 else "",
                        )
                    )
            lines.append("")
            if errors and gold["systems"]:
                lines.extend(_error_lines(gold["systems"][0], max_errors))
        skipped = self.results.get("skipped", [])
        if skipped:
            lines.append("Not run: " + "; ".join(f"{s['name']} ({s['reason']})" for s in skipped))
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def to_json(self, path: PathLike) -> None:
        """Write :attr:`results` as indented UTF-8 JSON (atomically)."""
        write_json(path, self.results)


def _f(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def _error_lines(sysres: dict, max_errors: int) -> list[str]:
    docs = sysres["scores"]["documents"]
    if not any(d["false_positives"] or d["false_negatives"] or d["attribute_errors"] for d in docs):
        return []
    out = [f"Errors of **{sysres['name']}** (strict; ~ = overlaps a span of the other side):", ""]
    for d in docs:
        parts = []
        for key, title in (("false_negatives", "missed"), ("false_positives", "spurious")):
            items = d[key]
            if not items:
                continue
            shown = [
                f"{'~' if it.get('overlaps') else ''}{it['label']} {it['context']}"
                for it in items[:max_errors]
            ]
            more = f" … and {len(items) - max_errors} more" if len(items) > max_errors else ""
            parts.append(f"  - {title} ({len(items)}): " + "; ".join(shown) + more)
        items = d["attribute_errors"]
        if items:
            shown = [f"{it['context']}: {it['error']}" for it in items[:max_errors]]
            more = f" … and {len(items) - max_errors} more" if len(items) > max_errors else ""
            parts.append(f"  - wrong attributes ({len(items)}): " + "; ".join(shown) + more)
        if parts:
            out.append(f"- `{d['id']}`")
            out.extend(parts)
    out.append("")
    return out


def _versions() -> dict:
    out = {}
    for name in ("qidu_nlp", "spacy", "spacy_pkuseg", "jieba", "jionlp"):
        try:
            out[name] = version(name.replace("_", "-") if name == "qidu_nlp" else name)
        except PackageNotFoundError:  # a missing optional package is simply not listed
            continue
    return out


def _run(name: str, description: str, detector, records, labels, scope=None) -> tuple[dict, list]:
    if records:  # warm up: lazy loading inside a detector is not throughput
        predict([{"id": "warm-up", "text": records[0]["text"][:WARM_UP]}], detector=detector, labels=labels)
    t0 = time.perf_counter()
    preds = predict(records, detector=detector, labels=labels)
    seconds = time.perf_counter() - t0
    chars = sum(len(r["text"]) for r in records)
    scores = score(_scoped(records, scope), _scoped(preds, scope), labels=labels)
    result = {
        "name": name,
        "description": description,
        "labels": list(labels) if labels else list(scores["labels"]),
        "seconds": seconds,
        "chars_per_second": chars / seconds if seconds > 0 else float("inf"),
        "scores": scores,
    }
    return result, preds


def bench(
    gold_paths: Iterable[PathLike | tuple[str, list[dict]]],
    *,
    detector: Detector = None,
    baselines: bool = False,
    labels: Optional[Iterable[str]] = None,
    systems: Iterable[Baseline] = (),
) -> BenchReport:
    """Score a detector (default: the qidu pipeline) and optionally the baselines on gold files.

    Every system runs in this process on the same records; throughput is characters of input
    per second of prediction, measured after a short warm-up run (the pipeline's loading time
    is excluded and reported apart as ``load_seconds``).

    Parameters
    ----------
    gold_paths : iterable of path or (name, records)
        Gold-schema JSONL files (validated by :func:`load_gold`), or named lists of records
        already loaded (a split of a file: ``("blind", load_gold(path, split="blind"))``).
    detector : Language, callable or None
        As in :func:`predict`; None loads the qidu pipeline once.
    baselines : bool
        Also run :func:`qidu_nlp.baselines.available_baselines` (each scored on the labels it
        predicts; the jionlp money baseline on money quantities only, next to the detector's
        score on the same subset). Missing optional packages are skipped with a note.
    labels : iterable of str, optional
        Score only these labels.
    systems : iterable of Baseline
        More systems to run after the detector and before the baselines (the pipeline with
        other settings: ``Baseline("rules alone", …, detect=load(config=…))``).

    Returns
    -------
    BenchReport

    Examples
    --------
    >>> import json, os, tempfile
    >>> fd, p = tempfile.mkstemp(suffix=".jsonl"); os.close(fd)
    >>> rec = {"id": "a", "text": "开展“三提三争”活动", "spans": [{"start": 3, "end": 7, "label": "SLOGAN", "kind": "numeric"}]}
    >>> _ = open(p, "w", encoding="utf-8").write(json.dumps(rec, ensure_ascii=False) + "\\n")
    >>> from qidu_nlp.evaluation.baselines import quotes_baseline
    >>> rep = bench([p], detector=quotes_baseline)
    >>> rep.results["gold"][0]["systems"][0]["scores"]["micro"]["strict"]["f1"]
    1.0
    """
    labels = list(dict.fromkeys(labels)) if labels else None
    golds = [(g[0], g[1]) if isinstance(g, tuple) else (_gold_name(Path(g)), load_gold(g)) for g in gold_paths]
    load_seconds = None
    if detector is None:
        t0 = time.perf_counter()
        detector = load()
        load_seconds = time.perf_counter() - t0
        main_name, main_desc = "qidu", "the qidu_nlp pipeline (qidu_nlp.load())"
    else:
        main_name = getattr(detector, "__name__", None) or type(detector).__name__
        main_desc = "detector under test"
        if isinstance(detector, Language):
            main_name, main_desc = "pipeline", f"spaCy pipeline {detector.pipe_names}"
    others, skipped = _baseline_systems(labels) if baselines else ([], [])
    others = list(systems) + others
    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": _machine(),
        "versions": _versions(),
        "load_seconds": load_seconds,
        "skipped": skipped,
        "gold": [_bench_gold(name, records, (main_name, main_desc, detector), others, labels)
                 for name, records in golds],
    }
    return BenchReport(results)


def _baseline_systems(labels: list[str] | None) -> tuple[list, list[dict]]:
    """The baselines that can run (and predict a label asked for), and those skipped, why."""
    systems, skipped = [], []
    for b in available_baselines():
        if b.detect is None:
            skipped.append({"name": b.name, "reason": b.note})
        elif [lab for lab in b.labels if labels is None or lab in labels]:
            systems.append(b)
    return systems, skipped


def _gold_name(path: Path) -> str:
    return path.name if path.parent.name != "local_dev" else "local_dev/" + path.name


def _bench_gold(name: str, records: list[dict], main: tuple, systems: list, labels: list[str] | None) -> dict:
    """The results of every system on one gold file (or named list of records)."""
    main_name, main_desc, detector = main
    entry = {
        "name": name,
        "n_docs": len(records),
        "chars": sum(len(r["text"]) for r in records),
        "n_spans": sum(len(r["spans"]) for r in records),
        "systems": [],
    }
    result, main_preds = _run(main_name, main_desc, detector, records, labels)
    entry["systems"].append(result)
    for b in systems:
        scope_labels = [lab for lab in b.labels if labels is None or lab in labels]
        run, _ = _run(b.name, b.description, b.detect, records, scope_labels, b.scope)
        if b.scope is not None:
            # the detector on the same subset, rescored from the predictions already made
            entry["systems"].append({
                **result,
                "name": f"{main_name} ({b.name} scope)",
                "description": f"{main_desc}, scored as {b.name} is: {b.description}",
                "labels": scope_labels,
                "scores": score(_scoped(records, b.scope), _scoped(main_preds, b.scope), labels=scope_labels),
            })
        entry["systems"].append(run)
    return entry
