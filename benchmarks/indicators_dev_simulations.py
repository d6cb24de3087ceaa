"""Two simulations of unseen documents, measured on the dev documents of the indicator gold only.

1. **Leave one document out (lexicon).** Each dev document is read with the table's written forms
   that only its own gold mentions use taken out (as the held-out documents are read without the
   forms seen only in their gold): statement P/R/F1 and the accuracies, as the scorer gives them.
2. **Layout.** Each dev national target list is laid out one item a line (after its colon and
   after every ；), plain and with —— bullets, as many local reports write their lists; a list
   "holds" when its statements (indicator, value, change, status, first year) are the same as in
   the original layout.

Writes benchmarks/results/indicators_dev_simulations.json. Run from the repository root:
.venv/bin/python benchmarks/indicators_dev_simulations.py
"""

from __future__ import annotations

import collections
import dataclasses
import json
from pathlib import Path

from qidu_nlp.evaluation.indicators import load_indicator_gold, read_corpus, score_statements
from qidu_nlp.rules.indicators import extract_text, load_table
from qidu_nlp.rules.indicators.table import IndicatorTable
from qidu_nlp.text.normalize import normalize

GOLD = [f"corpora/annotations/indicators_{n}.jsonl" for n in ("national", "local_dev", "local_reports", "qidu_2024")]
TEXTS = [f"../shared/corpora/{n}" for n in ("national_reports.jsonl", "local_dev/gold.jsonl", "local_reports.jsonl")]
RESULTS = Path("benchmarks/results/indicators_dev_simulations.json")


def _without_own_forms(table: IndicatorTable, gold, doc: str) -> IndicatorTable:
    """The table without the forms that only ``doc``'s gold mentions use (lists and shares kept)."""
    used_by = collections.defaultdict(set)
    for s in gold.statements:
        mention = normalize(s["mention"])
        for form in table.forms:
            if form in mention:
                used_by[form].add(s["doc_id"])
    kept = set(table.lists) | {normalize(p) for e in table.shares for p in e["parts"]}
    drop = {form for form, docs in used_by.items() if docs == {doc} and form not in kept}

    def keep(words):
        return tuple(w for w in words if normalize(w) not in drop)

    return IndicatorTable([dataclasses.replace(i, aliases=keep(i.aliases), growth=keep(i.growth), tight=keep(i.tight),
                                               heldout_aliases=()) for i in table.indicators],
                          table.lists, table.shares, lexicon="dev")


def leave_one_document_out(gold) -> dict:
    """Scores of the dev gold, each document read without the forms only it uses."""
    table = load_table("dev")
    preds = {d: extract_text(r["text"], meta={**r["meta"], "id": d}, table=_without_own_forms(table, gold, d))
             for d, r in gold.documents.items()}
    score = score_statements(gold, preds)
    return {"statements": score["statements"],
            "accuracy": {k: v["accuracy"] for k, v in score["accuracy"].items()}}


def _statements(rows: list[dict], start: int, end: int) -> list[tuple]:
    return [(r["indicator"], r["value_low"], r["change_low"], r["status"], r["period_start"])
            for r in rows if start <= r["start"] < end]


def layouts(gold) -> dict:
    """How many dev national target lists give the same statements when laid out one item a line."""
    table = load_table("dev")
    out = {}
    for name, bullet in (("one item a line", ""), ("one item a line, —— bullets", "——")):
        held = total = 0
        for doc, rec in gold.documents.items():
            if not doc.startswith("national-"):
                continue
            text, meta = rec["text"], {**rec["meta"], "id": doc}
            original = extract_text(text, meta=meta, table=table)
            for start, end, part in gold.regions[doc]:
                if part != "targets":
                    continue
                region = text[start:end]
                colon = max(region.find("："), region.find(":"))
                items = region[colon + 1:].replace("；", "；\n" + bullet)
                laid = (region[:colon + 1] + "\n" + bullet + items) if colon >= 0 else items
                relaid = extract_text(text[:start] + laid + text[end:], meta=meta, table=table)
                total += 1
                held += _statements(original, start, end) == _statements(relaid, start, start + len(laid))
        out[name] = {"lists": total, "same statements": held}
    return out


def main() -> dict:
    gold = load_indicator_gold(GOLD, read_corpus(TEXTS)).subset("dev")
    out = {"leave one document out (dev)": leave_one_document_out(gold), "target lists laid out (dev)": layouts(gold)}
    RESULTS.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    print(json.dumps(main(), indent=1, ensure_ascii=False))
