"""How much of an unseen name the syntax rule recovers, measured on dev documents only.

The names of the rarest dev indicators (two gold statements or fewer, not part of a list or a
share) are taken out of the table, and the dev gold is scored with and without the syntax rule
(qidu_nlp.rules.indicators.unnamed). Writes benchmarks/results/indicators_unnamed_simulation.json.
Run from the repository root: .venv/bin/python benchmarks/indicators_unnamed_simulation.py
"""

from __future__ import annotations

import collections
import dataclasses
import json
from pathlib import Path

import qidu_nlp.rules.indicators.extract as extract
from qidu_nlp.evaluation.indicators import load_indicator_gold, read_corpus, score_statements
from qidu_nlp.rules.indicators import extract_text, load_table
from qidu_nlp.rules.indicators.table import IndicatorTable

GOLD = [f"corpora/annotations/indicators_{n}.jsonl" for n in ("national", "local_dev", "local_reports", "qidu_2024")]
TEXTS = [f"../shared/corpora/{n}" for n in ("national_reports.jsonl", "local_dev/gold.jsonl", "local_reports.jsonl")]


def main() -> dict:
    gold = load_indicator_gold(GOLD, read_corpus(TEXTS)).subset("dev")
    table = load_table("dev")
    counts = collections.Counter(s["indicator"] for s in gold.statements)
    used = {i for spec in table.lists.values() for i in [*spec.get("parts", []), spec.get("single")]}
    used |= {i for e in table.shares for i in (e["whole"], e["id"])}
    rare = {i for i, c in counts.items() if c <= 2 and i not in used}
    small = IndicatorTable([dataclasses.replace(i, aliases=(), tight=(), growth=(), heldout_aliases=()) if i.id in rare else i
                            for i in table.indicators], table.lists, table.shares, lexicon="dev")
    out = {"rare_indicators": len(rare), "their_statements": sum(counts[i] for i in rare)}
    real = extract.unnamed_mentions
    for name, rule in (("table only", lambda *a, **k: []), ("table + syntax", real)):
        extract.unnamed_mentions = rule
        try:
            preds = {d: extract_text(r["text"], meta={**r["meta"], "id": d}, table=small) for d, r in gold.documents.items()}
        finally:
            extract.unnamed_mentions = real
        out[name] = score_statements(gold, preds)["statements"]
    Path("benchmarks/results/indicators_unnamed_simulation.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
