"""qidu_nlp.corpus.progress: how many documents a corpus holds, and the progress bar of a run."""

from __future__ import annotations

from pathlib import Path

from tqdm.auto import tqdm

from .ingest import JSONL_SUFFIXES, walk

__all__ = ["estimate_total", "progress_bar"]


def estimate_total(corpus) -> int | None:
    """A cheap count of the documents of a corpus (lines of JSONL files, other files), or None."""
    paths = getattr(corpus, "paths", None)
    if paths is None:
        return getattr(corpus, "n_records", None)
    total = 0
    for given in paths:
        given = Path(given)
        if not given.exists():
            continue
        for path in walk(given):
            if path.suffix.lower() in JSONL_SUFFIXES:
                total += _count_lines(path)
            else:
                total += 1
    return total


def _count_lines(path: Path) -> int:
    n, last = 0, b"\n"
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                n += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 1
    return n + (last != b"\n")


def progress_bar(enabled: bool, total: int | None):
    if not enabled:
        return None
    return tqdm(total=total, unit="doc", desc="qidu analyze", dynamic_ncols=True, smoothing=0.1)
