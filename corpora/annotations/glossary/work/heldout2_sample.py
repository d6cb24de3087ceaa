"""Draw the heldout2 slogans: the detector's slogans in 3+ aligned pairs that are not yet in the
checked list, in a seeded random order (seed 19). Run before any builder change (at 1cdf4e7).

    .venv/bin/python corpora/annotations/glossary/work/heldout2_sample.py > corpora/annotations/glossary/work/heldout2_order.tsv

Slogans come from find_slogans exactly as benchmarks/glossary.py calls it (also from the
national, congress, local and policy corpora). The builder is not run. Each slogan of the
order was then read in the aligned text, in order; one that the list's conventions exclude
(NOTES.md, section 3) is recorded as excluded and the next is taken, until 40 rows were kept.
"""
import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))
from qidu_nlp.rules.slogans import slogan_norm  # noqa: E402
from qidu_nlp.training.glossary import find_slogans, read_pairs  # noqa: E402

corpora = ROOT.parent / "shared" / "corpora"
SOURCES = ("national_reports.jsonl", "cpc_congress_reports.jsonl", "local_gov_reports.jsonl", "policies.jsonl")
pairs = read_pairs(corpora / "national_parallel.jsonl")
slogans = find_slogans(pairs, slogans_from=[corpora / name for name in SOURCES])
with open(ROOT / "corpora/annotations/glossary/glossary_checked.tsv", encoding="utf-8") as f:
    listed = {slogan_norm(r["zh"]) for r in csv.DictReader(f, delimiter="\t")}
new = sorted(s for s, segs in slogans.items() if len(segs) >= 3 and slogan_norm(s) not in listed)
random.Random(19).shuffle(new)
print("order\tnorm\tpairs")
for k, s in enumerate(new, 1):
    print(f"{k}\t{s}\t{len(slogans[s])}")
