"""Check hand-entered rows (heldout2 by default, or the rows file named): every english/variant string occurs (case and apostrophes ignored) in
the English of a pair holding the slogan, every source holds the slogan, the counts are right."""
import json
import re
import sys
from pathlib import Path

# the rows file to check: rows_heldout2.py (R2) by default, or rows_dev_added.py (R3)
rows_file = Path(__file__).with_name(sys.argv[1] if len(sys.argv) > 1 else "rows_heldout2.py")
ns: dict = {}
exec(rows_file.read_text(encoding="utf-8"), ns)
R2 = ns.get("R2") or ns["R3"]
D = {}
for line in open("/work/shared/corpora/national_parallel.jsonl", encoding="utf-8"):
    d = json.loads(line)
    D[d["id"]] = d
norm = lambda t: t.lower().replace("’", "'")
bad = 0
for zh, en, var, years, rx, n, src in R2:
    held = [d for d in D.values() if re.search(rx, d["zh"])]
    if len(held) != n:
        print("COUNT", zh, len(held), n); bad += 1
    forms = [] if en == "-" else [en] + [v.strip() for v in var.split("|") if v.strip()]
    for f in forms:
        if not any(norm(f) in norm(d["en"]) for d in held):
            print("NOT FOUND", zh, repr(f)); bad += 1
    for s in src.split("; "):
        if not re.search(rx, D[s]["zh"]):
            print("SOURCE", zh, s); bad += 1
print(len(R2), "rows,", bad, "problems")
