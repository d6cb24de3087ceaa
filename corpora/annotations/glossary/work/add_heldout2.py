"""Add the heldout2 rows (rows_heldout2.py) to glossary_checked.tsv with split = heldout2, and the
development rows added after it (rows_dev_added.py) with split = dev2; the
original 151 rows get an empty split (theirs stays the frozen sha256 parity). Rows stay sorted
by occurrences, highest first (a stable sort: the original order is kept among equals)."""
import csv
from pathlib import Path

exec(open(Path(__file__).with_name("rows_heldout2.py"), encoding="utf-8").read())
exec(open(Path(__file__).with_name("rows_dev_added.py"), encoding="utf-8").read())
path = Path(__file__).resolve().parents[1] / "glossary_checked.tsv"
with open(path, encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f, delimiter="\t"))
done = {r["zh"] for r in rows}
for r in rows:
    r.setdefault("split", "")
for split, added in (("heldout2", R2), ("dev2", R3)):  # noqa: F821 (defined by the row files)
    for zh, en, var, years, _, n, src in added:
        if zh not in done:
            rows.append({"zh": zh, "english": en, "variants": var, "years": years, "occurrences": str(n),
                         "sources": src, "split": split})
rows.sort(key=lambda r: -int(r["occurrences"]))
with open(path, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["zh", "english", "variants", "years", "occurrences", "sources", "split"],
                       delimiter="\t", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(len(rows), "rows")
