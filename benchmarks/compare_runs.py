"""Compare the output folders of two `qidu analyze` runs, file by file and row by row.

Used to check that a change keeps the outputs identical (or to list exactly what it changed):

    qidu analyze corpora/qidu_2024.txt -o /tmp/before      # on the old commit
    qidu analyze corpora/qidu_2024.txt -o /tmp/after       # on the new one
    python benchmarks/compare_runs.py /tmp/before /tmp/after

Every CSV table is compared byte for byte; where two differ, the rows only in one of them are
printed (keyed by their full contents), at most ``--show`` per table. ``report.html`` is
skipped (it holds the date). The exit code is 0 when every compared file is identical.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
from pathlib import Path

import pandas as pd

TABLES = ("documents.csv", "mentions.csv", "indicators.csv", "slogans.csv", "errors.csv",
          "graph_nodes.csv", "graph_edges.csv")


def rows(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def compare(a: Path, b: Path, *, show: int = 10, files=TABLES) -> int:
    differing = 0
    for name in files:
        fa, fb = a / name, b / name
        if not fa.exists() and not fb.exists():
            continue
        if not fa.exists() or not fb.exists():
            print(f"{name}: only in {'B' if fa.exists() is False else 'A'}")
            differing += 1
            continue
        if filecmp.cmp(fa, fb, shallow=False):
            print(f"{name}: identical")
            continue
        differing += 1
        ra, rb = rows(fa), rows(fb)
        if list(ra.columns) != list(rb.columns):
            print(f"{name}: columns differ: {list(ra.columns)} vs {list(rb.columns)}")
            common = [c for c in ra.columns if c in rb.columns]
            ra, rb = ra[common], rb[common]
        merged = ra.merge(rb, how="outer", indicator=True)
        only_a = merged[merged["_merge"] == "left_only"].drop(columns="_merge")
        only_b = merged[merged["_merge"] == "right_only"].drop(columns="_merge")
        print(f"{name}: {len(ra)} vs {len(rb)} rows; {len(only_a)} only in A, {len(only_b)} only in B"
              + ("" if len(only_a) or len(only_b) else " (same rows, other order or formatting)"))
        with pd.option_context("display.width", 200, "display.max_columns", 12, "display.max_colwidth", 40):
            if len(only_a):
                print("  only in A:\n" + only_a.head(show).to_string())
            if len(only_b):
                print("  only in B:\n" + only_b.head(show).to_string())
    return differing


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path, help="output folder A (before)")
    ap.add_argument("b", type=Path, help="output folder B (after)")
    ap.add_argument("--show", type=int, default=10, help="rows shown per differing table")
    args = ap.parse_args(argv)
    return 1 if compare(args.a, args.b, show=args.show) else 0


if __name__ == "__main__":
    sys.exit(main())
